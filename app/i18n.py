"""Translators (one per Flet session, never a process-global `_`) and babel formatting."""

from __future__ import annotations

import gettext
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel import Locale, UnknownLocaleError
from babel import dates as babel_dates
from babel import numbers as babel_numbers

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
DOMAIN = "messages"
SUPPORTED: tuple[str, ...] = ("en", "es", "pt_BR")
DEFAULT = "en"


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


@lru_cache(maxsize=None)
def _catalogue(code: str) -> gettext.NullTranslations:
    # Catalogues are immutable once loaded; sharing them between sessions is safe.
    return gettext.translation(DOMAIN, localedir=LOCALES_DIR, languages=[code], fallback=True)


@dataclass(frozen=True)
class Translator:
    """Translate and format for one locale, in the clinic's timezone."""

    code: str = DEFAULT
    timezone: str = "America/New_York"
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

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def _(self, message: str) -> str:
        return self._t.gettext(message)

    def gettext(self, message: str) -> str:
        return self._t.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._t.ngettext(singular, plural, n)

    def local(self, moment: datetime) -> datetime:
        return moment.astimezone(self.tz)

    def time(self, moment: datetime) -> str:
        """`9:00 AM` in en, `9:00` in es and pt_BR."""
        return babel_dates.format_time(self.local(moment), format="short", locale=self._locale)

    def date(self, day: date | datetime, fmt: str = "medium") -> str:
        if isinstance(day, datetime):
            day = self.local(day).date()
        return babel_dates.format_date(day, format=fmt, locale=self._locale)

    def weekday(self, day: date | datetime, width: str = "wide") -> str:
        if isinstance(day, datetime):
            day = self.local(day).date()
        return babel_dates.format_date(day, format="EEEE" if width == "wide" else "EEE", locale=self._locale)

    def day_heading(self, day: date) -> str:
        """`Monday, Nov 30` in the locale's own order."""
        return babel_dates.format_skeleton("MMMEd", day, locale=self._locale)

    def datetime(self, moment: datetime) -> str:
        return babel_dates.format_datetime(self.local(moment), format="medium", locale=self._locale)

    def relative(self, delta: timedelta) -> str:
        """`in 2 hours` / `2 hours ago` for the locale."""
        return babel_dates.format_timedelta(delta, add_direction=True, locale=self._locale, threshold=1.0)

    def number(self, value: int | float) -> str:
        return babel_numbers.format_decimal(value, locale=self._locale)

    def weekday_names(self) -> list[str]:
        return [self._locale.days["format"]["wide"][i] for i in range(7)]
