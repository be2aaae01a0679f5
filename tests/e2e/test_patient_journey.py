"""A patient's journey in Chromium against the real clinic: week, offline RSVP and assignment, support, lock.

The tests share one clinic + app pair (real store, real keyring), yet none counts on another having
run: each signs in if the app is not signed in yet, stops or starts the clinic itself, and leaves it
running; the lock test, whose lockout would lock every later test out, has an app of its own.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser

from tests.e2e.conftest import LOCK_AFTER, TALL_LAPTOP, Stack, app_data_files, sign_in, signed_in
from tests.support.app_server import AppServer
from tests.support.browser import AppPage
from tests.support.polling import wait_until

pytestmark = pytest.mark.e2e
CLINIC_TZ = ZoneInfo("America/New_York")
DELIVERY_TIMEOUT = 30.0
PIN = "2468"


def clock_text(moment: datetime) -> re.Pattern[str]:
    """`9:00 AM` in the clinic's timezone, whatever space the locale puts before AM/PM."""
    local = moment.astimezone(CLINIC_TZ)
    hour = local.hour % 12 or 12
    return re.compile(rf"\b{hour}:{local.minute:02d}\s*({'AM' if local.hour < 12 else 'PM'})?")


def starts(item: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(item["starts_at"])


def this_week(schedule: list[dict[str, Any]]) -> list[dict[str, Any]]:
    now = datetime.now(CLINIC_TZ)
    monday = now.date() - timedelta(days=now.weekday())

    def shown(item: dict[str, Any]) -> bool:
        in_week = monday <= starts(item).astimezone(CLINIC_TZ).date() <= monday + timedelta(days=6)
        # A drug test is never shown before it has happened.
        hidden_test = item["kind"] == "drug_test" and datetime.fromisoformat(item["ends_at"]) > now
        return in_week and not hidden_test

    return [item for item in schedule if shown(item)]


def normalised(text: str) -> str:
    return text.replace("\u202f", " ").replace("\xa0", " ")


def sync_now(page: AppPage) -> None:
    page.open_settings("sync-now")
    page.tap("sync-now")


def this_week_shown(page: AppPage) -> None:
    """The week screen, on the current week (another test may have browsed to the next one)."""
    page.tap_until("nav-week", "week-next")
    if page.by_id("week-this").count():
        page.tap("week-this")
        page.by_id("week-this").wait_for(state="detached")


def assert_week_shows(page: AppPage, items: list[dict[str, Any]]) -> None:
    for item in items:
        text = normalised(page.text_of(f"session-{item['id']}"))
        assert clock_text(starts(item)).search(text), (item["kind"], text)
        assert clock_text(datetime.fromisoformat(item["ends_at"])).search(text), (item["kind"], text)


def test_week_at_local_times_then_from_the_encrypted_cache(stack: Stack) -> None:
    page = stack.page
    signed_in(stack)
    page.tap_until("nav-today", "next-session")
    page.assert_accessible("today")
    expected = this_week(stack.schedule)
    assert len(expected) >= 8, "the demo week has Mon/Wed/Thu sessions"
    this_week_shown(page)
    assert_week_shows(page, expected)
    page.assert_accessible("week")

    stack.clinic.stop()
    try:
        page.reload()
        this_week_shown(page)
        assert_week_shows(page, expected)
    finally:
        stack.clinic.start()


def test_rsvp_made_offline_reaches_the_clinic_once(stack: Stack) -> None:
    page = stack.page
    signed_in(stack)
    stack.clinic.stop()
    now = datetime.now(CLINIC_TZ)
    item = min(
        (
            i
            for i in stack.schedule
            if starts(i) > now and i["status"] != "cancelled" and i["kind"] != "drug_test"
        ),
        key=starts,
    )
    this_week_shown(page)
    # By its date, not by whether its card is there yet: the week's sessions can arrive after its
    # switcher, and a session later this week was then looked for in the next one.
    if item not in this_week(stack.schedule):
        page.tap_until("week-next", f"session-{item['id']}")
    page.tap_until(f"session-{item['id']}", "rsvp-note")
    page.assert_accessible("session sheet")
    page.fill("rsvp-note", "bus is late")
    page.tap("rsvp-late")
    page.wait_text("rsvp-status", r"(?i)not sent|when you are online")

    stack.clinic.start()
    sync_now(page)
    mine = wait_until(
        lambda: [r for r in stack.clinic.rsvps(stack.patient_id) if r["schedule_item_id"] == item["id"]],
        DELIVERY_TIMEOUT,
        interval=0.3,
    )
    # Once nothing waits in the outbox, nothing more can be sent: then count.
    page.wait_text("sync-status", r"all saved")
    mine = [r for r in stack.clinic.rsvps(stack.patient_id) if r["schedule_item_id"] == item["id"]]
    assert len(mine) == 1
    assert (mine[0]["response"], mine[0]["note"]) == ("late", "bus is late")
    assert stack.clinic.audit_actions(stack.patient_id)["rsvp.set"] == 1  # applied once, not retried twice


def test_assignment_completed_offline_reaches_the_clinic_once(stack: Stack) -> None:
    page = stack.page
    signed_in(stack)
    assignment = next(a for a in stack.assignments if a["status"] == "todo")
    stack.clinic.stop()
    page.tap_until("nav-assignments", f"assignment-{assignment['id']}")
    page.assert_accessible("assignments")
    page.tap_until(f"assignment-{assignment['id']}", "assignment-response")
    page.assert_accessible("assignment detail")
    page.fill("assignment-response", "Payday, an old friend, a bad night's sleep.")
    page.tap("assignment-complete")
    page.wait_text("assignment-status", r"(?i)not sent")

    stack.clinic.start()
    sync_now(page)

    def done() -> dict[str, Any] | None:
        found = next(a for a in stack.clinic.assignments(stack.patient_id) if a["id"] == assignment["id"])
        return found if found["status"] == "done" else None

    found = wait_until(done, DELIVERY_TIMEOUT, interval=0.3)
    assert found["response"] == "Payday, an old friend, a bad night's sleep."
    page.wait_text("sync-status", r"all saved")
    assert stack.clinic.audit_actions(stack.patient_id)["assignment.complete"] == 1


def test_support_offline_then_alert_delivered_once_and_acknowledged(stack: Stack) -> None:
    page = stack.page
    signed_in(stack)
    stack.clinic.stop()
    page.tap_until("support-button", "support-screen")
    for identifier in (
        "call-counselor",
        "call-clinic",
        "call-988",
        "text-988",
        "call-samhsa",
        "text-crisis-line",
    ):
        page.wait_id(identifier)
    assert re.search(r"(?i)reasons for recovery", page.text_of("coping-plan"))
    page.assert_accessible("support")
    page.scroll_to("coping-edit")
    page.tap_until("coping-edit", "coping-save-status")
    page.assert_accessible("coping plan editor")
    page.tap_until("support-button", "alert-care-team")
    page.assert_accessible("support")
    page.tap("alert-care-team")
    page.wait_text("alert-status", r"Not sent yet")

    stack.clinic.start()
    with stack.clinic.open_alert_stream(last_event_id="0") as stream:
        # No tap: a queued alert must go out by itself once the clinic is reachable again.
        # (The stream also carries the queue's check-in flags: the alert is the support_alert event.)
        event = stream.wait_for(lambda e: e.get("event") == "support_alert", timeout=DELIVERY_TIMEOUT)
        assert event is not None, "the staff stream never received the alert"
        alert_id = event["data"]["id"]
        page.wait_text("alert-status", r"(?i)sent to your care team|answer by")
        time.sleep(3)
        alerts = [e["data"]["id"] for e in stream.events if e.get("event") == "support_alert"]
        assert alerts.count(alert_id) == 1
    assert [a["id"] for a in stack.clinic.support_alerts()].count(alert_id) == 1

    stack.clinic.ack_alert(alert_id)
    # No tap either: the acknowledgement arrives with the next background sync.
    text = normalised(
        page.wait_text("alert-status", r"Seen by Sam Ortiz at", timeout=DELIVERY_TIMEOUT * 1000)
    )
    assert re.search(r"\d:\d\d", text)


# Per language: the navigation labels, Monday's heading in the week, whether times carry AM/PM. The
# demo clinic is in the US, so its times are on the 12-hour clock in every language (docs/TRANSLATING.md).
LANGUAGES = {
    "es": (("Hoy", "Semana", "Tareas", "Ajustes"), r"^lun, \d+ \w+", True),
    "pt_BR": (("Hoje", "Semana", "Tarefas", "Ajustes"), r"^seg\., \d+ de \w+", True),
    "en": (("Today", "Week", "Assignments", "Settings"), r"^Mon, \w+ \d+", True),
}
SYNCED = {"es": r"(?i)última sincronización", "pt_BR": r"(?i)última sincronização", "en": r"(?i)last synced"}


def switch_language(page: AppPage, code: str) -> None:
    page.tap_until("nav-settings", f"lang-{code}")
    page.tap(f"lang-{code}")
    page.wait_text("sync-status", SYNCED[code])


def assert_in_language(page: AppPage, code: str, week: list[dict[str, Any]]) -> None:
    """Navigation, weekday names and the clock of the whole week, in `code`, read off the screen."""
    nav, monday, twelve_hour = LANGUAGES[code]
    for label in nav:
        page.wait_screen(rf"^{label}$")
    page.tap_until("nav-week", "week-next")
    page.wait_screen(monday)
    for item in week:
        text = normalised(page.text_of(f"session-{item['id']}"))
        for moment in (starts(item), datetime.fromisoformat(item["ends_at"])):
            local = moment.astimezone(CLINIC_TZ)
            if twelve_hour:
                assert clock_text(moment).search(text), (code, text)
            else:
                assert re.search(rf"\b0?{local.hour}:{local.minute:02d}\b", text), (code, text)
        assert bool(re.search(r"\b(AM|PM)\b|[ap]\. ?m\.", text)) is twelve_hour, (code, text)


def test_language_switches_at_once_and_is_remembered(stack: Stack, browser: Browser) -> None:
    page = stack.page
    signed_in(stack)
    week = this_week(stack.schedule)
    assert any(starts(i).astimezone(CLINIC_TZ).hour >= 13 for i in week), "an afternoon session shows PM"
    this_week_shown(page)

    page.open_settings("sync-now")
    page.assert_accessible("settings")
    switch_language(page, "es")  # no restart: the open session re-renders in Spanish
    assert_in_language(page, "es", week)
    other = AppPage.open(browser, stack.app.url)  # a new session (a reload rejoins the same one)
    try:
        other.wait_text("sync-status", SYNCED["es"])  # remembered
    finally:
        other.close()

    switch_language(page, "pt_BR")
    assert_in_language(page, "pt_BR", week)

    switch_language(page, "en")  # the tests after this one read English
    assert_in_language(page, "en", week)


@pytest.fixture
def own_page(stack: Stack, browser: Browser, tmp_path: Path) -> Iterator[AppPage]:
    """The patient on a second device of their own: the lockout its test ends in locks only that one."""
    stack.clinic.start()  # no-op when it is up
    with AppServer(
        tmp_path / "app", clinic_url=stack.clinic.url, lock_after=LOCK_AFTER, sync_interval=2
    ) as app:
        page = AppPage.open(browser, app.url, TALL_LAPTOP)
        try:
            sign_in(page)
            yield page
        finally:
            page.close()


def test_app_lock_after_inactivity_limits_pins_and_keeps_support_open(own_page: AppPage) -> None:
    page = own_page
    page.open_settings("pin-new")
    page.fill("pin-new", PIN)
    page.fill("pin-confirm", PIN)
    page.tap("lock-enable")
    page.wait_id("lock-now")

    page.wait_id("pin-entry", timeout=(LOCK_AFTER + 10) * 1000)  # locked after inactivity
    page.assert_accessible("lock")
    page.tap_until("support-button", "support-screen")
    page.wait_id("call-988")
    page.tap("support-close")

    page.fill("pin-entry", "0000")
    page.tap("pin-unlock")
    page.wait_text("pin-message", r"4 tries left")
    page.fill("pin-entry", PIN)
    page.tap("pin-unlock")
    page.wait_id("nav-today")

    page.open_settings("lock-now")
    page.tap_until("lock-now", "pin-entry")
    for left in (4, 3, 2, 1, 0):  # five wrong PINs in a row, each answered before the next
        page.fill("pin-entry", "1111")
        page.tap("pin-unlock")
        page.wait_text("pin-message", rf"\b{left} tr(y|ies) left" if left else "Too many wrong PINs")
    page.wait_text("pin-message", r"Too many wrong PINs")
    assert page.by_id("nav-today").count() == 0
    page.tap_until("support-button", "support-screen")


def test_nothing_the_app_wrote_is_readable(stack: Stack) -> None:
    signed_in(stack)  # so the app has written the patient's data, whichever test ran before
    secrets = ["Alex Rivera", "Jordan Lee", "waypoint-demo", "bus is late", "old friend"]
    secrets += sorted({i["title"] for i in stack.schedule if i.get("title")})
    for path in app_data_files(stack.app):
        raw = path.read_bytes()
        for secret in secrets:
            assert secret.encode() not in raw, (path.name, secret)
    log = stack.app.log()
    for secret in secrets:
        assert secret not in log
