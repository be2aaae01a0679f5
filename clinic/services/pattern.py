"""The IOP weekly pattern, expanded into dated sessions in the clinic's timezone (DST-correct)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

MON, TUE, WED, THU, FRI = range(5)
DAY_NAMES = {"mon": MON, "tue": TUE, "wed": WED, "thu": THU, "fri": FRI, "sat": 5, "sun": 6}


@dataclass(frozen=True, slots=True)
class Slot:
    kind: str
    title: str
    start: time
    end: time
    location: str
    staff_name: str | None = None
    weekday: int | None = None  # None: on every program day


IOP_DAY: tuple[Slot, ...] = (
    Slot("check_in", "Morning check-in", time(9, 0), time(9, 30), "Group room B"),
    Slot("process_group", "Process group", time(9, 30), time(10, 45), "Group room B", "Dana Whitfield, LMHC"),
    Slot(
        "education_class", "Recovery education", time(11, 0), time(12, 0), "Classroom 2", "Chris Patel, LADC"
    ),
    Slot("lunch", "Lunch", time(12, 0), time(12, 30), "Dining room"),
)
IOP_VISITS: tuple[Slot, ...] = (
    Slot("psychiatrist", "Psychiatrist visit", time(13, 0), time(13, 45), "Office 4", "Dr. Maya Chen", WED),
    Slot(
        "physician_assistant",
        "Physician assistant visit",
        time(13, 0),
        time(13, 30),
        "Office 6",
        "Riley Brooks, PA-C",
        THU,
    ),
)


@dataclass(frozen=True, slots=True)
class Session:
    kind: str
    title: str
    starts_at: datetime
    ends_at: datetime
    location: str
    staff_name: str | None

    def item_values(self) -> dict[str, Any]:
        """The schedule item this session becomes (for schedule.add_item)."""
        return {
            "kind": self.kind,
            "title": self.title,
            "starts_at": self.starts_at,
            "ends_at": self.ends_at,
            "location": self.location,
            "staff_name": self.staff_name,
        }


def local(day: date, at: time, tz: ZoneInfo) -> datetime:
    """A wall-clock time on a day in tz; zoneinfo picks the right offset on either side of DST."""
    return datetime.combine(day, at, tzinfo=tz)


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def expand(
    start: date,
    weeks: int,
    tz: ZoneInfo,
    days: tuple[int, ...] = (MON, WED, THU),
    *,
    visits: bool = True,
) -> list[Session]:
    """Every session of `weeks` program weeks from the week containing `start` (not before it)."""
    out: list[Session] = []
    first_monday = monday_of(start)
    slots = IOP_DAY + (IOP_VISITS if visits else ())
    for week in range(weeks):
        for weekday in range(7):
            day = first_monday + timedelta(days=7 * week + weekday)
            if day < start:
                continue
            for slot in slots:
                on_day = weekday in days if slot.weekday is None else weekday == slot.weekday
                if on_day:
                    out.append(
                        Session(
                            slot.kind,
                            slot.title,
                            local(day, slot.start, tz),
                            local(day, slot.end, tz),
                            slot.location,
                            slot.staff_name,
                        )
                    )
    return out
