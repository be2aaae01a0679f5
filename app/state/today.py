"""Today view state: next session, today's sessions, assignments due soon, program progress."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import flet as ft

from app.domain.model import Assignment, AssignmentStatus, ScheduleItem, SessionKind, SessionStatus
from app.services.ports import Overview, RejectedChange, Schedule, ServiceError
from app.state.first_frame import current_first_frame
from app.state.session import Clock
from app.state.week import by_local_day, local_today

DUE_SOON = timedelta(days=3)
LOOK_AHEAD_DAYS = 14
LOOK_BACK_WEEKS = 13  # the longest program is 12 weeks


def today_window(today: date) -> tuple[date, date]:
    """The days the Today screen reads: back to the longest program's start, and two weeks ahead."""
    return today - timedelta(weeks=LOOK_BACK_WEEKS), today + timedelta(days=LOOK_AHEAD_DAYS)


@dataclass(frozen=True, slots=True)
class Progress:
    week: int
    weeks: int
    attended: int
    held: int  # sessions that already happened (not cancelled)
    recorded: bool  # the clinic has sent attendance for at least one of them


@ft.observable
@dataclass
class TodayState:
    schedule: Schedule
    clock: Clock
    zone: Callable[[], str]  # the clinic's timezone as the session knows it now (decided by AppState)
    overview: Overview | None = None
    rejected: tuple[RejectedChange, ...] = ()

    @property
    def timezone(self) -> str:
        return self.zone()

    @property
    def today(self) -> date:
        return local_today(self.clock, self.timezone)

    def __post_init__(self) -> None:
        frame = current_first_frame()
        part = frame.take_today(self.today) if frame is not None else None
        if self.overview is None and part is not None:  # read before the session's first render
            self.overview, self.rejected = part.overview, part.rejected

    async def load(self) -> None:
        start, end = today_window(self.today)
        try:
            self.overview = await self.schedule.overview(start, end)
            self.rejected = await self.schedule.rejected_changes()
        except ServiceError:
            self.overview = None  # signed out meanwhile

    async def dismiss(self, change_id: str) -> None:
        await self.schedule.dismiss_rejected(change_id)
        self.rejected = tuple(r for r in self.rejected if r.id != change_id)

    def _live(self) -> list[ScheduleItem]:
        if self.overview is None:
            return []
        return [s for s in self.overview.sessions if s.status is not SessionStatus.CANCELLED]

    def next_session(self, now: datetime) -> ScheduleItem | None:
        upcoming = [s for s in self._live() if s.ends_at > now and s.kind is not SessionKind.LUNCH]
        return min(upcoming, key=lambda s: s.starts_at, default=None)

    def todays_sessions(self) -> list[ScheduleItem]:
        if self.overview is None:
            return []
        return by_local_day(self.overview.sessions, self.timezone).get(self.today, [])

    def due_soon(self, now: datetime) -> list[Assignment]:
        if self.overview is None:
            return []
        todo = [a for a in self.overview.assignments if a.status is AssignmentStatus.TODO]
        soon = [a for a in todo if a.due_at is None or a.due_at - now <= DUE_SOON]
        return sorted(soon, key=lambda a: (a.due_at is None, a.due_at or now))

    def progress(self, now: datetime) -> Progress | None:
        if self.overview is None or self.overview.enrolment is None:
            return None
        enrolment = self.overview.enrolment
        held = [s for s in self._live() if s.ends_at <= now and s.starts_at.date() >= enrolment.start_date]
        held = [s for s in held if s.kind not in (SessionKind.LUNCH, SessionKind.DRUG_TEST)]
        attendance = self.overview.attendance
        attended = sum(1 for s in held if (a := attendance.get(s.id)) and a.attended)
        recorded = any(s.id in attendance for s in held)
        return Progress(
            enrolment.week_number(self.today), enrolment.planned_weeks, attended, len(held), recorded
        )
