"""Week view state: which week is shown, its sessions, and the RSVP intent."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import flet as ft

from app.domain.model import RsvpResponse, ScheduleItem
from app.services.ports import Overview, Schedule, ServiceError
from app.state.first_frame import current_first_frame
from app.state.session import Clock

FIND_WEEKS = 13  # how far either side of today a session opened by id is looked for (a 12-week program)


def local_today(clock: Clock, timezone: str) -> date:
    return clock().astimezone(ZoneInfo(timezone)).date()


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def by_local_day(items: tuple[ScheduleItem, ...], timezone: str) -> dict[date, list[ScheduleItem]]:
    tz = ZoneInfo(timezone)
    days: dict[date, list[ScheduleItem]] = {}
    for item in sorted(items, key=lambda i: i.starts_at):
        days.setdefault(item.starts_at.astimezone(tz).date(), []).append(item)
    return days


@ft.observable
@dataclass
class WeekState:
    """Seven days starting on a Monday, in the clinic's timezone."""

    schedule: Schedule
    clock: Clock
    zone: Callable[[], str]  # the clinic's timezone as the session knows it now (decided by AppState)
    week_start: date | None = None
    overview: Overview | None = None
    problem: str | None = None

    def __post_init__(self) -> None:
        if self.week_start is None:
            self.week_start = monday_of(local_today(self.clock, self.timezone))
        frame = current_first_frame()
        if self.overview is None and frame is not None:
            self.overview = frame.take_week(self.start)  # read before the session's first render

    @property
    def timezone(self) -> str:
        return self.zone()

    @property
    def start(self) -> date:
        assert self.week_start is not None
        return self.week_start

    @property
    def days(self) -> list[date]:
        return [self.start + timedelta(days=n) for n in range(7)]

    def sessions_on(self, day: date) -> list[ScheduleItem]:
        if self.overview is None:
            return []
        return by_local_day(self.overview.sessions, self.timezone).get(day, [])

    def item(self, item_id: str) -> ScheduleItem | None:
        if self.overview is None:
            return None
        return next((i for i in self.overview.sessions if i.id == item_id), None)

    @property
    def is_this_week(self) -> bool:
        return self.start == monday_of(local_today(self.clock, self.timezone))

    async def load(self) -> None:
        try:
            self.overview = await self.schedule.overview(
                self.start, self.start + timedelta(days=6)
            )  # inclusive
        except ServiceError:
            self.overview = None  # signed out meanwhile

    async def previous(self) -> None:
        self.week_start = self.start - timedelta(days=7)
        await self.load()

    async def next(self) -> None:
        self.week_start = self.start + timedelta(days=7)
        await self.load()

    async def this_week(self) -> None:
        self.week_start = monday_of(local_today(self.clock, self.timezone))
        await self.load()

    async def load_item(self, item_id: str) -> None:
        """Show the week that holds `item_id` (Today's next session may be in the next one).

        The shown week is reloaded first; only when the session is not in it is a wider span read,
        and the week is moved to the session's (so "Back to my week" lands beside it)."""
        await self.load()
        if self.overview is None or self.item(item_id) is not None:
            return
        today = local_today(self.clock, self.timezone)
        span = timedelta(weeks=FIND_WEEKS)
        try:
            wide = await self.schedule.overview(today - span, today + span)
        except ServiceError:
            return
        found = next((i for i in wide.sessions if i.id == item_id), None)
        if found is not None:
            await self.show_week_of(found.starts_at)

    async def show_week_of(self, moment: datetime) -> None:
        self.week_start = monday_of(moment.astimezone(ZoneInfo(self.timezone)).date())
        await self.load()

    async def rsvp(self, item_id: str, response: RsvpResponse, note: str) -> None:
        await self.schedule.set_rsvp(item_id, response, note.strip())
        await self.load()
