"""Sharing screen state (patient): the shares, the invitation being made, the one-time code, revoking."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import flet as ft

from app.domain.model import Share, ShareScope
from app.services.ports import ServiceError, Sharing
from app.state.session import Clock

FOLLOW_SECONDS = 5.0  # while the list shows an unused invitation, how often the clinic is asked
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
    # The invitation being filled in: kept here, not in the form, so a visit to the support screen
    # (or any other) and back finds it as it was left.
    typed: dict[str, str] = field(default_factory=dict)  # name, relationship, purpose
    scope: ShareScope = ShareScope.TIMES
    until: date | None = None  # None: the default length from today

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

    @property
    def waiting(self) -> bool:
        """An invitation not used yet is on the list: its acceptance should show when it happens."""
        return any(s.status == "pending" for s in self.shares)

    async def follow(self, sync_now: Callable[[], Awaitable[object]]) -> None:
        """While the screen is open: sync every few seconds as long as an invitation is unused, so
        "Has not used the invitation yet" turns into "Can see your schedule" without a restart (the
        app holds no live stream, and the background sync runs only every few minutes). A pull that
        changes the share re-renders the list through the usual data-changed path."""
        while True:
            await asyncio.sleep(FOLLOW_SECONDS)
            if self.waiting and not self.busy:
                try:
                    await sync_now()
                except ServiceError:
                    return  # signed out meanwhile

    def compose(self) -> None:
        self.composing, self.created, self.problem, self.confirming = True, None, None, None
        self.typed, self.scope, self.until = {}, ShareScope.TIMES, None

    @property
    def chosen_until(self) -> date:
        return self.until or self.today + timedelta(days=DEFAULT_DAYS)

    def draft(self) -> InviteDraft:
        t = self.typed
        return InviteDraft(
            t.get("name", ""), t.get("relationship", ""), self.scope, t.get("purpose", ""), self.chosen_until
        )

    def close(self) -> None:
        self.composing, self.created, self.problem = False, None, None

    async def create(self, draft: InviteDraft) -> bool:
        if self.busy or self.created is not None:
            return False  # a second tap while the first is on its way: one invitation, not two
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
        self.composing, self.typed = False, {}
        await self.load()
        return True

    def ask_revoke(self, share_id: str) -> None:
        self.confirming, self.problem = share_id, None

    def cancel_revoke(self) -> None:
        self.confirming = None

    async def revoke(self, share_id: str) -> None:
        if self.busy:
            return
        self.busy, self.problem = True, None
        try:
            await self.sharing.revoke_share(share_id)
        except ServiceError as exc:
            self.problem = exc.code
            return
        finally:
            self.busy = False
        self.confirming = None
        self.shares = tuple(s for s in self.shares if s.id != share_id)  # the clinic said yes: gone now
        if self.created is not None and self.created.id == share_id:
            self.created = None
        await self.load()
