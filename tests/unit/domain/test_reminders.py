"""Which in-app reminder is due when: a session N minutes before, the check-in nudge, assignments."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.domain.model import Assignment, AssignmentStatus, ScheduleItem, SessionKind, SessionStatus
from app.domain.reminders import ReminderKind, ReminderSettings, due_reminders

TZ = "America/New_York"
NY = ZoneInfo(TZ)
GROUP_AT = datetime(2026, 3, 2, 9, 30, tzinfo=NY)


def group(
    starts: datetime = GROUP_AT, *, kind: SessionKind = SessionKind.PROCESS_GROUP, id_: str = "s1"
) -> ScheduleItem:
    return ScheduleItem(
        id_, kind, starts, starts + timedelta(hours=1), title="Process group", location="Room B"
    )


def due(
    now: datetime, settings: ReminderSettings | None = None, **kw: object
) -> list[tuple[ReminderKind, str]]:
    found = due_reminders(
        now,
        TZ,
        settings or ReminderSettings(),
        kw.get("sessions", [group()]),  # type: ignore[arg-type]
        kw.get("assignments", []),  # type: ignore[arg-type]
        bool(kw.get("checkin_due", False)),
    )
    return [(r.kind, r.key.split(":")[1]) for r in found]


@pytest.mark.parametrize(
    ("minutes_before", "lead", "shown"),
    [
        (31, 30, False),  # not yet
        (30, 30, True),  # from exactly N minutes before
        (1, 30, True),
        (0, 30, False),  # it has started: the banner goes
        (-5, 30, False),
        (14, 15, True),
        (16, 15, False),
        (59, 60, True),
        (10, 0, False),  # session reminders off
    ],
)
def test_a_session_reminder_is_due_from_n_minutes_before_until_it_starts(
    minutes_before: int, lead: int, shown: bool
) -> None:
    now = GROUP_AT - timedelta(minutes=minutes_before)
    assert due(now, ReminderSettings(session_minutes=lead)) == (
        [(ReminderKind.SESSION, "s1")] if shown else []
    )


def test_the_rule_works_on_instants_across_a_dst_change() -> None:
    # 8 March 2026: clocks go forward at 2:00 in New York; a 3:15 session is 30 real minutes after 1:45.
    starts = datetime(2026, 3, 8, 3, 15, tzinfo=NY)
    now = datetime(2026, 3, 8, 1, 45, tzinfo=NY)
    assert starts - now == timedelta(hours=1, minutes=30)  # wall clocks say 1:30, but only 30 min pass
    assert (starts.astimezone(UTC) - now.astimezone(UTC)) == timedelta(minutes=30)
    assert due(now.astimezone(UTC), sessions=[group(starts)]) == [(ReminderKind.SESSION, "s1")]


def test_cancelled_sessions_and_drug_tests_never_get_a_reminder() -> None:
    now = GROUP_AT - timedelta(minutes=10)
    cancelled = ScheduleItem("s2", SessionKind.PROCESS_GROUP, GROUP_AT, GROUP_AT, SessionStatus.CANCELLED)
    test = group(kind=SessionKind.DRUG_TEST, id_="s3")
    assert due(now, sessions=[cancelled, test]) == []


def test_the_check_in_nudge_waits_for_the_chosen_hour_and_stops_once_done() -> None:
    evening = ReminderSettings(session_minutes=0, checkin_hour=18)
    at_5pm = datetime(2026, 3, 2, 17, 59, tzinfo=NY)
    at_6pm = datetime(2026, 3, 2, 18, 0, tzinfo=NY)
    assert due(at_5pm, evening, checkin_due=True) == []
    assert due(at_6pm, evening, checkin_due=True) == [(ReminderKind.CHECKIN, "2026-03-02")]
    assert due(at_6pm, evening, checkin_due=False) == []
    off = ReminderSettings(session_minutes=0, checkin_nudge=False)
    assert due(at_6pm, off, checkin_due=True) == []


def test_the_check_in_nudge_hour_is_the_clinics_not_utc() -> None:
    # 23:30 UTC is 18:30 in New York: the nudge is due; 22:30 UTC (17:30 there) it is not.
    settings = ReminderSettings(session_minutes=0, checkin_hour=18)
    assert due(datetime(2026, 3, 2, 23, 30, tzinfo=UTC), settings, checkin_due=True) == [
        (ReminderKind.CHECKIN, "2026-03-02")
    ]
    assert due(datetime(2026, 3, 2, 22, 30, tzinfo=UTC), settings, checkin_due=True) == []


def assignment(
    id_: str, due_at: datetime | None, status: AssignmentStatus = AssignmentStatus.TODO
) -> Assignment:
    return Assignment(id_, "Trigger log", "CBT", "Write", due_at, status)


def test_an_assignment_due_tomorrow_in_the_clinics_zone_is_reminded_once_done_it_is_not() -> None:
    now = datetime(2026, 3, 2, 20, 0, tzinfo=NY)  # 01:00 UTC on the 3rd
    items = [
        assignment("tomorrow-morning", datetime(2026, 3, 3, 9, 0, tzinfo=NY)),
        assignment("tomorrow-late", datetime(2026, 3, 3, 23, 0, tzinfo=NY)),  # the 4th in UTC
        assignment("today", datetime(2026, 3, 2, 22, 0, tzinfo=NY)),
        assignment("in-two-days", datetime(2026, 3, 4, 9, 0, tzinfo=NY)),
        assignment("done", datetime(2026, 3, 3, 9, 0, tzinfo=NY), AssignmentStatus.DONE),
        assignment("no-date", None),
    ]
    settings = ReminderSettings(session_minutes=0)
    assert due(now, settings, assignments=items) == [
        (ReminderKind.ASSIGNMENT, "tomorrow-morning"),
        (ReminderKind.ASSIGNMENT, "tomorrow-late"),
    ]
    assert due(now, ReminderSettings(session_minutes=0, assignments=False), assignments=items) == []


def test_the_most_urgent_comes_first_session_then_check_in_then_assignment() -> None:
    now = datetime(2026, 3, 2, 18, 40, tzinfo=NY)
    evening = group(datetime(2026, 3, 2, 19, 0, tzinfo=NY))
    later = group(datetime(2026, 3, 2, 19, 5, tzinfo=NY), id_="s0")
    found = due(
        now,
        sessions=[later, evening],
        assignments=[assignment("a1", datetime(2026, 3, 3, 9, 0, tzinfo=NY))],
        checkin_due=True,
    )
    assert found == [
        (ReminderKind.SESSION, "s1"),
        (ReminderKind.SESSION, "s0"),
        (ReminderKind.CHECKIN, "2026-03-02"),
        (ReminderKind.ASSIGNMENT, "a1"),
    ]


def test_a_moved_session_gets_a_new_key_so_a_dismissed_reminder_comes_back_for_the_new_time() -> None:
    first = due_reminders(GROUP_AT - timedelta(minutes=5), TZ, ReminderSettings(), [group()], [], False)
    moved_to = GROUP_AT + timedelta(minutes=20)
    second = due_reminders(
        moved_to - timedelta(minutes=5), TZ, ReminderSettings(), [group(moved_to)], [], False
    )
    assert first[0].key != second[0].key
