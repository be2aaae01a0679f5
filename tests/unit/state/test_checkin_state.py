"""Check-in view state: what is due, the honest "your team will see this" per answer, the confirmation
(call buttons after a worrying answer), amending today's answers, and the trends."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import cast

import pytest
from flet.components.observable import Observable

from app.state.checkins import CheckInState
from tests.support.memory_services import MemoryPatientServices

CALM = {"craving": 2, "mood": 7, "confidence": 8, "used": False, "contact": False}


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 3, 5, 15, 0, tzinfo=UTC)  # Thursday 10:00 in New York

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def services(clock: Clock) -> MemoryPatientServices:
    return MemoryPatientServices(clock, signed_in=True)


@pytest.fixture
async def state(services: MemoryPatientServices, clock: Clock) -> CheckInState:
    found = CheckInState(checkins=services.checkins, clock=clock)
    await found.load()
    return found


def answer_all(state: CheckInState, **changes: int | bool) -> None:
    for item, value in {**CALM, **changes}.items():
        state.answer(item, value)


async def test_the_daily_check_in_and_thursdays_phq2_are_due_until_answered(state: CheckInState) -> None:
    assert [q.key for q in state.due()] == ["daily", "phq2"]
    state.start("q-daily")
    answer_all(state)
    assert await state.submit()
    assert [q.key for q in state.due()] == ["phq2"]  # without a second read of the store


async def test_the_team_will_see_note_follows_the_answer_and_the_clinics_threshold(
    state: CheckInState,
) -> None:
    state.start("q-daily")
    state.answer("craving", 7)
    assert not state.alerts("craving")
    state.answer("craving", 8)
    assert state.alerts("craving")
    state.answer("used", False)
    assert not state.alerts("used")
    state.answer("used", True)
    assert state.alerts("used")
    assert not state.alerts("mood")


async def test_a_worrying_answer_confirms_with_the_call_buttons(
    state: CheckInState, services: MemoryPatientServices
) -> None:
    state.start("q-daily")
    answer_all(state, craving=9, contact=True)
    assert await state.submit()
    assert state.confirmation is not None
    assert state.confirmation.worrying
    assert not state.confirmation.amended
    assert state.confirmation.checkin.pending
    assert [(p, a["craving"], a["contact"]) for _, p, a in services.checkins.submitted] == [
        ("2026-03-05", 9, True)
    ]


async def test_a_calm_answer_confirms_without_alarm(state: CheckInState) -> None:
    state.start("q-daily")
    answer_all(state)
    assert await state.submit()
    assert state.confirmation is not None
    assert not state.confirmation.worrying


async def test_a_missing_answer_is_named_and_nothing_is_sent(
    state: CheckInState, services: MemoryPatientServices
) -> None:
    state.start("q-daily")
    state.answer("craving", 3)
    assert state.missing() == ("mood", "confidence", "used", "contact")
    assert not await state.submit()
    assert state.problem == "checkin.incomplete"
    assert services.checkins.submitted == []


async def test_reopening_today_starts_from_todays_answers_and_amends_the_same_check_in(
    state: CheckInState, services: MemoryPatientServices, clock: Clock
) -> None:
    state.start("q-daily")
    answer_all(state, craving=4)
    await state.submit()
    state.close()
    clock.now += timedelta(hours=8)  # 18:00 in New York, the same clinic day
    state.start("q-daily")
    assert state.draft["craving"] == 4
    state.answer("craving", 6)
    await state.submit()
    assert state.confirmation is not None
    assert state.confirmation.amended
    first, second = services.checkins.submitted
    assert first[0] == second[0]
    assert second[2]["craving"] == 6
    assert state.amendable(state.history()[0])
    clock.now += timedelta(hours=6)  # past the clinic's midnight
    assert not state.amendable(state.history()[0])
    assert [q.key for q in state.due()] == ["daily", "phq2"]


async def test_trends_read_this_week_against_last(
    state: CheckInState, services: MemoryPatientServices, clock: Clock
) -> None:
    for days_ago, level in ((10, 6), (8, 4), (2, 2), (1, 4)):  # last week 6, 4; this week 2, 4
        clock.now = datetime(2026, 3, 5, 15, tzinfo=UTC) - timedelta(days=days_ago)
        state.start("q-daily")
        answer_all(state, craving=level)
        await state.submit()
        state.close()
    clock.now = datetime(2026, 3, 5, 15, tzinfo=UTC)
    found = state.trends()
    assert found is not None
    assert [p.day for p in found.points] == [
        date(2026, 2, 23),
        date(2026, 2, 25),
        date(2026, 3, 3),
        date(2026, 3, 4),
    ]
    craving = found.summaries[0]
    assert (craving.this_week, craving.last_week, craving.direction) == (3.0, 5.0, "down")


async def test_the_typed_note_goes_with_the_send_and_the_screen_redraws_once(
    state: CheckInState, services: MemoryPatientServices
) -> None:
    state.start("q-daily")
    answer_all(state)
    changed: list[str | None] = []

    def heard(_sender: object, name: str | None) -> None:
        changed.append(name)

    cast(Observable, state).subscribe(heard)  # (held weakly: `heard` lives to the end of the test)
    assert await state.submit({"note": "rough night"})
    assert services.checkins.submitted[-1][2]["note"] == "rough night"
    # Nothing told the screen to redraw before the send (the old way set the note first, one
    # redraw of the whole form); after it, the check-in, the note and the confirmation together.
    assert changed[0] != "draft", changed
    assert {"draft", "confirmation"} <= set(changed)
    assert state.draft["note"] == "rough night"
