"""Plain-language texts of reminders and calendar feeds: banner wording (discreet or not), choices."""

from __future__ import annotations

from datetime import datetime

from app.domain.calendar import FeedAlarm, FeedTitles
from app.domain.model import ShareScope
from app.domain.reminders import Reminder, ReminderKind
from app.i18n import N_, Translator
from app.ui.labels import session_title

_ALARMS: dict[FeedAlarm, str] = {
    FeedAlarm.NONE: N_("No alert"),
    FeedAlarm.HOUR: N_("1 hour before"),
    FeedAlarm.DAY: N_("1 day before"),
}

_TITLES: dict[FeedTitles, str] = {
    FeedTitles.NEUTRAL: N_("A neutral word"),
    FeedTitles.REAL: N_("Real session names and places"),
}

_PROBLEMS: dict[str, str] = {
    "calendar.title_invalid": N_("Use a word of 1 to 40 letters for your calendar."),
    "sync.offline": N_(
        "Calendar links need a connection to your clinic. Nothing was changed. Try again when you are online."
    ),
    "sync.connection_lost": N_(
        "Calendar links need a connection to your clinic. Nothing was changed. Try again when you are online."
    ),
}

DEFAULT_WORD = N_("Appointment")

_FEED_SCOPES: dict[ShareScope, str] = {
    ShareScope.TIMES: N_(
        "Your calendar will show the dates and times of {name}’s sessions, without their names or places."
    ),
    ShareScope.DETAILS: N_(
        "Your calendar will show the dates, times, names and places of {name}’s sessions."
    ),
    ShareScope.FAMILY_SESSIONS: N_("Your calendar will show {name}’s family sessions only."),
}


def feed_scope_text(tr: Translator, scope: ShareScope, name: str) -> str:
    """What a family member's feed holds: exactly what the share allows, nothing more."""
    return tr.gettext(_FEED_SCOPES[scope]).format(name=name)


def alarm_label(tr: Translator, alarm: FeedAlarm) -> str:
    return tr.gettext(_ALARMS[alarm])


def titles_label(tr: Translator, titles: FeedTitles) -> str:
    return tr.gettext(_TITLES[titles])


def calendar_problem(tr: Translator, code: str) -> str:
    return tr.gettext(_PROBLEMS[code]) if code in _PROBLEMS else tr.problem(code)


def session_minutes_label(tr: Translator, minutes: int) -> str:
    if minutes == 0:
        return tr.gettext("Off")
    return tr.gettext("{n} min before").format(n=tr.number(minutes))


def reminder_text(tr: Translator, reminder: Reminder, now: datetime, *, discreet: bool) -> str:
    """ "Process group in 30 minutes · 9:00 AM · Group room B"; in discreet mode no name, room or topic."""
    if reminder.kind is ReminderKind.SESSION and reminder.session is not None:
        s = reminder.session
        what = tr.gettext(DEFAULT_WORD) if discreet else session_title(tr, s.title, s.kind)
        text = tr.gettext("{what} {when} · {time}").format(
            what=what, when=tr.relative(s.starts_at - now), time=tr.time(s.starts_at)
        )
        if s.location and not discreet:
            text = f"{text} · {s.location}"
        return text
    if reminder.kind is ReminderKind.CHECKIN:
        if discreet:
            return tr.gettext("A reminder for today")
        return tr.gettext("You have not done today’s check-in yet")
    if reminder.assignment is not None and not discreet:
        return tr.gettext("“{title}” is due tomorrow at {time}").format(
            title=reminder.assignment.title, time=tr.time(reminder.at)
        )
    return tr.gettext("Something is due tomorrow at {time}").format(time=tr.time(reminder.at))


def last_read_text(tr: Translator, last_read_at: datetime | None) -> str:
    if last_read_at is None:
        return tr.gettext("No calendar has read it yet")
    return tr.gettext("A calendar last read it {moment}").format(moment=tr.date_time(last_read_at))
