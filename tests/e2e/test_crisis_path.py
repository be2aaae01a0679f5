"""The crisis path in Chromium (issue 16, items 1-7, 15, 18): what a person in crisis meets on the
support screen — at 200 % zoom, with the clinic away, tapping twice, overdue, signing out, locked out.

One clinic for the module; each test runs its own app (its own device) and first marks every alert
the clinic has as answered, so an earlier test's alert is never "the same alert" as a new tap.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from tests.e2e.conftest import LOCK_AFTER, TALL_LAPTOP, sign_in
from tests.support.app_server import AppServer
from tests.support.browser import PHONE, AppPage
from tests.support.clinic_server import ClinicServer
from tests.support.polling import wait_until

pytestmark = pytest.mark.e2e
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
DELIVERY_MS = 30_000
PIN = "2468"
BIG_TEXT = "32px"  # the browser's text at 200 %: Flutter web scales its text by the root font size


@pytest.fixture(scope="module")
def clinic(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ClinicServer]:
    with ClinicServer(tmp_path_factory.mktemp("crisis") / "clinic") as server:
        yield server


def answer_all(clinic: ClinicServer) -> set[str]:
    """Every alert the clinic has, acknowledged; their ids (a new tap is then a new alert)."""
    alerts = clinic.support_alerts()
    for alert in alerts:
        if alert["status"] != "acknowledged":
            clinic.ack_alert(alert["id"])
    return {a["id"] for a in alerts}


@pytest.fixture
def app(clinic: ClinicServer, tmp_path: Path) -> Iterator[AppServer]:
    clinic.start()  # no-op when it is up
    answer_all(clinic)
    with AppServer(tmp_path / "app", clinic_url=clinic.url, lock_after=LOCK_AFTER, sync_interval=2) as server:
        yield server


def signed_in_page(browser: Browser, app: AppServer, size: dict[str, int] | None = None) -> AppPage:
    page = AppPage.open(browser, app.url, size or TALL_LAPTOP)
    sign_in(page)
    return page


def box(page: AppPage, identifier: str) -> dict[str, float]:
    found = page.wait_id(identifier).bounding_box()
    assert found is not None, f"{identifier} is not laid out"
    return {"x": found["x"], "y": found["y"], "width": found["width"], "height": found["height"]}


def open_page(
    browser: Browser, url: str, width: int, height: int, scale: float = 1, big_text: bool = False
) -> AppPage:
    """A page at a CSS size; `scale` 2 with half a phone's width is that phone at 200 % zoom (the
    Flet page forbids pinch zoom, so the zoom is what the browser's zoom gives: fewer CSS pixels)."""
    context = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=scale)
    page = AppPage(context.new_page())
    page.page.goto(url)
    if big_text:
        page.page.evaluate(f"document.documentElement.style.fontSize = '{BIG_TEXT}'")
    page.enable_semantics()
    return page


def into_view(page: AppPage, identifier: str, screen: str = "support-screen") -> None:
    """Scroll `screen` until all of `identifier` is inside it (a node's box is clipped to its list)."""
    page.scroll_to(identifier)
    for _ in range(40):
        found, frame = page.by_id(identifier).first.bounding_box(), box(page, screen)
        if (
            found is not None
            and frame["y"] <= found["y"]
            and (found["y"] + found["height"] <= frame["y"] + frame["height"] - 12)
        ):
            return
        page.page.mouse.wheel(0, 60)
        page.page.wait_for_timeout(150)
    raise AssertionError(f"{identifier} never came fully into view")


