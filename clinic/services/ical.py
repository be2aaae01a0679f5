"""A patient's (or a share's) schedule as an RFC 5545 calendar: private by default, DST-correct.

Events carry the item's rendered record (`render.schedule_item` or, for family, the share's
projection `render.family_schedule_item`), so a feed never shows more than the sync would. Titles
are one neutral word unless the feed asks for real ones; nothing names the programme. The UID is
the item's id (moved items keep it), SEQUENCE its sync version (it grows with every change, so
calendars take a cancellation or a move as an update), DTSTAMP when it last changed (the body is
stable between changes, which is what makes the ETag work).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event, Timezone

from clinic.schemas import ScheduleItemData

# The clinic has no gettext: the three languages of the app, for the few words a feed carries.
NEUTRAL_TITLE = {"en": "Appointment", "es": "Cita", "pt_BR": "Consulta"}
CALENDAR_NAME = "Waypoint"
PRODID = "-//Waypoint//Calendar feed 1//EN"
ALARMS = {"1h": timedelta(hours=1), "1d": timedelta(days=1)}


@dataclass(frozen=True, slots=True)
class FeedOptions:
    titles: str  # "neutral" | "real"
    neutral_title: str | None
    lang: str
    alarm: str  # "none" | "1h" | "1d"

    def neutral(self) -> str:
        return self.neutral_title or NEUTRAL_TITLE.get(self.lang, NEUTRAL_TITLE["en"])


@dataclass(frozen=True, slots=True)
class FeedEvent:
    item_id: str
    version: int
    changed_at: datetime
    data: ScheduleItemData


def calendar(
    events: list[FeedEvent], options: FeedOptions, tz: ZoneInfo, host: str, start: date, end: date
) -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", CALENDAR_NAME)
    cal.add("x-wr-timezone", tz.key)
    # Whole years around the window, so the VTIMEZONE (and the body) changes once a year, not daily.
    first, last = date(start.year, 1, 1), date(end.year + 1, 1, 1)
    cal.add_component(Timezone.from_tzid(tz.key, first_date=first, last_date=last))
    for event in events:
        cal.add_component(_event(event, options, tz, host))
    return bytes(cal.to_ical())


def _event(event: FeedEvent, options: FeedOptions, tz: ZoneInfo, host: str) -> Event:
    data = event.data
    real = options.titles == "real"
    summary = (data.title if real else None) or options.neutral()
    vevent = Event()
    vevent.add("uid", f"{event.item_id}@{host}")
    vevent.add("sequence", event.version)
    vevent.add("dtstamp", event.changed_at.astimezone(UTC))
    vevent.add("last-modified", event.changed_at.astimezone(UTC))
    vevent.add("dtstart", datetime.fromisoformat(data.starts_at).astimezone(tz))
    vevent.add("dtend", datetime.fromisoformat(data.ends_at).astimezone(tz))
    vevent.add("summary", summary)
    vevent.add("class", "PRIVATE")
    vevent.add("transp", "OPAQUE")
    cancelled = data.status == "cancelled"
    vevent.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    if real:
        if data.location:
            vevent.add("location", data.location)
        if data.staff_name:
            vevent.add("description", data.staff_name)
        if data.video_url:
            vevent.add("url", data.video_url)
    if options.alarm in ALARMS and not cancelled:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", summary)
        alarm.add("trigger", -ALARMS[options.alarm])
        vevent.add_component(alarm)
    return vevent
