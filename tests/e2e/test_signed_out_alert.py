"""Signed out with a help alert that never reached the clinic: the screen still says so, calls first.

A patient taps "Alert my care team" with no signal, then signs out (or the session ends). The alert is
not erased: the support screen, reachable from the sign-in screen, keeps saying it is not sent yet,
puts the call buttons above that status, offers no second alert, and the device's signature delivers
it once the clinic is back — marked for staff as sent without a live session.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser

from tests.e2e.conftest import TALL_LAPTOP, sign_in
from tests.support.app_server import AppServer
from tests.support.browser import PHONE, AppPage
from tests.support.clinic_server import ClinicServer
from tests.support.polling import wait_until

pytestmark = pytest.mark.e2e
DELIVERY_MS = 30_000
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture(scope="module")
def clinic(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ClinicServer]:
    with ClinicServer(tmp_path_factory.mktemp("signed-out") / "clinic") as server:
        yield server


def _top(page: AppPage, identifier: str) -> float:
    box = page.wait_id(identifier).bounding_box()
    assert box is not None, f"{identifier} is not laid out"
    return float(box["y"])


def _wait_alerts(clinic: ClinicServer, count: int, timeout: float = 30.0) -> list[dict[str, Any]]:
    def enough() -> list[dict[str, Any]] | None:
        alerts = clinic.support_alerts()
        return alerts if len(alerts) >= count else None

    return wait_until(enough, timeout, interval=0.3, message="the kept alert never reached the clinic")


@pytest.mark.parametrize("size", [PHONE, TALL_LAPTOP], ids=["phone", "laptop"])
def test_an_unsent_alert_outlives_sign_out_and_is_delivered_by_the_device_key(
    tmp_path: Path, clinic: ClinicServer, browser: Browser, size: dict[str, int]
) -> None:
    before = {a["id"] for a in clinic.support_alerts()}
    for alert in clinic.support_alerts():  # answered: this run's tap is a new alert, not a repeat of
        if alert["status"] != "acknowledged":  # the other size's (taps within 2 minutes are one alert)
            clinic.ack_alert(alert["id"])
    with AppServer(tmp_path / "app", clinic_url=clinic.url, sync_interval=2) as app:
        page = AppPage.open(browser, app.url, size)
        try:
            sign_in(page)
            clinic.stop()
            page.tap_until("support-button", "alert-care-team")
            page.tap("alert-care-team")
            page.wait_text("alert-status", r"Not sent yet")

            page.open_settings("sign-out")
            page.scroll_to("sign-out")
            page.tap("sign-out")
            page.scroll_to("sign-out-confirm").click()
            page.wait_id("sign-in-url")

            page.tap_until("support-button", "support-screen")
            page.wait_text("alert-status", r"Not sent yet")
            assert _top(page, "call-988") < _top(page, "alert-status"), "call buttons must come first"
            assert page.page.locator('[flt-semantics-identifier="alert-care-team"]').count() == 0
            page.assert_accessible("support, signed out with an unsent alert")
            if size is PHONE:
                page.screenshot(SCREENSHOTS / "support-signed-out-phone-light.png")

            clinic.start()
            page.wait_text("alert-status", r"(?i)sent to your care team", timeout=DELIVERY_MS)
            new = [a for a in _wait_alerts(clinic, len(before) + 1) if a["id"] not in before]
            assert len(new) == 1, "delivered exactly once"
            assert new[0]["authenticated_by"] == "device_key"
            # The sign-out never reached the clinic (it was down), so to the clinic the device's session
            # is not revoked: the alert came without a bearer from a device whose session it never ended.
            assert new[0]["session_state"] == "expired"
        finally:
            page.close()
            clinic.start()  # no-op when up; a failure above must not fail the other size's run too
