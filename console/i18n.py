"""The console's translators (one per browser session) over its own catalogue domain, `console`.

The same gettext/babel approach as the patient app (docs/TRANSLATING.md): messages marked in
console/ are extracted to locales/console.pot and translated in locales/<lang>/LC_MESSAGES/console.po
(`python -m scripts.i18n update|check` covers both domains).
"""

from __future__ import annotations

import datetime as dt
import gettext
import io
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from babel import Locale
from babel import dates as babel_dates
from babel import numbers as babel_numbers
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
DOMAIN = "console"
SUPPORTED: tuple[str, ...] = ("en", "es", "pt_BR")
DEFAULT = "en"
LANGUAGE_NAMES: dict[str, str] = {"en": "English", "es": "Español", "pt_BR": "Português (Brasil)"}


def N_(message: str) -> str:
    """Mark a string for extraction without translating it now."""
    return message


def negotiate(preferred: str | None) -> str:
    if not preferred:
        return DEFAULT
    found = Locale.negotiate([preferred.replace("-", "_")], list(SUPPORTED), sep="_")
    if found:
        return str(found)
    lang = preferred.replace("-", "_").split("_")[0].lower()
    return next((code for code in SUPPORTED if code.split("_")[0] == lang), DEFAULT)


@cache
def _catalogue(code: str) -> gettext.NullTranslations:
    po = LOCALES_DIR / code / "LC_MESSAGES" / f"{DOMAIN}.po"
    mo = po.with_suffix(".mo")
    if po.is_file() and (not mo.is_file() or mo.stat().st_mtime < po.stat().st_mtime):
        with po.open("rb") as handle:
            catalog = read_po(handle, locale=code)
        buffer = io.BytesIO()
        write_mo(buffer, catalog)
        buffer.seek(0)
        return gettext.GNUTranslations(buffer)
    return gettext.translation(DOMAIN, localedir=LOCALES_DIR, languages=[code], fallback=True)


@dataclass(frozen=True)
class Translator:
    code: str = DEFAULT
    _t: gettext.NullTranslations = field(init=False, repr=False, compare=False)
    _locale: Locale = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        code = self.code if self.code in SUPPORTED else DEFAULT
        object.__setattr__(self, "code", code)
        object.__setattr__(self, "_t", _catalogue(code))
        object.__setattr__(self, "_locale", Locale.parse(code))

    def gettext(self, message: str) -> str:
        return self._t.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._t.ngettext(singular, plural, n)

    def waited(self, delta: dt.timedelta) -> str:
        """How long something has waited, ticking: "45 s", "3 min 05 s", "2 h 10 min"."""
        seconds = max(0, int(delta.total_seconds()))
        if seconds < 60:
            return self.gettext("{s} s").format(s=seconds)
        if seconds < 3600:
            return self.gettext("{m} min {s:02d} s").format(m=seconds // 60, s=seconds % 60)
        if seconds < 86400:
            return self.gettext("{h} h {m:02d} min").format(h=seconds // 3600, m=seconds % 3600 // 60)
        return babel_dates.format_timedelta(delta, threshold=1.0, locale=self._locale)

    def decimal(self, value: float) -> str:
        return babel_numbers.format_decimal(round(value, 1), format="0.0", locale=self._locale)

    def datetime(self, value: dt.datetime) -> str:
        """In the zone the clinic wrote it in (the clinic's own)."""
        return babel_dates.format_datetime(value, "short", tzinfo=value.tzinfo, locale=self._locale)

    def day(self, value: dt.datetime) -> str:
        return babel_dates.format_date(value, "EEE d MMM", locale=self._locale)

    def day_time(self, value: dt.datetime) -> str:
        day = babel_dates.format_date(value, "EEE d MMM", locale=self._locale)
        time = babel_dates.format_time(value, "short", tzinfo=value.tzinfo, locale=self._locale)
        return f"{day} {time}"
