"""The caseload's "this week": each session with the patient's RSVP and, once past, the attendance."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from console.i18n import Translator
from console.models import Patient, Rsvp, ScheduleItem
from console.ui.patients import Row, week_line

CLINIC = timezone(timedelta(hours=-5))
MONDAY = datetime(2026, 11, 30, 18, 0, tzinfo=CLINIC)


def item(n: int, days: int, status: str = "scheduled", attendance: str | None = None) -> ScheduleItem:
    start = MONDAY + timedelta(days=days)
    return ScheduleItem(
        f"s{n}", "group", "Group", start, start + timedelta(hours=3), None, status, None, 1, attendance
    )


def test_the_week_line_shows_rsvps_and_attendance_per_session() -> None:
    week = [
        item(1, 0, attendance="attended"),
        item(2, 2, attendance="absent"),
        item(3, 3, status="cancelled"),
        item(4, 4),
    ]
    rsvps = {"s1": Rsvp("s1", "going", ""), "s2": Rsvp("s2", "cannot", ""), "s4": Rsvp("s4", "late", "")}
    row = Row(Patient("p", "Alex Rivera", None, None), week, rsvps, [], None, True)
    assert week_line(Translator("en"), row) == (
        "Mon 30 Nov 6:00\u202fPM: going, attended · Wed 2 Dec 6:00\u202fPM: cannot come, absent"
        " · Thu 3 Dec 6:00\u202fPM: cancelled · Fri 4 Dec 6:00\u202fPM: running late"
    )
    spanish = week_line(Translator("es"), row)
    assert "asistió" in spanish
