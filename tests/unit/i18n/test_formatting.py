"""Dates, times, weekdays, relative times and plurals as each language writes them, in the clinic timezone."""

from __future__ import annotations

import datetime as dt

import pytest

from app.i18n import Translator

UTC = dt.UTC
NEW_YORK = "America/New_York"


def _plain(text: str) -> str:
    # CLDR puts a narrow no-break space before AM/PM; a person reads it as a space.
    return text.replace("\u202f", " ").replace("\xa0", " ").replace("\u2009", " ")


@pytest.mark.parametrize(
    ("code", "names"),
    [
        ("en", ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]),
        ("es", ["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"]),
        (
            "pt_BR",
            [
                "segunda-feira",
                "terça-feira",
                "quarta-feira",
                "quinta-feira",
                "sexta-feira",
                "sábado",
                "domingo",
            ],
        ),
    ],
)
def test_weekday_names_are_the_languages_own(code: str, names: list[str]) -> None:
    tr = Translator(code)
    assert tr.weekday_names() == names
    assert tr.weekday(dt.date(2026, 11, 30)) == names[0]  # a Monday


def test_weekday_of_a_moment_is_the_clinics_day_not_utcs() -> None:
    # 02:00 UTC on Tuesday is still Monday evening in New York.
    assert Translator("es", NEW_YORK).weekday(dt.datetime(2026, 12, 1, 2, 0, tzinfo=UTC)) == "lunes"


SAO_PAULO = "America/Sao_Paulo"


@pytest.mark.parametrize(
    ("code", "zone", "morning", "afternoon"),
    [
        # A US clinic: its clock in every language (its letters and signs say 2:30 PM).
        ("en", NEW_YORK, "9:05 AM", "2:30 PM"),
        ("es", NEW_YORK, "9:05 a. m.", "2:30 p. m."),
        ("pt_BR", NEW_YORK, "9:05 AM", "2:30 PM"),
        # A Brazilian clinic: 24 hours, in English too.
        ("en", SAO_PAULO, "11:05", "16:30"),
        ("es", SAO_PAULO, "11:05", "16:30"),
        ("pt_BR", SAO_PAULO, "11:05", "16:30"),
        # No country (UTC): the language's own clock.
        ("en", "UTC", "2:05 PM", "7:30 PM"),
        ("es", "UTC", "14:05", "19:30"),
        ("pt_BR", "UTC", "14:05", "19:30"),
    ],
)
def test_times_follow_the_clinics_country_in_every_language(
    code: str, zone: str, morning: str, afternoon: str
) -> None:
    tr = Translator(code, zone)
    assert _plain(tr.time(dt.datetime(2026, 11, 30, 14, 5, tzinfo=UTC))) == morning
    assert _plain(tr.time(dt.datetime(2026, 11, 30, 19, 30, tzinfo=UTC))) == afternoon


@pytest.mark.parametrize(
    ("code", "expected"),
    [("en", "9:00 AM – 12:30 PM"), ("es", "9:00 a. m. – 12:30 p. m."), ("pt_BR", "9:00 AM – 12:30 PM")],
)
def test_a_time_range_at_a_us_clinic_is_on_the_12_hour_clock_in_every_language(
    code: str, expected: str
) -> None:
    tr = Translator(code, NEW_YORK)
    start = dt.datetime(2026, 11, 30, 14, 0, tzinfo=UTC)
    assert _plain(tr.time_range(start, start + dt.timedelta(hours=3, minutes=30))) == expected


@pytest.mark.parametrize("code", ["en", "es", "pt_BR"])
def test_a_moment_for_people_has_no_seconds(code: str) -> None:
    text = _plain(Translator(code, NEW_YORK).date_time(dt.datetime(2026, 11, 30, 19, 30, 45, tzinfo=UTC)))
    assert "2:30" in text
    assert ":45" not in text
    assert "30" in text
    assert "2026" in text


@pytest.mark.parametrize(
    ("code", "expected"),
    [("en", "Nov 30 – Dec 6"), ("es", "30 nov – 6 dic"), ("pt_BR", "30 de nov. – 6 de dez.")],
)
def test_date_range_of_a_week(code: str, expected: str) -> None:
    assert _plain(Translator(code).date_range(dt.date(2026, 11, 30), dt.date(2026, 12, 6))) == expected