# -- 1. the support screen at 200 % ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("width", "height", "scale", "big_text", "shot"),
    [
        (195, 422, 2, False, "support-195px-phone-at-200pct-zoom.png"),
        (320, 640, 1, True, "support-320px-200pct-text.png"),
    ],
    ids=["195px-zoom", "320px-large-text"],
)
def test_the_911_banner_reflows_text_above_a_full_width_button(
    browser: Browser,
    app: AppServer,
    width: int,
    height: int,
    scale: float,
    big_text: bool,
    shot: str,
) -> None:
    signed_in_page(browser, app).close()
    page = open_page(browser, app.url, width, height, scale, big_text)
    try:
        page.tap_until("support-button", "support-screen")
        into_view(page, "call-911-button")
        banner, text, button = (box(page, i) for i in ("call-911", "danger-text", "call-911-button"))
        # The sentence has the banner's width (less its icon), not a column of letters beside a button.
        assert text["width"] >= 0.6 * banner["width"], (text, banner)
        assert text["height"] <= 0.5 * height, (text, height)
        # The button is drawn under the sentence, across the banner.
        assert button["y"] >= text["y"] + text["height"] - 1, (button, text)
        assert button["width"] >= banner["width"] - 2 * 14 - 2, (button, banner)  # all but its padding
        assert button["height"] >= 40
        page.page.mouse.wheel(0, -2000)
        page.page.wait_for_timeout(300)
        # As the screen opens, the whole button is on it: no scrolling to reach 911.
        assert box(page, "call-911-button")["height"] >= 40
        page.assert_accessible(f"support at {width}px")
        page.screenshot(SCREENSHOTS / shot)
    finally:
        page.close()


# -- 3, 4, 5. one alert for repeated taps; feedback when trying again; how the clinic answers -------


def test_a_double_tap_is_one_alert_a_retry_says_when_next_and_the_answer_says_how(
    browser: Browser, clinic: ClinicServer, app: AppServer
) -> None:
    before = {a["id"] for a in clinic.support_alerts()}
    page = signed_in_page(browser, app)
    try:
        clinic.stop()
        page.tap_until("support-button", "alert-care-team")
        page.by_id("alert-care-team").first.dblclick()  # a panicked double tap
        page.wait_text("alert-status", r"Not sent yet")
        page.tap("alert-care-team")  # and a third
        page.wait_text("alert-repeat", r"same alert")
        page.assert_accessible("support, a repeated tap")

        page.tap("alert-retry")
        page.wait_text("alert-retry-result", r"Tried at .*tries again by itself in \d+ seconds?")
        page.assert_accessible("support, after trying again")

        clinic.start()
        text = page.wait_text("alert-status", r"(?i)sent to your care team", timeout=DELIVERY_MS)
        # How and from where the answer comes: the clinic's data (the demo clinic calls back).
        assert re.search(r"They will call you from 413-555-0100 by \d", text.replace("\u202f", " ")), text
        wait_until(
            lambda: [a for a in clinic.support_alerts() if a["id"] not in before],
            30,
            message="the alert never reached the clinic",
        )
        # Once nothing waits in the outbox, nothing more can be sent: then count.
        page.open_settings("sync-now")
        page.wait_text("sync-status", r"(?i)all saved")
        new = [a for a in clinic.support_alerts() if a["id"] not in before]
        assert len(new) == 1, "three taps, one alert"
    finally:
        page.close()
        clinic.start()


def set_response_minutes(clinic: ClinicServer, minutes: int) -> int:
    conn = sqlite3.connect(clinic.db_path)
    try:
        (old,) = conn.execute("SELECT response_minutes FROM clinics").fetchone()
        conn.execute("UPDATE clinics SET response_minutes = ?", (minutes,))
        conn.commit()
        return int(old)
    finally:
        conn.close()


def test_an_overdue_alert_stays_where_the_patient_looks_with_its_call_button(
    browser: Browser, clinic: ClinicServer, app: AppServer
) -> None:
    page = signed_in_page(browser, app, PHONE)
    old = set_response_minutes(clinic, 0)  # every answer is due at once: the alert is soon overdue
    try:
        page.tap_until("support-button", "alert-care-team")
        top_before = box(page, "alert-care-team")["y"]
        page.tap("alert-care-team")
        page.wait_text("alert-status", r"no answer yet", timeout=DELIVERY_MS)
        status, call = box(page, "alert-status"), box(page, "alert-overdue-call")
        viewport = page.page.viewport_size or PHONE
        # Where it was: the alert did not move below the call buttons, and its call is on screen.
        assert box(page, "alert-care-team")["y"] == pytest.approx(top_before, abs=2)
        assert status["y"] < box(page, "call-988")["y"]
        assert call["y"] + call["height"] <= viewport["height"], "the overdue call is below the fold"
        assert "Call my clinic" in page.text_of("alert-overdue-call")
        page.assert_accessible("support, overdue alert")
    finally:
        set_response_minutes(clinic, old)
        page.close()


