"""Translators (one per Flet session, never a process-global `_`) and babel formatting."""

from __future__ import annotations

import datetime as dt
import gettext
import io
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel import Locale, UnknownLocaleError
from babel import dates as babel_dates
from babel import numbers as babel_numbers
from babel.core import get_global
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from app.domain.zones import DEFAULT_TIMEZONE

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
DOMAIN = "messages"
SUPPORTED: tuple[str, ...] = ("en", "es", "pt_BR")
DEFAULT = "en"

# Each language named in its own language, as a language picker shows it.
LANGUAGE_NAMES: dict[str, str] = {"en": "English", "es": "Español", "pt_BR": "Português (Brasil)"}

# What Flutter's own widgets (date pickers) are told: (language, country or None).
_FLUTTER_LOCALES: dict[str, tuple[str, str | None]] = {
    "en": ("en", "US"),
    "es": ("es", None),  # date pickers only: the app's clock times follow the clinic (clinic_clock)
    "pt_BR": ("pt", "BR"),
}

FlutterLocale = tuple[str, str | None]


def N_(message: str) -> str:
    """Mark a string for extraction without translating it now."""
    return message


def negotiate(preferred: str | None) -> str:
    """Map a device locale such as `es-MX` or `pt_PT` to the closest supported language."""
    if not preferred:
        return DEFAULT
    found = Locale.negotiate([preferred.replace("-", "_")], list(SUPPORTED), sep="_")
    if found:
        return str(found)
    lang = preferred.replace("-", "_").split("_")[0].lower()
    for code in SUPPORTED:
        if code.split("_")[0] == lang:
            return code
    return DEFAULT


def languages() -> tuple[tuple[str, str], ...]:
    """`(code, name in its own language)` for every supported language, in menu order."""
    return tuple((code, LANGUAGE_NAMES[code]) for code in SUPPORTED)


def locale_configuration(code: str) -> tuple[tuple[FlutterLocale, ...], FlutterLocale]:
    """Supported locales and the current one for `page.locale_configuration` (the UI builds ft.Locale)."""
    current = _FLUTTER_LOCALES.get(code, _FLUTTER_LOCALES[DEFAULT])
    return tuple(_FLUTTER_LOCALES[c] for c in SUPPORTED), current


@cache
def clinic_clock(timezone: str) -> str | None:
    """`hm` (12-hour) or `Hm` (24-hour): how clocks are read in the clinic's country, or None.

    One convention for every language of one clinic: the times are the clinic's, printed on its
    letters and signs, so a Spanish-speaking patient of a US clinic reads `2:00 p. m.` like the
    clinic's own papers, not `14:00`. The country comes from the clinic's timezone (CLDR), and the
    convention from the country's main official language there (`en_US`, `pt_BR`, `es_ES`)."""
    territory = get_global("zone_territories").get(timezone)
    spoken = get_global("territory_languages").get(territory or "", {})
    if not spoken:
        return None
    main = max(
        spoken.items(),
        key=lambda kv: (kv[1].get("official_status") is not None, kv[1].get("population_percent", 0)),
    )[0]
    try:
        pattern = Locale.parse(f"{main}_{territory}").time_formats["short"].pattern
    except (ValueError, UnknownLocaleError):
        return None
    return "hm" if "h" in pattern or "K" in pattern else "Hm"


@cache
def _catalogue(code: str) -> gettext.NullTranslations:
    # Catalogues are immutable once loaded; sharing them between sessions is safe.
    return load_catalogue(LOCALES_DIR, code)


def load_catalogue(directory: Path, code: str) -> gettext.NullTranslations:
    """The compiled catalogue for `code`; a .po newer than its .mo (or alone) is compiled in memory."""
    po = directory / code / "LC_MESSAGES" / f"{DOMAIN}.po"
    mo = po.with_suffix(".mo")
    if po.is_file() and (not mo.is_file() or mo.stat().st_mtime < po.stat().st_mtime):
        # `scripts/setup` normally writes the .mo files; without them, show the translation
        # from the .po rather than English or stale text.
        with po.open("rb") as handle:
            catalog = read_po(handle, locale=code)
        buffer = io.BytesIO()
        write_mo(buffer, catalog)
        buffer.seek(0)
        return gettext.GNUTranslations(buffer)
    return gettext.translation(DOMAIN, localedir=directory, languages=[code], fallback=True)