@pytest.mark.parametrize(
    ("code", "ahead", "behind"),
    [
        ("en", "in 2 hours", "5 minutes ago"),
        ("es", "dentro de 2 horas", "hace 5 minutos"),
        ("pt_BR", "em 2 horas", "há 5 minutos"),
    ],
)
def test_relative_times(code: str, ahead: str, behind: str) -> None:
    tr = Translator(code)
    assert tr.relative(dt.timedelta(hours=2)) == ahead
    assert tr.relative(dt.timedelta(minutes=-5)) == behind


@pytest.mark.parametrize(
    ("code", "one", "three"),
    [
        ("en", "1 change waiting", "3 changes waiting"),
        ("es", "1 cambio en espera", "3 cambios en espera"),
        ("pt_BR", "1 mudança aguardando envio", "3 mudanças aguardando envio"),
    ],
)
def test_plurals_follow_each_languages_rule(code: str, one: str, three: str) -> None:
    tr = Translator(code)
    assert tr.pending_changes(1) == one
    assert tr.pending_changes(3) == three
    assert tr.ngettext("{n} change waiting", "{n} changes waiting", 3).format(n=3) == three


def test_portuguese_counts_zero_as_singular_and_spanish_as_plural() -> None:
    assert Translator("pt_BR").pending_changes(0) == "0 mudança aguardando envio"
    assert Translator("es").pending_changes(0) == "0 cambios en espera"


def test_numbers_use_the_locales_separators() -> None:
    assert [Translator(c).number(1234.5) for c in ("en", "es", "pt_BR")] == ["1,234.5", "1.234,5", "1.234,5"]


# A session at 9:00 every day in New York, across both daylight-saving changes of 2026:
# clocks go back on Sunday 1 November and forward on Sunday 8 March.
FALL_BACK_WEEK = [
    (dt.datetime(2026, 10, 29, 13, 0, tzinfo=UTC), "Thu, Oct 29"),  # EDT, UTC-4
    (dt.datetime(2026, 10, 30, 13, 0, tzinfo=UTC), "Fri, Oct 30"),
    (dt.datetime(2026, 10, 31, 13, 0, tzinfo=UTC), "Sat, Oct 31"),
    (dt.datetime(2026, 11, 1, 14, 0, tzinfo=UTC), "Sun, Nov 1"),  # EST, UTC-5
    (dt.datetime(2026, 11, 2, 14, 0, tzinfo=UTC), "Mon, Nov 2"),
    (dt.datetime(2026, 11, 3, 14, 0, tzinfo=UTC), "Tue, Nov 3"),
    (dt.datetime(2026, 11, 4, 14, 0, tzinfo=UTC), "Wed, Nov 4"),
]
SPRING_FORWARD_WEEK = [
    (dt.datetime(2026, 3, 6, 14, 0, tzinfo=UTC), "Fri, Mar 6"),  # EST
    (dt.datetime(2026, 3, 7, 14, 0, tzinfo=UTC), "Sat, Mar 7"),
    (dt.datetime(2026, 3, 8, 13, 0, tzinfo=UTC), "Sun, Mar 8"),  # EDT
    (dt.datetime(2026, 3, 9, 13, 0, tzinfo=UTC), "Mon, Mar 9"),
]


@pytest.mark.parametrize("week", [FALL_BACK_WEEK, SPRING_FORWARD_WEEK], ids=["fall-back", "spring-forward"])
def test_a_week_crossing_daylight_saving_keeps_the_clinics_local_times(
    week: list[tuple[dt.datetime, str]],
) -> None:
    en, es = Translator("en", NEW_YORK), Translator("es", NEW_YORK)
    for moment, heading in week:
        local = en.local(moment)
        assert _plain(en.time(moment)) == "9:00 AM"
        assert _plain(es.time(moment)) == "9:00 a. m."
        assert en.day_heading(local.date()) == heading
    assert len({en.local(moment).date() for moment, _ in week}) == len(week)  # one session a day, no day lost


def test_the_same_instant_in_another_clinic_timezone() -> None:
    moment = dt.datetime(2026, 11, 30, 14, 0, tzinfo=UTC)
    assert (
        _plain(Translator("pt_BR", NEW_YORK).with_timezone("America/Los_Angeles").time(moment)) == "6:00 AM"
    )
    assert Translator("pt_BR", NEW_YORK).with_timezone(SAO_PAULO).time(moment) == "11:00"