# -- 6. signing out with an unsent alert -----------------------------------------------------------


def test_sign_out_names_an_unsent_alert_offers_calls_and_keeps_it(
    browser: Browser, clinic: ClinicServer, app: AppServer
) -> None:
    before = {a["id"] for a in clinic.support_alerts()}
    page = signed_in_page(browser, app)
    try:
        clinic.stop()
        page.tap_until("support-button", "alert-care-team")
        page.tap("alert-care-team")
        page.wait_text("alert-status", r"Not sent yet")
        page.open_settings("sign-out")
        page.scroll_to("sign-out")
        page.tap("sign-out")
        page.scroll_to("sign-out-alert")
        warning = page.wait_text("sign-out-alert", r"help alert has not reached your clinic")
        assert "does not cancel it" in warning
        page.scroll_to("call-clinic")
        page.wait_id("call-988")
        card_text = page.screen_text()
        assert not re.search(r"change[s]? has not reached|will be lost", card_text), card_text
        page.assert_accessible("sign-out with an unsent alert")
        page.scroll_to("sign-out-confirm").click()
        page.wait_id("sign-in-url")
        page.tap_until("support-button", "support-screen")
        page.wait_text("alert-status", r"Not sent yet")  # kept, not dropped
        clinic.start()
        page.wait_text("alert-status", r"(?i)sent to your care team", timeout=DELIVERY_MS)
        assert len([a for a in clinic.support_alerts() if a["id"] not in before]) == 1
    finally:
        page.close()
        clinic.start()


# -- 2, 18, 15. never locked on the support screen; Close; a forgotten PIN -------------------------


def test_support_never_locks_closes_back_and_a_forgotten_pin_signs_out_keeping_the_alert(
    browser: Browser, clinic: ClinicServer, app: AppServer
) -> None:
    before = {a["id"] for a in clinic.support_alerts()}
    page = signed_in_page(browser, app)
    try:
        clinic.stop()  # first: stopping can take longer than the idle time the lock waits
        page.open_settings("pin-new")
        page.fill("pin-new", PIN)
        page.fill("pin-confirm", PIN)
        page.tap("lock-enable")
        page.wait_id("lock-now")

        page.tap_until("support-button", "alert-care-team")
        assert page.by_id("nav-settings").count() == 1, "the signed-in support screen, not the lock screen's"
        page.tap("alert-care-team")
        page.wait_text("alert-status", r"Not sent yet")
        # Reading what became of the alert, with no tap, for twice the idle time: never the PIN screen.
        page.page.wait_for_timeout((LOCK_AFTER * 2 + 2) * 1000)  # waiting for something NOT to happen
        assert page.by_id("pin-entry").count() == 0
        page.wait_text("alert-status", r"Not sent yet")

        page.tap("support-close")  # signed in, the support screen has a Close: back where it was opened
        page.scroll_to("lock-now")
        page.wait_id("pin-entry", timeout=(LOCK_AFTER + 10) * 1000)  # away from support, it locks

        page.tap("pin-forgot")
        text = page.wait_text("pin-forgot-card", r"sign out")
        assert "help alert has not reached your clinic" in text
        page.wait_id("support-button")  # help is still one tap away
        page.assert_accessible("lock screen, forgot PIN")
        page.tap("pin-forgot-confirm")
        page.wait_id("sign-in-url")
        page.tap_until("support-button", "support-screen")
        page.wait_text("alert-status", r"Not sent yet")
        clinic.start()
        page.wait_text("alert-status", r"(?i)sent to your care team", timeout=DELIVERY_MS)
        assert len([a for a in clinic.support_alerts() if a["id"] not in before]) == 1
    finally:
        page.close()
        clinic.start()
