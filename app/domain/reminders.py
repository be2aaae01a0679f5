"""In-app reminders: which banner is due when, from local data and a clock (the rules, no wording).

A session N minutes before it starts (never a cancelled one, never a drug test: those are not shown
in advance); the daily check-in from the hour the patient picked if today's is not done yet; an
assignment due tomorrow. Days and hours are the clinic's (its timezone), like everything else.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from app.domain.model import Assignment, AssignmentStatus, ScheduleItem, SessionKind, SessionStatus

SESSION_CHOICES = (0, 15, 30, 60)  # minutes before a session; 0: off
DEFAULT_SESSION_MINUTES = 30
DEFAULT_CHECKIN_HOUR = 18  # 6 PM in the clinic's zone: late enough not to nag, early enough to answer
CHECKIN_HOURS = (9, 12, 15, 18, 20)


class ReminderKind(enum.StrEnum):
    SESSION = "session"
    CHECKIN = "checkin"
    ASSIGNMENT = "assignment"


@dataclass(frozen=True, slots=True)
class ReminderSettings:
    session_minutes: int = DEFAULT_SESSION_MINUTES  # 0: no session reminders
    checkin_nudge: bool = True
    checkin_hour: int = DEFAULT_CHECKIN_HOUR
    assignments: bool = True


@dataclass(frozen=True, slots=True)
class Reminder:
    """One banner. `key` is stable while it is due, so a dismissed one stays dismissed."""

    key: str
    kind: ReminderKind
    at: datetime  # the session's start, the assignment's due time, or the nudge's hour
    session: ScheduleItem | None = None
    assignment: Assignment | None = None


@dataclass(frozen=True, slots=True)
class DueReminders:
    """The reminders due at `now` (the clock they were worked out with: "in 25 minutes" is from it)."""

    now: datetime
    reminders: tuple[Reminder, ...] = ()


def due_reminders(
    now: datetime,
    timezone: str,
    settings: ReminderSettings,
    sessions: Iterable[ScheduleItem],
    assignments: Iterable[Assignment],
    checkin_due: bool,
) -> tuple[Reminder, ...]:
    """The reminders due at `now`, most urgent first: sessions by start, the check-in, assignments."""
    tz = ZoneInfo(timezone)
    found: list[Reminder] = []
    if settings.session_minutes > 0:
        lead = timedelta(minutes=settings.session_minutes)
        for s in sorted(sessions, key=lambda s: (s.starts_at, s.id)):
            if s.status is SessionStatus.CANCELLED or s.kind is SessionKind.DRUG_TEST:
                continue
            # In UTC: aware arithmetic within one zone is wall-clock time, wrong across a DST change.
            starts = s.starts_at.astimezone(UTC)
            if starts - lead <= now < starts:
                found.append(
                    Reminder(
                        f"session:{s.id}:{s.starts_at.isoformat()}",
                        ReminderKind.SESSION,
                        s.starts_at,
                        session=s,
                    )
                )
    local = now.astimezone(tz)
    if settings.checkin_nudge and checkin_due and local.hour >= settings.checkin_hour:
        at = local.replace(hour=settings.checkin_hour, minute=0, second=0, microsecond=0)
        found.append(Reminder(f"checkin:{local.date().isoformat()}", ReminderKind.CHECKIN, at))
    if settings.assignments:
        tomorrow = local.date() + timedelta(days=1)
        todo = [a for a in assignments if a.status is AssignmentStatus.TODO and a.due_at is not None]
        for a in sorted(todo, key=lambda a: (a.due_at, a.id)):
            assert a.due_at is not None
            if a.due_at.astimezone(tz).date() == tomorrow:
                found.append(
                    Reminder(
                        f"assignment:{a.id}:{tomorrow.isoformat()}",
                        ReminderKind.ASSIGNMENT,
                        a.due_at,
                        assignment=a,
                    )
                )
    return tuple(found)
