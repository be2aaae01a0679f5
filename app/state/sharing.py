"""Sharing screen state (patient): the shares, the invitation being made, the one-time code, revoking."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import flet as ft

from app.domain.model import Share, ShareScope
from app.services.ports import ServiceError, Sharing
from app.state.session import Clock

PRESET_DAYS = (7, 30, 90, 180, 365)  # the expiry choices offered before a custom date
DEFAULT_DAYS = 30
MAX_DAYS = 365


def end_of_day(day: date, timezone: str) -> datetime:
    """A share chosen "until 12 March" lasts to the end of that day in the clinic's timezone."""
    return datetime.combine(day, time(23, 59), ZoneInfo(timezone))


@dataclass(frozen=True, slots=True)
class InviteDraft:
    """What the patient filled in; checked before anything is sent."""

    recipient_name: str
    relationship: str
    scope: ShareScope
    purpose: str
    until: date

    def problem(self, today: date) -> str | None:
        """A message key for the first thing to fix, or None."""
        if not self.recipient_name.strip():
            return "share.name_missing"
        if not self.relationship.strip():
            return "share.relationship_missing"
        if not self.purpose.strip():
            return "share.purpose_missing"
        if self.until < today:
            return "share.expiry_past"
        if self.until > today + timedelta(days=MAX_DAYS):
            return "share.expiry_too_far"
        return None


@ft.observable
@dataclass
class SharingState:
    """Who can see what until when; intents create and revoke (both need the clinic)."""

    sharing: Sharing
    clock: Clock
    zone: Callable[[], str]  # the clinic's timezone as the session knows it now (decided by AppState)
    shares: tuple[Share, ...] = ()
    composing: bool = False
    created: Share | None = None  # the invitation just made: its code is shown once
    confirming: str | None = None  # share id waiting for "yes, stop sharing"
    busy: bool = False
    problem: str | None = None

    @property
    def timezone(self) -> str:
        return self.zone()

    @property
    def today(self) -> date:
        return self.clock().astimezone(ZoneInfo(self.timezone)).date()

    async def load(self) -> None:
        try:
            self.shares = tuple(sorted(await self.sharing.shares(), key=lambda s: (s.expires_at, s.id)))
        except ServiceError:
            self.shares = ()  # signed out meanwhile

    def compose(self) -> None:
        self.composing, self.created, self.problem, self.confirming = True, None, None, None

    def close(self) -> None:
        self.composing, self.created, self.problem = False, None, None

    async def create(self, draft: InviteDraft) -> bool:
        problem = draft.problem(self.today)
        if problem is not None:
            self.problem = problem
            return False
        self.busy, self.problem = True, None
        try:
            self.created = await self.sharing.create_share(
                draft.recipient_name.strip(),
                draft.relationship.strip(),
                draft.scope,
                draft.purpose.strip(),
                end_of_day(draft.until, self.timezone),
            )
        except ServiceError as exc:
            self.problem = exc.code
            return False
        finally:
            self.busy = False
        self.composing = False
        await self.load()
        return True

    def ask_revoke(self, share_id: str) -> None:
        self.confirming, self.problem = share_id, None

    def cancel_revoke(self) -> None:
        self.confirming = None

    async def revoke(self, share_id: str) -> None:
        self.busy, self.problem = True, None
        try:
            await self.sharing.revoke_share(share_id)
        except ServiceError as exc:
            self.problem = exc.code
            return
        finally:
            self.busy = False
        self.confirming = None
        if self.created is not None and self.created.id == share_id:
            self.created = None
        await self.load()
