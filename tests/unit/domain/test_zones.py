"""The clinic's timezone is decided in one place: the clinic's own zone, or the default before it is known."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.domain.model import Clinic, SharedPatient, ShareScope
from app.domain.zones import DEFAULT_TIMEZONE, clinic_timezone, usable_zone
from app.i18n import Translator


@pytest.mark.parametrize("value", [None, "", "Mars/Olympus_Mons", 42, "../etc/passwd"])
def test_an_absent_or_unknown_zone_falls_back_to_the_default(value: object) -> None:
    assert usable_zone(value) == DEFAULT_TIMEZONE
    assert usable_zone(value, default="UTC") == "UTC"


def test_a_known_zone_is_kept() -> None:
    assert usable_zone("Pacific/Kiritimati") == "Pacific/Kiritimati"


def test_the_clinics_zone_once_known_otherwise_the_default() -> None:
    assert clinic_timezone(None) == DEFAULT_TIMEZONE
    assert clinic_timezone(Clinic("c1", "Harbour", "Europe/Lisbon", "+351210000000")) == "Europe/Lisbon"


def test_the_translator_and_shared_patients_start_from_the_same_default() -> None:
    assert Translator().timezone == DEFAULT_TIMEZONE
    until = datetime(2027, 1, 1, tzinfo=UTC)
    assert SharedPatient("s1", "Alex", ShareScope.TIMES, "support", until, "").timezone == DEFAULT_TIMEZONE
