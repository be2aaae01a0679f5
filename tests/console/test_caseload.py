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


def test_the_week_line_shows_each_day_with_rsvps_and_attendance() -> None:
    week = [
        item(1, 0, attendance="attended"),
        item(2, 0, attendance="attended"),
        item(3, 0, attendance="absent"),
        item(4, 2, attendance="absent"),
        item(5, 3, status="cancelled"),
        item(6, 4),
    ]
    rsvps = {"s1": Rsvp("s1", "going", ""), "s4": Rsvp("s4", "cannot", ""), "s6": Rsvp("s6", "late", "")}
    row = Row(Patient("p", "Alex Rivera", None, None), week, rsvps, [], None, True)
    assert week_line(Translator("en"), row) == (
        "Mon 30 Nov: going, 2 attended, 1 absent · Wed 2 Dec: cannot come, 1 absent"
        " · Thu 3 Dec: cancelled · Fri 4 Dec: running late"
    )
    spanish = week_line(Translator("es"), row)
    assert "2 asistió" not in spanish
    assert "asistirá, 2 asistencias, 1 ausencia ·" in spanish
