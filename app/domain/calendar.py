"""Calendar feeds: the options a feed is made with, a feed as the app knows it, a one-off download."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

NEUTRAL_TITLE_MAX = 40  # the clinic's limit on the patient's own neutral word


class FeedTitles(enum.StrEnum):
    NEUTRAL = "neutral"  # "Appointment", or the patient's own word: nothing about treatment
    REAL = "real"  # session names, rooms and staff names


class FeedAlarm(enum.StrEnum):
    NONE = "none"
    HOUR = "1h"
    DAY = "1d"


@dataclass(frozen=True, slots=True)
class FeedOptions:
    """What a feed shows; `neutral_title` None: the clinic's "Appointment" in `lang`."""

    titles: FeedTitles = FeedTitles.NEUTRAL
    neutral_title: str | None = None
    lang: str = "en"
    alarm: FeedAlarm = FeedAlarm.NONE

    def problem(self) -> str | None:
        """A message key for what the clinic would refuse, or None."""
        word = self.neutral_title
        if word is not None and not 1 <= len(word.strip()) <= NEUTRAL_TITLE_MAX:
            return "calendar.title_invalid"
        return None


@dataclass(frozen=True, slots=True)
class CalendarFeed:
    """One live feed of this account. `url` is known only on the device that turned it on (the
    clinic returns it once; it is kept in the encrypted store) — None elsewhere or once lost."""

    id: str
    created_at: datetime
    options: FeedOptions
    share_id: str | None = None  # a family member's feed: whose shared schedule
    patient_display_name: str | None = None
    last_read_at: datetime | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class FeedList:
    """The feeds, and whether they came from the clinic just now or from this device's copy (offline)."""

    feeds: tuple[CalendarFeed, ...]
    offline: bool = False


@dataclass(frozen=True, slots=True)
class CalendarDownload:
    """A one-use link to the next 4 weeks as a .ics file (valid a few minutes)."""

    url: str
    expires_at: datetime
