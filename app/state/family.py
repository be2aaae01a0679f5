"""Family member's view state: who shares with them, one read-only week, what ended; joining with a code."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import flet as ft

from app.domain.address import address_problem
from app.domain.model import ScheduleItem, SharedPatient
from app.services.ports import Account, Accounts, EndedShare, FamilyView, ServiceError, SignInError
from app.state.session import Clock


@ft.observable
@dataclass
class FamilyState:
    """Read from the local store only; the sync engine erases what an ended share disclosed."""

    family: FamilyView
    clock: Clock
    timezone: str  # used until a share says which zone its clinic is in
    patients: tuple[SharedPatient, ...] = ()
    ended: tuple[EndedShare, ...] = ()
    week_start: date | None = None  # None: this week, in the clinic's timezone
    week: tuple[ScheduleItem, ...] = ()
    busy: bool = False
    problem: str | None = None
    accepted: SharedPatient | None = None  # just accepted: say so once

    def patient(self, share_id: str) -> SharedPatient | None:
        return next((p for p in self.patients if p.share_id == share_id), None)

    def zone(self, share_id: str) -> str:
        """The IANA zone the patient's clinic keeps its times in: the family week is shown in it."""
        patient = self.patient(share_id)
        return patient.timezone if patient else self.timezone

    def this_monday(self, share_id: str) -> date:
        today = self.clock().astimezone(ZoneInfo(self.zone(share_id))).date()
        return today - timedelta(days=today.weekday())

    def start(self, share_id: str) -> date:
        return self.week_start if self.week_start is not None else self.this_monday(share_id)

    def has_ended(self, share_id: str) -> bool:
        return any(e.share_id == share_id for e in self.ended)

    async def load(self) -> None:
        try:
            self.patients = await self.family.shared_patients()
            self.ended = await self.family.ended_shares()
        except ServiceError:
            self.patients, self.ended = (), ()

    async def load_week(self, share_id: str) -> None:
        try:
            start = self.start(share_id)
            self.week = await self.family.shared_week(share_id, start, start + timedelta(days=6))
        except ServiceError:
            self.week = ()

    async def move_week(self, share_id: str, weeks: int | None) -> None:
        """`weeks` forward (negative: back); None: back to this week."""
        self.week_start = None if weeks is None else self.start(share_id) + timedelta(days=7 * weeks)
        await self.load_week(share_id)

    async def accept(self, code: str) -> bool:
        self.busy, self.problem, self.accepted = True, None, None
        try:
            self.accepted = await self.family.accept_invitation(code)
        except ServiceError as exc:
            self.problem = exc.code
            return False
        finally:
            self.busy = False
        await self.load()
        return True

    async def dismiss_ended(self) -> None:
        await self.family.dismiss_ended()
        await self.load()


@ft.observable
@dataclass
class JoinState:
    """The sign-in screen's "I have an invitation code" form: a new account, or an existing one."""

    accounts: Accounts
    new_account: bool = True
    busy: bool = False
    problem: str | None = None

    async def join(
        self, server_url: str, code: str, display_name: str, username: str, password: str
    ) -> Account | None:
        self.busy, self.problem = True, None
        try:
            url = server_url.strip().rstrip("/")
            if (problem := address_problem(url)) is not None:
                raise SignInError(problem)
            if self.new_account:
                return await self.accounts.sign_up_family(url, code, display_name, username.strip(), password)
            return await self.accounts.sign_in_family(url, code, username.strip(), password)
        except SignInError as exc:
            self.problem = exc.code
            return None
        finally:
            self.busy = False
