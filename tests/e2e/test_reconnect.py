"""A browser tab that leaves and comes back rejoins its Flet session: it must show what happened meanwhile.

Flet keeps a disconnected session for a while and re-attaches the same tab to it (the session id lives
in the tab's sessionStorage), so the app's own state object outlives the gap and must be re-read.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from tests.e2e.conftest import LOCK_AFTER, Stack, sign_in
from tests.support.app_server import AppServer
from tests.support.browser import PHONE, AppPage
from tests.support.clinic_server import ClinicServer
from tests.support.polling import wait_until

pytestmark = pytest.mark.e2e
DELIVERY_TIMEOUT = 30.0
SHOWN_MS = 15_000  # the reopened tab must catch up at once, not at the next periodic sync
RELOCKED_MS = 3_000
PIN = "2468"


@pytest.fixture(scope="module")
def clinic(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ClinicServer]:
    with ClinicServer(tmp_path_factory.mktemp("reconnect") / "clinic") as server:
        yield server


@pytest.fixture
def stack(tmp_path: Path, clinic: ClinicServer, browser: Browser) -> Iterator[Stack]:
    """A fresh app (device) per test, with the app's real periodic sync (minutes): a frequent sync
    would repaint the screen soon after the tab returns and hide a session that never re-reads."""
    with AppServer(tmp_path / "app", clinic_url=clinic.url, lock_after=LOCK_AFTER) as app:
        page = AppPage.open(browser, app.url, PHONE)  # the other e2e modules use laptop sizes
        try:
            yield Stack(clinic, app, page, clinic.patient_id("alex"), [], [])
        finally:
            page.close()


def wait_for_alert(stack: Stack) -> str:
    alerts = wait_until(
        stack.clinic.support_alerts,
        DELIVERY_TIMEOUT,
        interval=0.3,
        message="the queued alert never reached the clinic",
    )
    return str(alerts[0]["id"])


def test_alert_delivered_while_the_tab_was_away_shows_as_sent_when_it_returns(stack: Stack) -> None:
    page = stack.page
    sign_in(page)
    page.wait_id("next-session")
    page.assert_accessible("today on a phone")
    stack.clinic.stop()
    page.tap_until("support-button", "support-screen")
    page.tap("alert-care-team")
    page.wait_text("alert-status", r"Not sent yet")
    page.assert_accessible("support on a phone, alert queued")
    here = page.url

    page.page.goto("about:blank")  # the patient switches to another site in the same tab
    stack.clinic.start()
    alert_id = wait_for_alert(stack)  # delivered by the background sync while no browser listened

    page.goto(here)  # back to the app: the same tab rejoins its session
    page.wait_text("alert-status", r"Sent to your care team", timeout=SHOWN_MS)
    assert "Not sent yet" not in page.text_of("alert-status")
    page.tap_until("nav-today", "sync-status")
    status = page.wait_text("sync-status", r"(?i)all saved", timeout=SHOWN_MS)
    assert "waiting" not in status
    assert [a["id"] for a in stack.clinic.support_alerts()] == [alert_id]


def test_a_tab_that_returns_after_the_idle_time_finds_the_app_locked_at_once(stack: Stack) -> None:
    page = stack.page
    sign_in(page)
    page.open_settings("pin-new")
    page.fill("pin-new", PIN)
    page.fill("pin-confirm", PIN)
    page.tap("lock-enable")
    page.wait_id("lock-now")
    here = page.url

    page.page.goto("about:blank")
    time.sleep(LOCK_AFTER + 2)  # the idle time passing while the tab is away is the subject here
    page.goto(here)
    # Locked as soon as the tab is back, not at the app's next periodic repaint (every 30 s).
    page.wait_id("pin-entry", timeout=RELOCKED_MS)
    assert page.by_id("nav-settings").count() == 0
    page.assert_accessible("lock on a phone")
    page.tap_until("support-button", "support-screen")  # and support still opens while locked