@dataclass(frozen=True)
class Translator:
    """Translate and format for one locale, in the clinic's timezone."""

    code: str = DEFAULT
    timezone: str = DEFAULT_TIMEZONE
    _t: gettext.NullTranslations = field(init=False, repr=False, compare=False)
    _locale: Locale = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        try:
            locale = Locale.parse(self.code)
        except (ValueError, UnknownLocaleError):
            locale = Locale.parse(DEFAULT)
        object.__setattr__(self, "_t", _catalogue(self.code))
        object.__setattr__(self, "_locale", locale)

    def with_timezone(self, timezone: str) -> Translator:
        return Translator(self.code, timezone)

    def with_language(self, code: str) -> Translator:
        """The same clinic timezone in another language (switching at run time)."""
        return Translator(negotiate(code), self.timezone)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def language_name(self) -> str:
        return LANGUAGE_NAMES.get(self.code, LANGUAGE_NAMES[DEFAULT])

    def locale_configuration(self) -> tuple[tuple[FlutterLocale, ...], FlutterLocale]:
        return locale_configuration(self.code)

    def _(self, message: str) -> str:
        return self._t.gettext(message)

    def gettext(self, message: str) -> str:
        return self._t.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._t.ngettext(singular, plural, n)

    def pending_changes(self, n: int) -> str:
        """`1 change waiting` / `3 changes waiting`: edits in the outbox, not yet sent to the clinic."""
        return self._t.ngettext("{n} change waiting", "{n} changes waiting", n).format(n=self.number(n))

    def pgettext(self, context: str, message: str) -> str:
        """For short words whose translation depends on where they appear (`May` the month)."""
        return self._t.pgettext(context, message)

    def problem(self, code: str) -> str:
        """The plain-language message for an error code from the API or the app; never the raw code."""
        return self._t.gettext(problem_message(code))

    def local(self, moment: dt.datetime) -> dt.datetime:
        return moment.astimezone(self.tz)

    @property
    def clock_skeleton(self) -> str:
        """The clinic country's clock (see `clinic_clock`); the language's own where it is unknown."""
        own = "hm" if "a" in self._locale.time_formats["short"].pattern else "Hm"
        return clinic_clock(self.timezone) or own

    def time(self, moment: dt.datetime) -> str:
        """`9:00 AM` in en, `9:00 a. m.` in es for a US clinic, `9:00` in pt_BR for a Brazilian one."""
        return babel_dates.format_skeleton(self.clock_skeleton, self.local(moment), locale=self._locale)

    def time_range(self, start: dt.datetime, end: dt.datetime) -> str:
        """`9:00 AM – 12:30 PM` in en, `9:00 a. m. – 12:30 p. m.` in es, in the clinic's timezone."""
        return babel_dates.format_interval(
            self.local(start), self.local(end), self.clock_skeleton, locale=self._locale
        )

    def date_range(self, first: dt.date, last: dt.date) -> str:
        """`Nov 30 – Dec 6` in en, `30 nov – 6 dic` in es (the year shown only when they differ)."""
        skeleton = "MMMd" if first.year == last.year else "yMMMd"
        return babel_dates.format_interval(first, last, skeleton, locale=self._locale)

    def date(self, day: dt.date | dt.datetime, fmt: str = "medium") -> str:
        if isinstance(day, dt.datetime):
            day = self.local(day).date()
        return babel_dates.format_date(day, format=fmt, locale=self._locale)

    def weekday(self, day: dt.date | dt.datetime, width: str = "wide") -> str:
        if isinstance(day, dt.datetime):
            day = self.local(day).date()
        return babel_dates.format_date(day, format="EEEE" if width == "wide" else "EEE", locale=self._locale)

    def day_heading(self, day: dt.date) -> str:
        """`Monday, Nov 30` in the locale's own order."""
        return babel_dates.format_skeleton("MMMEd", day, locale=self._locale)

    def datetime(self, moment: dt.datetime) -> str:
        return babel_dates.format_datetime(self.local(moment), format="medium", locale=self._locale)

    def date_time(self, moment: dt.datetime) -> str:
        """`Mar 2, 2026, 2:05 PM`: a date and a clock time to the minute (no seconds), for people."""
        return self.gettext("{day}, {time}").format(day=self.date(moment), time=self.time(moment))

    def relative(self, delta: dt.timedelta) -> str:
        """`in 2 hours` / `2 hours ago` for the locale."""
        return babel_dates.format_timedelta(delta, add_direction=True, locale=self._locale, threshold=1.0)

    def number(self, value: int | float) -> str:
        return babel_numbers.format_decimal(value, locale=self._locale)

    def weekday_names(self) -> list[str]:
        return [self._locale.days["format"]["wide"][i] for i in range(7)]


