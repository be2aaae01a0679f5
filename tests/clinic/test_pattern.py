"""The IOP weekly pattern keeps wall-clock times across daylight-saving changes."""

from __future__ import annotations

from collections import Counter
from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from clinic.services.pattern import expand

NY = ZoneInfo("America/New_York")


@pytest.mark.parametrize(
    ("start", "offsets"),
    [
        (date(2026, 10, 19), {timedelta(hours=-4), timedelta(hours=-5)}),  # clocks go back on 1 Nov
        (date(2027, 3, 1), {timedelta(hours=-5), timedelta(hours=-4)}),  # clocks go forward on 14 Mar
    ],
)
def test_pattern_keeps_local_times_across_dst(start: date, offsets: set[timedelta]) -> None:
    sessions = expand(start, 4, NY)
    assert {s.starts_at.utcoffset() for s in sessions} == offsets
    check_ins = [s for s in sessions if s.kind == "check_in"]
    assert len(check_ins) == 12
    assert {s.starts_at.timetz().replace(tzinfo=None) for s in check_ins} == {time(9, 0)}
    assert {s.starts_at.weekday() for s in check_ins} == {0, 2, 3}
    kinds = Counter(s.kind for s in sessions)
    assert kinds["psychiatrist"] == 4
    assert kinds["physician_assistant"] == 4
    assert kinds["lunch"] == 12
    # the same wall-clock duration on both sides of the change
    assert {s.ends_at - s.starts_at for s in check_ins} == {timedelta(minutes=30)}


def test_pattern_starts_mid_week_without_earlier_days() -> None:
    sessions = expand(date(2026, 11, 4), 1, NY)  # a Wednesday
    assert min(s.starts_at.date() for s in sessions) == date(2026, 11, 4)
