"""The daily check-in in Chromium against the real clinic (issue 12's Done-when, as far as the app goes).

The clinic is down; Alex answers craving 9 and "contact me"; the screen says the care team will see
those answers, and the confirmation shows the call buttons at once. The clinic comes back; the staff
stream receives exactly one flag carrying both reasons; staff acknowledge it; Alex's check-in history
says who saw it. The check-in, confirmation and trends screens pass axe.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser

from tests.e2e.conftest import TALL_LAPTOP, Stack, signed_in
from tests.support.app_server import AppServer
from tests.support.browser import AppPage
from tests.support.clinic_server import ClinicServer
from tests.support.pointer import choose, press
from tests.support.polling import wait_until

pytestmark = pytest.mark.e2e
DELIVERY_TIMEOUT = 30.0
SEEN_TIMEOUT_MS = 30_000
ANSWERS = {"craving": "9", "mood": "3", "confidence": "4", "used": "no", "contact": "yes"}


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory, browser: Browser) -> Iterator[Stack]:
    """The demo clinic (four weeks of Alex's check-ins, none today) and the app, on a tall laptop."""
    root = tmp_path_factory.mktemp("checkin")
    with (
        ClinicServer(root / "clinic") as clinic,
        AppServer(root / "app", clinic_url=clinic.url, sync_interval=2) as app,
    ):
        page = AppPage.open(browser, app.url, TALL_LAPTOP)
        try:
            yield Stack(clinic, app, page, clinic.patient_id("alex"), [], [])
        finally:
            page.close()


def set_discreet(page: AppPage, on: bool) -> None:
    page.open_settings("discreet-mode")
    page.set_switch("discreet-mode", on)


def staff_flags(clinic: ClinicServer) -> list[dict[str, Any]]:
    with clinic.client(clinic.staff_token()) as client:
        answer = client.get("/v1/staff/flags")
        answer.raise_for_status()
        flags: list[dict[str, Any]] = answer.json()
        return flags


def test_an_offline_worrying_check_in_reaches_the_team_once_and_comes_back_seen(stack: Stack) -> None:
    page, clinic = stack.page, stack.clinic
    signed_in(stack)
    page.tap_until("nav-today", "checkin-card")
    page.wait_text("checkin-card", r"Daily check-in")  # none today yet in the demo data
    set_discreet(page, True)
    try:
        page.tap_until("nav-today", "checkin-start")
        wait_until(lambda: "Daily check-in" not in page.text_of("checkin-card"), 10, message="title shown")
    finally:
        set_discreet(page, False)
    page.tap_until("nav-today", "checkin-card")
    page.wait_text("checkin-card", r"Daily check-in")
    before = {f["id"] for f in staff_flags(clinic)}
    with clinic.open_alert_stream() as stream:
        clinic.stop()
        page.tap_until("checkin-start", "checkin-screen")
        for item, value in ANSWERS.items():
            choose(page, f"checkin-{item}-{value}")
        # Honest before sending: beside each answer that will alert the team, and nowhere else.
        page.wait_id("checkin-craving-seen")
        page.wait_id("checkin-contact-seen")
        assert page.by_id("checkin-used-seen").count() == 0
        assert page.by_id("checkin-mood-seen").count() == 0
        page.assert_accessible("daily check-in, answered")

        press(page, "checkin-submit")
        page.wait_id("checkin-confirmation")
        for call in ("call-counselor", "call-clinic", "call-988"):
            page.wait_id(call)  # at once, with the clinic down: never a dead end
        confirmation = page.text_of("checkin-confirmation")
        assert "Saved on this device" in confirmation
        assert "answer by" not in confirmation  # that promise belongs to the alert button
        page.assert_accessible("check-in confirmation with the call buttons")

        clinic.start()
        # A check-in waits for the engine's next try, which backs off while the clinic is down (only
        # a help alert is retried every few seconds): the patient's "Sync now" sends it at once.
        page.open_settings("sync-now")
        page.tap("sync-now")
        event = stream.wait_for(
            lambda e: e.get("event") == "flag" and e["data"]["id"] not in before, timeout=DELIVERY_TIMEOUT
        )
        assert event is not None, "the staff stream never received the check-in's flag"
        flag = event["data"]
        assert flag["patient_id"] == stack.patient_id
        assert sorted(flag["reasons"]) == ["contact", "craving"]
        assert flag["severity"] == "high"
        time.sleep(3)  # a second delivery of the check-in would show up as a second flag by now
        new = [
            e["data"]["id"]
            for e in stream.events
            if e.get("event") == "flag" and e["data"]["id"] not in before
        ]
        assert new == [flag["id"]]
    assert [f["id"] for f in staff_flags(clinic) if f["id"] not in before] == [flag["id"]]

    with clinic.client(clinic.staff_token()) as client:
        acked = client.post(f"/v1/staff/flags/{flag['id']}/ack", json={"note": "Called Alex back"})
        acked.raise_for_status()
    seen_by = acked.json()["acknowledged_by"]
    assert seen_by

    # No tap on "sync": the acknowledgement arrives with the next background sync.
    page.tap_until("nav-checkin", "checkin-screen")
    press(page, "checkin-trends-link")
    history = f"checkin-history-{flag['checkin_id']}"
    text = page.wait_text(history, rf"Seen by {seen_by}", timeout=SEEN_TIMEOUT_MS)
    assert "strong craving" in text
    assert "asked to be contacted" in text
    # The chart (flet-charts) carries a label for a screen reader; the summary says what it shows.
    assert "Chart of craving, mood and confidence from" in page.text_of("trends-chart")
    summary = page.text_of("trends-summary")
    assert "This week craving averaged" in summary
    page.assert_accessible("my trends")

    page.tap_until("nav-today", "checkin-card")
    page.wait_text("checkin-card", r"Done today")  # the card turns to "Done today · edit"
    assert page.by_id("checkin-start").count() == 0