# Error codes → English source text, translated by `Translator.problem`. The codes are those of
# docs/api.md, the client-side ones the app reports (net.*, server.error, store.*, sync.*), and the
# `code` attributes of app.api.errors and app.store.errors.
_SIGN_IN_AGAIN = N_("Please sign in again.")
_SHARE_ENDED = N_("This schedule is no longer shared with you.")
_OFFLINE = N_("Cannot reach your clinic. Check your internet connection and try again.")
_HTTPS = N_("The address must start with https://")
_SERVER = N_("Something went wrong at your clinic. Try again later.")
_REPAIRED = N_("Some saved data was damaged. It is being downloaded again from your clinic.")
_INVALID = N_("Some of the details are not right. Check them and try again.")
_UNKNOWN = N_("Something went wrong. Try again.")
_REJECTED = N_("Your clinic could not accept this change.")
_BAD_ADDRESS = N_("That address does not look right. Check it with your clinic.")

PROBLEMS: dict[str, str] = {
    "request.invalid": _INVALID,
    "request.too_large": N_("That is too long to send. Make it shorter and try again."),
    "auth.code_invalid": N_(
        "That code did not work. Check it and try again, or ask your clinic for a new one."
    ),
    "auth.code_expired": N_("This code has expired. Ask your clinic for a new one."),
    "auth.code_used": N_("This code was already used. Ask your clinic for a new one."),
    "auth.invalid_credentials": N_("The username or password is wrong. Try again."),
    "auth.token_missing": _SIGN_IN_AGAIN,
    "auth.token_invalid": _SIGN_IN_AGAIN,
    "auth.token_expired": _SIGN_IN_AGAIN,
    "auth.session_ended": _SIGN_IN_AGAIN,
    "auth.device_revoked": N_(
        "This device is signed out. Its saved data was removed to keep it private. Sign in again to continue."
    ),
    "auth.forbidden": N_("You do not have access to this."),
    "auth.error": N_("Signing in did not work. Try again."),
    "share.revoked": _SHARE_ENDED,
    "share.ended": _SHARE_ENDED,
    "share.expired": N_("Sharing of this schedule has ended."),
    "not_found": N_("We could not find that. It may have been removed."),
    "rate_limited": N_("Too many tries. Wait a minute, then try again."),
    "sync.conflict": N_("Your clinic changed this at the same time. We kept their version. Please check it."),
    "sync.rejected": _REJECTED,
    "sync.cursor_invalid": N_("Your data is being downloaded again from your clinic."),
    "sync.offline": _OFFLINE,
    "sync.connection_lost": N_("The connection to your clinic was lost. Try again."),
    "sync.server_error": _SERVER,
    "net.offline": _OFFLINE,
    "net.https_required": _HTTPS,
    "api.insecure_server": _HTTPS,
    "net.bad_address": _BAD_ADDRESS,
    "net.timeout": N_("Your clinic is taking too long to answer. Try again in a moment."),
    "server.error": _SERVER,
    "api.bad_response": _SERVER,
    "api.invalid_request": _INVALID,
    "store.repaired": _REPAIRED,
    "store.record_repaired": _REPAIRED,
    "store.outbox_damaged": N_(
        "Some changes saved on this device were damaged and could not be sent. "
        "Please check and make them again."
    ),
    "store.reset": N_(
        "The data saved on this device could not be read, so it was cleared. "
        "It is being downloaded again from your clinic."
    ),
    "secrets.access_failed": N_(
        "This device's secure storage did not answer. Your changes are kept and will be sent later."
    ),
    "secrets.no_backend": N_(
        "This device has no secure storage, so Waypoint cannot keep your data private here."
    ),
    # Rejection and validation codes the reference clinic sends inside mutation results.
    "auth.username_taken": N_("That username is taken. Choose another one."),
    "share.expiry_past": N_("That end date has passed. Choose a date in the future."),
    "share.expiry_too_far": N_("That end date is too far away. Choose an earlier date."),
    "schedule_item.not_found": N_("This session is no longer on your schedule."),
    "schedule_item.cancelled": N_("This session was cancelled, so your answer was not saved."),
    "assignment.not_found": N_("This assignment is no longer on your list."),
    "checkin.answers_invalid": N_("Your clinic could not take these answers. Check them and send again."),
    "checkin.period_invalid": N_("This check-in is for a day that can no longer be answered."),
    "checkin.questionnaire_unknown": N_("Your clinic no longer asks these questions."),
    "checkin.period_taken": N_("You already checked in for this day on another device."),
    "checkin.id_taken": _UNKNOWN,
    "mutation.invalid": _REJECTED,
    "mutation.unknown_type": _REJECTED,
    "support_alert.id_taken": _UNKNOWN,
    "idempotency.key_reused": _UNKNOWN,  # the app reuses an id only for the same request
    # Device keys: a refused signature ends the session; a second key is only logged.
    "auth.signature_invalid": _SIGN_IN_AGAIN,
    "device.key_exists": _UNKNOWN,
    "request.method_not_allowed": _UNKNOWN,
    # Codes the app's view state reports (app.state, app.ui).
    "auth.https_required": _HTTPS,
    "auth.url_invalid": _BAD_ADDRESS,
    "auth.not_a_clinic": N_("This is not a Waypoint clinic address. Check the address your clinic gave you."),
    "network.unreachable": _OFFLINE,
    "network.offline": _OFFLINE,
    "pin.format": N_("Use 4 to 8 digits for your PIN."),
    "pin.mismatch": N_("The two PINs are not the same."),
    "pin.wrong": N_("That PIN is not right."),
    "pin.too_many": N_("Too many wrong PINs. Wait, then try again."),
    "checkin.incomplete": N_("Please answer every question (the note is optional)."),
    # Calendar feeds (docs/api.md): managed online; a link that has ended answers 410.
    "feed.share_id_required": _INVALID,
    "feed.share_id_not_allowed": _INVALID,
    "feed.discharged": N_("Your program has ended, so its calendar link has stopped."),
    "feed.too_many": N_("You have too many calendar links. Turn one off, then try again."),
    "feed.revoked": N_("This calendar link was turned off."),
    "feed.share_ended": _SHARE_ENDED,
    "feed.link_used": N_("This download link was already used. Ask for a new one."),
    "feed.link_expired": N_("This download link has expired. Ask for a new one."),
    "unknown": _UNKNOWN,
}


def problem_message(code: str) -> str:
    """English source for `code`: exact; else its last part (`assignment.not_found`); else generic."""
    if code in PROBLEMS:
        return PROBLEMS[code]
    head, _, tail = code.rpartition(".")
    return PROBLEMS.get(tail) or PROBLEMS.get(f"{head}.error") or _UNKNOWN
