"""What a reminder banner says: the session, how soon and where; nothing of it in discreet mode; the
locale's words and the clinic's clock (babel)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.domain.model import Assignment, ScheduleItem, SessionKind, ShareScope
from app.domain.reminders import Reminder, ReminderKind
from app.i18n import Translator
from app.ui.reminder_text import calendar_problem, feed_scope_text, reminder_text

NY = ZoneInfo("America/New_York")
STARTS = datetime(2026, 3, 2, 9, 30, tzinfo=NY)
GROUP = ScheduleItem(
    "s1", SessionKind.PROCESS_GROUP, STARTS, STARTS + timedelta(hours=1), location="Group room B"
)
SESSION = Reminder("session:s1", ReminderKind.SESSION, STARTS, session=GROUP)
NOW = STARTS - timedelta(minutes=30)
NNBSP = "\u202f"


def tr(code: str) -> Translator:
    return Translator(code, "America/New_York")


@pytest.mark.parametrize(
    ("code", "text"),
    [
        ("en", "Process group in 30 minutes · 9:30 AM · Group room B"),
        ("es", f"Grupo de terapia dentro de 30 minutos · 9:30{NNBSP}a.{NNBSP}m. · Group room B"),
        ("pt_BR", f"Grupo terapêutico em 30 minutos · 9:30{NNBSP}AM · Group room B"),
    ],
)
def test_a_session_reminder_names_the_session_when_and_where_in_the_locale(code: str, text: str) -> None:
    assert reminder_text(tr(code), SESSION, NOW, discreet=False) == text


@pytest.mark.parametrize(
    ("code", "text"),
    [
        ("en", "Appointment in 30 minutes · 9:30 AM"),
        ("es", f"Cita dentro de 30 minutos · 9:30{NNBSP}a.{NNBSP}m."),
        ("pt_BR", f"Compromisso em 30 minutos · 9:30{NNBSP}AM"),
    ],
)
def test_in_discreet_mode_a_session_reminder_has_no_name_or_room(code: str, text: str) -> None:
    said = reminder_text(tr(code), SESSION, NOW, discreet=True)
    assert said == text
    assert "Group" not in said


def test_a_clinic_entered_title_is_shown_as_given_but_never_in_discreet_mode() -> None:
    titled = Reminder("k", ReminderKind.SESSION, STARTS, session=replace(GROUP, title="Relapse prevention"))
    assert reminder_text(tr("en"), titled, NOW, discreet=False).startswith("Relapse prevention in 30 minutes")
    assert "Relapse" not in reminder_text(tr("en"), titled, NOW, discreet=True)


def test_the_check_in_nudge_and_the_assignment_reminder_read_neutral_in_discreet_mode() -> None:
    checkin = Reminder("checkin:2026-03-02", ReminderKind.CHECKIN, STARTS)
    due = datetime(2026, 3, 3, 17, 0, tzinfo=NY)
    work = Reminder(
        "assignment:a1",
        ReminderKind.ASSIGNMENT,
        due,
        assignment=Assignment("a1", "Trigger diary", "CBT", "", due),
    )
    assert reminder_text(tr("en"), checkin, NOW, discreet=False) == "You have not done today’s check-in yet"
    assert reminder_text(tr("en"), checkin, NOW, discreet=True) == "A reminder for today"
    assert reminder_text(tr("en"), work, NOW, discreet=False) == "“Trigger diary” is due tomorrow at 5:00 PM"
    assert reminder_text(tr("en"), work, NOW, discreet=True) == "Something is due tomorrow at 5:00 PM"
    assert reminder_text(tr("es"), work, NOW, discreet=True) == (
        f"Tienes algo para mañana a las 5:00{NNBSP}p.{NNBSP}m."
    )


@pytest.mark.parametrize("code", ["sync.offline", "sync.connection_lost"])
def test_offline_a_calendar_change_says_so_in_the_users_language_and_that_nothing_changed(code: str) -> None:
    assert calendar_problem(tr("en"), code) == (
        "Calendar links need a connection to your clinic. Nothing was changed. Try again when you are online."
    )
    assert calendar_problem(tr("es"), code).startswith("Los enlaces de calendario necesitan conexión")
    assert calendar_problem(tr("pt_BR"), code).startswith("Os links de agenda precisam de conexão")


def test_the_clinics_feed_codes_read_as_sentences_never_as_codes() -> None:
    assert calendar_problem(tr("en"), "feed.too_many") == (
        "You have too many calendar links. Turn one off, then try again."
    )
    assert "feed." not in calendar_problem(tr("es"), "feed.discharged")


def test_a_family_feed_says_whose_schedule_and_what_of_it() -> None:
    assert feed_scope_text(tr("en"), ShareScope.TIMES, "Alex") == (
        "Your calendar will show the dates and times of Alex’s sessions, without their names or places."
    )
    assert feed_scope_text(tr("es"), ShareScope.FAMILY_SESSIONS, "Alex") == (
        "Tu calendario mostrará solo las sesiones familiares de Alex."
    )
