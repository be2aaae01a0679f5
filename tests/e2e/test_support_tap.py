""" "Get help now" by what crosses the wire (issue 15): the support screen is shown by the reply to the
tap — one small update — and no screen waits for the browser to report its new address.

The app's WebSocket runs through Playwright, which counts what the app sends and can hold back the
browser's route reports. Before, a tap asked the browser to push `/support`, waited for the browser
to report the route back, then sent the whole support screen (~7 KB, ~130 controls): with the
report held back, nothing opened at all.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from tests.e2e.conftest import sign_in
from tests.support.app_server import AppServer
from tests.support.browser import LAPTOP, PHONE, AppPage
from tests.support.clinic_server import ClinicServer
from tests.support.wire import Wire

pytestmark = pytest.mark.e2e
TAP_LIMIT = 3 * 1024  # bytes from the app between a tap and the call buttons (the routed screen: ~7 KB)


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[tuple[ClinicServer, AppServer]]:
    with (
        ClinicServer(tmp_path / "clinic") as clinic,
        AppServer(tmp_path / "app", clinic_url=clinic.url) as app,
    ):
        yield clinic, app


@pytest.mark.parametrize("size", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_get_help_now_is_one_small_update_and_no_screen_waits_for_the_browsers_address(
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
        clinic.stop()  # the support screen comes from what is on the device
        page.wait_id("next-session")
        wire.hold_route_reports = True

        for _ in range(3):
            button = page.wait_id("support-button")
            wire.received = 0
            button.click()
            page.by_id("call-988").first.wait_for(state="visible")
            assert wire.received < TAP_LIMIT, f"{wire.received} bytes to show the support screen"
            page.tap("support-close")
            page.wait_id("next-session")  # Close: back to the screen it was opened on

        # A tab shows its screen with the reply to the tap, not after the browser's report.
        page.tap("nav-week")
        page.wait_id("week-next")
        page.tap("support-button")
        page.by_id("call-988").first.wait_for(state="visible")
        page.tap("nav-today")  # a tab under the support screen closes it and goes there
        page.wait_id("next-session")
        assert not page.by_id("call-988").count()
        assert wire.held, "the browser reported no route: the test held nothing back"
    finally:
        context.close()


def test_get_help_now_works_the_moment_the_app_appears(
    browser: Browser, stack: tuple[ClinicServer, AppServer]
) -> None:
    """The support layer joins the page a moment after the first frame (so first paint does not wait
    for it): a tap before then opens the support screen all the same, with that tap's reply."""
    clinic, app = stack
    first = AppPage.open(browser, app.url, PHONE)
    try:
        sign_in(first)
    finally:
        first.close()
    clinic.stop()
    page = AppPage.open(browser, app.url, PHONE)
    try:
        page.tap("support-button")  # as soon as it is on screen
        page.by_id("call-988").first.wait_for(state="visible")
        page.assert_accessible("support opened as the app appeared")
    finally:
        page.close()
