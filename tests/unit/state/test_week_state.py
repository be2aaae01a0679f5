"""Week view state: a session opened by id (Today's "Details and reply") is found in its own week."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.state.week import WeekState, monday_of
from tests.support.memory_services import TZ, MemoryPatientServices

SUNDAY_EVENING = datetime(2026, 11, 29, 21, 40, tzinfo=TZ).astimezone(UTC)  # New York, a Sunday


def week_state(now: datetime) -> tuple[WeekState, MemoryPatientServices]:
    services = MemoryPatientServices(lambda: now, signed_in=True)
    return WeekState(schedule=services.schedule, clock=lambda: now, zone=lambda: "America/New_York"), services


@pytest.mark.parametrize("weeks_away", [1, -1])
async def test_a_session_of_another_week_opens_in_its_own_week(weeks_away: int) -> None:
    state, _services = week_state(SUNDAY_EVENING)
    this_monday = monday_of(SUNDAY_EVENING.astimezone(TZ).date())
    item_id = "ci-c0" if weeks_away == 1 else "ci-a0"  # the demo's Monday check-in of that week
    await state.load()
    assert state.item(item_id) is None  # not in the week shown first

    await state.load_item(item_id)

    item = state.item(item_id)
    assert item is not None
    assert state.start == this_monday + timedelta(weeks=weeks_away)
    assert state.start <= item.starts_at.astimezone(TZ).date() <= state.start + timedelta(days=6)


async def test_a_session_of_the_shown_week_keeps_the_week() -> None:
    state, _services = week_state(SUNDAY_EVENING)
    start = state.start
    await state.load_item("ci-b0")
    assert state.item("ci-b0") is not None
    assert state.start == start


async def test_an_unknown_session_leaves_the_week_as_it_was() -> None:
    state, _services = week_state(SUNDAY_EVENING)
    start = state.start
    await state.load_item("nope")
    assert state.item("nope") is None
    assert state.start == start
