"""The first frame of a session: read before it renders, the lock first, each part handed out once."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from app.state.checkins import CheckInState
from app.state.first_frame import first_frame, read_first_frame
from app.state.session import AppState
from app.state.today import TodayState
from app.state.week import WeekState, monday_of
from tests.support.memory_services import TZ, MemoryPatientServices

NOW = datetime(2026, 11, 30, 14, 0, tzinfo=TZ).astimezone(UTC)  # a Monday afternoon in New York


class CountingSchedule:
    """The schedule twin, counting the week reads (what the first frame must not do while locked)."""

    def __init__(self, services: MemoryPatientServices) -> None:
        self.inner = services.schedule
        self.reads = 0

    async def overview(self, start: Any, end: Any) -> Any:
        self.reads += 1
        return await self.inner.overview(start, end)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def services(*, pin: bool = False) -> tuple[MemoryPatientServices, CountingSchedule]:
    twin = MemoryPatientServices(lambda: NOW, signed_in=True)
    counting = CountingSchedule(twin)
    twin.schedule = counting  # type: ignore[assignment]
    if pin:
        twin.device.prefs = replace(twin.device.prefs, lock_enabled=True)  # a PIN is set
    return twin, counting


def app_state(twin: MemoryPatientServices) -> AppState:
    return AppState(services=twin, clock=lambda: NOW)


def week_state(twin: MemoryPatientServices, app: AppState) -> WeekState:
    return WeekState(schedule=twin.schedule, clock=lambda: NOW, zone=lambda: app.timezone)


async def test_a_session_rendered_in_its_first_frame_shows_the_signed_in_week_at_once() -> None:
    twin, schedule = services()
    frame = await read_first_frame(twin, lambda: NOW, "/week")
    with first_frame(frame):
        app = app_state(twin)
        week = week_state(twin, app)
    assert app.ready
    assert not app.locked
    assert app.account is not None
    assert app.account.display_name
    assert week.overview is not None
    assert week.overview.sessions
    assert week.start == monday_of(NOW.astimezone(TZ).date())
    assert schedule.reads == 1
    await week.load()  # the screen's own effect reads again: the same week, nothing changes
    assert frame.week is not None
    assert week.overview == frame.week[1]


async def test_without_a_first_frame_a_session_starts_empty_and_reads_in_its_effect() -> None:
    twin, _schedule = services()
    app = app_state(twin)
    assert not app.ready
    assert app.account is None
    assert week_state(twin, app).overview is None


async def test_with_a_pin_the_first_frame_is_the_lock_screen_and_no_schedule_is_read() -> None:
    twin, schedule = services(pin=True)
    frame = await read_first_frame(twin, lambda: NOW, "/week")
    with first_frame(frame):
        app = app_state(twin)
        week = week_state(twin, app)
    assert app.ready
    assert app.locked
    assert frame.week is None
    assert week.overview is None
    assert schedule.reads == 0


async def test_each_part_is_handed_out_once_and_only_for_its_own_week() -> None:
    twin, _schedule = services()
    frame = await read_first_frame(twin, lambda: NOW, "/week")
    with first_frame(frame):
        app = app_state(twin)
        other_week = WeekState(
            schedule=twin.schedule,
            clock=lambda: NOW,
            zone=lambda: app.timezone,
            week_start=monday_of(NOW.astimezone(TZ).date()) + timedelta(weeks=1),
        )
        first = week_state(twin, app)
        again = week_state(twin, app)  # e.g. after a sign-out and a new sign-in in the same session
        second_app = app_state(twin)
    assert other_week.overview is None
    assert first.overview is not None
    assert again.overview is None
    assert not second_app.ready  # reads for itself in start()


def today_states(twin: MemoryPatientServices, app: AppState) -> tuple[TodayState, CheckInState]:
    today = TodayState(schedule=twin.schedule, clock=lambda: NOW, zone=lambda: app.timezone)
    return today, CheckInState(checkins=twin.checkins, clock=lambda: NOW)


async def test_a_session_opened_on_today_shows_its_next_session_and_check_in_at_once() -> None:
    twin, schedule = services()
    frame = await read_first_frame(twin, lambda: NOW, "/")
    with first_frame(frame):
        app = app_state(twin)
        today, checkins = today_states(twin, app)
    assert frame.week is None  # the Today screen's own days, not the week's
    assert schedule.reads == 1
    assert today.next_session(NOW) is not None
    assert today.todays_sessions()
    assert checkins.daily is not None  # the check-in card, with its question
    # The screens' own effects read again: the same data, nothing changes on the screen.
    overview, daily = today.overview, checkins.overview
    await today.load()
    await checkins.load()
    assert today.overview == overview
    assert checkins.overview == daily


async def test_today_s_part_is_handed_out_once() -> None:
    twin, _schedule = services()
    frame = await read_first_frame(twin, lambda: NOW, "/")
    with first_frame(frame):
        app = app_state(twin)
        first_today, first_checkins = today_states(twin, app)
        again_today, again_checkins = today_states(twin, app)  # a new sign-in in the same session
    assert first_today.overview is not None
    assert first_checkins.overview is not None
    assert again_today.overview is None
    assert again_checkins.overview is None


async def test_with_a_pin_the_today_screen_reads_nothing_private_first() -> None:
    twin, schedule = services(pin=True)
    frame = await read_first_frame(twin, lambda: NOW, "/")
    with first_frame(frame):
        app = app_state(twin)
        today, checkins = today_states(twin, app)
    assert app.locked
    assert frame.today is None
    assert frame.checkins is None
    assert schedule.reads == 0
    assert today.overview is None
    assert checkins.overview is None


async def test_another_screen_first_reads_no_schedule_ahead() -> None:
    twin, schedule = services()
    frame = await read_first_frame(twin, lambda: NOW, "/assignments")
    assert frame.account is not None
    assert frame.week is None
    assert frame.today is None
    assert schedule.reads == 0
