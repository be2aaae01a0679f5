"""Screenshots of the crisis path (issue 16) into docs/screenshots/: the support screen at 200 % zoom
in dark mode and in Spanish, a repeated tap with "Try sending again" offline, an overdue alert, the
sign-out warning for an unsent alert, and "Forgot PIN?" on the lock screen.

Run: scripts/with-keyring .venv/bin/python -m tests.e2e.crisis_screenshots   (real clinic and app)
"""

from __future__ import annotations

import sqlite3
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import Browser

from tests.e2e.conftest import sign_in
from tests.e2e.screenshots import LOADING_PNG_BYTES
from tests.support.app_server import AppServer
from tests.support.browser import LAPTOP, PHONE, AppPage, chromium
from tests.support.clinic_server import ClinicServer

OUT = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PIN = "2468"


def shoot(page: AppPage, name: str) -> None:
    """Save `name` once two frames in a row are more than the client's near-blank loading overlay."""
    page.page.mouse.move(1, 1)
    loaded = 0
    for _ in range(30):
        page.page.wait_for_timeout(400)
        image = page.page.screenshot()
        loaded = loaded + 1 if len(image) > LOADING_PNG_BYTES else 0
        if loaded == 2:
            (OUT / name).write_bytes(image)
            return
    raise AssertionError(f"{name}: the app never finished loading")


def open_page(
    browser: Browser, url: str, size: dict[str, int], scale: float = 1, dark: bool = False
) -> AppPage:
    context = browser.new_context(
        viewport=size,  # type: ignore[arg-type]
        device_scale_factor=scale,
        color_scheme="dark" if dark else "light",
    )
    page = AppPage(context.new_page())
    page.goto(url)
    return page


def answer_all(clinic: ClinicServer) -> None:
    for alert in clinic.support_alerts():
        if alert["status"] != "acknowledged":
            clinic.ack_alert(alert["id"])


def set_response_minutes(clinic: ClinicServer, minutes: int) -> None:
    conn = sqlite3.connect(clinic.db_path)
    try:
        conn.execute("UPDATE clinics SET response_minutes = ?", (minutes,))
        conn.commit()
    finally:
        conn.close()


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, chromium() as browser:
        root = Path(tmp)
        with ClinicServer(root / "clinic") as clinic:
            with AppServer(root / "app", clinic_url=clinic.url, sync_interval=2) as app:
                first = AppPage.open(browser, app.url, LAPTOP)
                sign_in(first)
                first.close()

                page = open_page(browser, app.url, {"width": 195, "height": 422}, scale=2, dark=True)
                page.tap_until("support-button", "support-screen")
                shoot(page, "support-195px-phone-at-200pct-zoom-dark.png")
                page.close()

                page = open_page(browser, app.url, LAPTOP)
                page.open_settings("lang-es")
                page.tap("lang-es")
                page.wait_text("sync-status", r"(?i)última sincronización")
                page.close()
                page = open_page(browser, app.url, PHONE)
                page.tap_until("support-button", "support-screen")
                shoot(page, "support-phone-es.png")
                page.open_settings("lang-en")
                page.tap("lang-en")
                page.wait_text("sync-status", r"(?i)last synced")
                page.close()

                # Offline: three taps are one alert, and "Try sending again now" says what it did.
                page = open_page(browser, app.url, PHONE)
                clinic.stop()
                page.tap_until("support-button", "alert-care-team")
                page.by_id("alert-care-team").first.dblclick()
                page.wait_text("alert-status", r"Not sent yet")
                page.tap("alert-care-team")
                page.wait_id("alert-repeat")
                page.tap("alert-retry")
                page.wait_id("alert-retry-result")
                shoot(page, "support-offline-repeated-tap-and-retry-phone.png")

                # Signing out with that alert still on the device.
                page.open_settings("sign-out")
                page.scroll_to("sign-out").click()
                page.wait_id("sign-out-alert")
                page.page.mouse.move(PHONE["width"] / 2, PHONE["height"] / 2)
                for _ in range(30):  # the warning's top near the top of the screen
                    found = page.by_id("sign-out-alert").first.bounding_box()
                    if found is not None and found["y"] < 200:
                        break
                    page.page.mouse.wheel(0, 120)
                    page.page.wait_for_timeout(150)
                shoot(page, "sign-out-unsent-alert-phone.png")
                page.close()
                clinic.start()

            answer_all(clinic)
            set_response_minutes(clinic, 0)  # every answer due at once: the alert is soon overdue
            with AppServer(root / "overdue", clinic_url=clinic.url, sync_interval=2) as app:
                page = open_page(browser, app.url, PHONE)
                sign_in(page)
                page.tap_until("support-button", "alert-care-team")
                page.tap("alert-care-team")
                page.wait_text("alert-status", r"no answer yet", timeout=30_000)
                page.wait_id("alert-overdue-call")
                shoot(page, "support-overdue-alert-phone.png")
                page.close()
            set_response_minutes(clinic, 30)

            answer_all(clinic)
            with AppServer(root / "sent", clinic_url=clinic.url, sync_interval=2) as app:
                page = open_page(browser, app.url, PHONE, dark=True)
                sign_in(page)
                page.tap_until("support-button", "alert-care-team")
                page.tap("alert-care-team")
                page.wait_text("alert-status", r"They will call you from", timeout=30_000)
                shoot(page, "support-alert-sent-phone-dark.png")

                page.open_settings("pin-new")
                page.fill("pin-new", PIN)
                page.fill("pin-confirm", PIN)
                page.tap_until("lock-enable", "lock-now")
                page.tap_until("lock-now", "pin-entry")
                page.tap_until("pin-forgot", "pin-forgot-card")
                shoot(page, "lock-forgot-pin-phone-dark.png")
                page.close()
    print(f"screenshots in {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
