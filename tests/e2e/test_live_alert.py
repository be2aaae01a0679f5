"""The patient's open app follows the alert live (Chromium, the app's periodic sync at an hour): the
escalation step shows with its call button, and staff's acknowledgement shows "Seen by" — each
within seconds of happening, without a tap."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from tests.clinic.test_escalation import FAST, set_policy
from tests.clinic.webhook_receiver import WebhookReceiver
from tests.e2e.conftest import LOCK_AFTER, sign_in
from tests.support.app_server import AppServer
from tests.support.browser import PHONE, AppPage
from tests.support.clinic_server import ClinicServer
from tests.support.polling import wait_until

pytestmark = pytest.mark.e2e
STEP_SECONDS = 4.0
LIVE_MS = 3_000  # the clinic's stream (≤ 1 s), one pull and a repaint; the periodic sync is an hour


@pytest.fixture
def open_app(tmp_path: Path, browser: Browser) -> Iterator[tuple[ClinicServer, AppPage, WebhookReceiver]]:
    with (
        WebhookReceiver("e2e-pager-secret") as pager,
        ClinicServer(tmp_path / "clinic", env=FAST) as clinic,
        AppServer(tmp_path / "app", clinic_url=clinic.url, lock_after=LOCK_AFTER, sync_interval=3600) as app,
    ):
        set_policy(
            clinic,
            {
                "alert_steps": [{"after_seconds": STEP_SECONDS, "to": "On-call group"}],
                "webhook_url": pager.url,
            },
        )
        page = AppPage.open(browser, app.url, PHONE)
        try:
            yield clinic, page, pager
        finally:
            page.close()


def test_the_escalation_and_the_acknowledgement_show_on_the_open_app_without_a_tap(
    open_app: tuple[ClinicServer, AppPage, WebhookReceiver],
) -> None:
    clinic, page, pager = open_app
    sign_in(page)
    page.tap_until("support-button", "support-screen")
    page.tap("alert-care-team")
    page.wait_text("alert-status", r"Sent to your care team")
    (alert,) = wait_until(clinic.support_alerts, 10)

    escalated = wait_until(
        lambda: next((a for a in clinic.support_alerts() if a["escalation_step"] == 1), None), 20
    )
    assert escalated["escalated_to"] == "On-call group"
    page.wait_text("alert-status", r"No answer yet — we've alerted the on-call counsellor", timeout=LIVE_MS)
    page.wait_id("alert-overdue-call", timeout=LIVE_MS)  # the call button comes with it
    page.assert_accessible("support on a phone, alert escalated")
    wait_until(lambda: [r.json["step"] for r in pager.accepted()] == [1], 10)

    clinic.staff_token()
    acked = time.monotonic()
    clinic.ack_alert(alert["id"])
    page.wait_text("alert-status", r"Seen by Sam Ortiz", timeout=LIVE_MS)
    assert time.monotonic() - acked < LIVE_MS / 1000
    assert page.by_id("alert-overdue-call").count() == 0
