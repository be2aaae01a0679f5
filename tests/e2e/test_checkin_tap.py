"""Sending the daily check-in by what crosses the wire (issue 12's bench): the confirmation is kept
under the form, hidden, and the tap on "Send check-in" shows it — a small update, not a new screen.

Before, the tap's reply swapped the form's ~180 controls for the confirmation's ~60 (~5 KB) and the
browser built the confirmation from scratch. Now the reply flips which of the two is visible and
fills in what depends on the answers (the title, where the answer is, the call buttons after a
worrying answer — built in advance and shown). A hidden layer is not in the semantics tree: a screen
reader reads either the form or the confirmation, never both. The form keeps its answers and the
typed note under the confirmation, and "Change my answers" amends the same day's check-in.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator

from tests.e2e.conftest import sign_in
from tests.support.app_server import AppServer
from tests.support.browser import LAPTOP, PHONE, AppPage
from tests.support.clinic_server import ClinicServer
from tests.support.pointer import choose, into_view, press
from tests.support.polling import wait_until
from tests.support.wire import Wire

pytestmark = pytest.mark.e2e
TAP_LIMIT = 2 * 1024  # bytes from the app between the tap and the call buttons (the swap: ~5 KB)
WORRYING = {"craving": "9", "mood": "3", "confidence": "4", "used": "no", "contact": "yes"}
NOTE = "Rough night, better this morning"


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[tuple[ClinicServer, AppServer]]:
    with (
        ClinicServer(tmp_path / "clinic") as clinic,
        AppServer(tmp_path / "app", clinic_url=clinic.url) as app,
    ):
        yield clinic, app


def focus_note(page: AppPage) -> Locator:
    """Tap into the note field (its card's semantics node covers it for Playwright's own click)."""
    into_view(page, "checkin-note")  # on a phone it starts under the navigation bar
    field = page.by_id("checkin-note").locator("textarea, input").first
    box = field.bounding_box()
    assert box is not None
    page.page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.page.wait_for_function("el => document.activeElement === el", arg=field.element_handle())
    return field


def type_note(page: AppPage, text: str) -> None:
    field = focus_note(page)
    page.page.keyboard.type(text)
    wait_until(lambda: field.input_value() == text, 5, message="the note was not typed")


def send(page: AppPage, wire: Wire) -> int:
    """Tap "Send check-in" (or "Save changes"); the bytes the app sent until the call buttons showed."""
    x, y = into_view(page, "checkin-submit")
    wire.received = 0
    page.page.mouse.click(x, y)
    page.wait_id("checkin-confirmation")
    page.wait_id("call-988")
    return wire.received


@pytest.mark.parametrize("size", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_send_check_in_shows_the_confirmation_kept_under_the_form_in_one_small_update(
    browser: Browser, stack: tuple[ClinicServer, AppServer], size: dict[str, int]
) -> None:
    clinic, app = stack
    wire = Wire()
    context = browser.new_context(viewport=size)  # type: ignore[arg-type]
    context.route_web_socket(re.compile(".*"), wire.route)
    page = AppPage(context.new_page())
    try:
        page.goto(app.url)
        sign_in(page)
        clinic.stop()  # the answer goes to the encrypted outbox; nothing waits for the network
        page.tap_until("nav-checkin", "checkin-screen")
        for item, value in WORRYING.items():
            choose(page, f"checkin-{item}-{value}")
        type_note(page, NOTE)
        # The confirmation is there (sent hidden after the form) but not read by a screen reader.
        assert page.by_id("checkin-confirmation").count() == 0

        sent = send(page, wire)
        assert sent < TAP_LIMIT, f"{sent} bytes from the tap to the confirmation"
        confirmation = page.text_of("checkin-confirmation")
        assert "Thank you for checking in" in confirmation
        assert "Saved on this device" in confirmation
        assert "Your care team will see this today" in confirmation
        for call in ("call-counselor", "call-clinic"):
            page.wait_id(call)  # the support screen's call buttons, at once
        assert page.by_id("checkin-screen").count() == 0  # the form under it is not read

        # Amending the same day: the form comes back with the answers and the typed note.
        press(page, "checkin-change")
        page.wait_id("checkin-screen")
        assert page.by_id("checkin-confirmation").count() == 0
        page.wait_text("checkin-screen", r"You already checked in today")
        assert page.by_id("checkin-craving-9").get_attribute("aria-current") == "true"
        note = focus_note(page)  # Flutter puts the text in the page's field once it has the focus
        wait_until(lambda: note.input_value() == NOTE, 5, message="the typed note was lost")
        choose(page, "checkin-contact-no")

        sent = send(page, wire)  # craving 9 still worries: the call buttons stay
        assert sent < TAP_LIMIT, f"{sent} bytes from the tap to the amended confirmation"
        assert "Your changes are saved" in page.text_of("checkin-confirmation")

        # A calm amendment: the call buttons are not offered.
        press(page, "checkin-change")
        page.wait_id("checkin-screen")
        choose(page, "checkin-craving-2")
        x, y = into_view(page, "checkin-submit")
        page.page.mouse.click(x, y)
        page.wait_text("checkin-confirmation", r"Your changes are saved")
        assert page.by_id("call-988").count() == 0
        assert "Your care team will see this today" not in page.text_of("checkin-confirmation")
    finally:
        context.close()
