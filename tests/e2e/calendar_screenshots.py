"""Screenshots of calendar feeds and reminders (issue 14): phone and laptop, one set in Spanish.

Run: scripts/with-keyring .venv/bin/python -m tests.e2e.calendar_screenshots  (real clinic, two apps)
Writes docs/screenshots/calendar-settings-*.png (Settings with the feed on: link, Copy, QR code),
family-calendar-*.png (a family member's home with the feed on) and reminder-banner-*.png (a
session reminder, the app's clock moved to twenty minutes before it).
"""

from __future__ import annotations

import sys
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

from playwright.sync_api import Browser

from tests.e2e.conftest import sign_in
from tests.e2e.family_screenshots import LOADING_PNG_BYTES, invite_by_api, join
from tests.support.app_server import AppServer
from tests.support.browser import LAPTOP, PHONE, AppPage, chromium
from tests.support.clinic_server import ClinicServer
from tests.support.shifted_clock import CLOCK_FILE_ENV, SHIFTED, FileClock, next_session

OUT = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
SIZES = {"phone": PHONE, "laptop": LAPTOP}


def shoot(page: AppPage, name: str) -> None:
    page.page.mouse.move(1, 1)  # no hover tooltips in the picture
    path = OUT / f"{name}.png"
    for _ in range(20):
        page.screenshot(path)
        if path.stat().st_size > LOADING_PNG_BYTES:
            return
    raise AssertionError(f"{path.name}: the app never finished loading")


def scroll_past(page: AppPage, identifier: str, extra: int) -> None:
    """Scroll until `identifier` is built, then `extra` pixels more (the QR code sits under the link)."""
    page.scroll_to(identifier)
    page.page.mouse.wheel(0, extra)
    page.page.wait_for_timeout(400)


def banner(page: AppPage) -> None:
    page.tap_until("nav-week", "week-next")
    page.wait_id("reminder-banner", timeout=40_000)
    page.page.wait_for_timeout(1_000)  # a language or data change re-renders once more
    page.wait_id("reminder-banner")


def language(browser: Browser, url: str, code: str) -> None:
    page = AppPage.open(browser, url, LAPTOP)
    try:
        page.tap_until("nav-settings", f"lang-{code}")
        page.tap(f"lang-{code}")
        page.page.wait_for_timeout(500)
    finally:
        page.close()


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, chromium() as browser:
        root = Path(tmp)
        clock = FileClock(root / "clock-offset")
        env = {CLOCK_FILE_ENV: str(clock.path)}
        with ClinicServer(root / "clinic") as clinic:
            share_id, code = invite_by_api(clinic)
            schedule = clinic.schedule(clinic.patient_id("alex"))
            with (
                AppServer(
                    root / "patient", clinic_url=clinic.url, sync_interval=5, services=SHIFTED, extra_env=env
                ) as patient_app,
                AppServer(root / "family", clinic_url=clinic.url, sync_interval=5) as family_app,
            ):
                first = AppPage.open(browser, patient_app.url, LAPTOP)
                sign_in(first)
                first.open_settings("discreet-mode")
                first.wait_id("calendar-feed-on", timeout=90_000)  # once the clinic said there is none
                first.tap("calendar-alarm-1h")
                first.tap("calendar-feed-on")
                first.wait_id("calendar-feed-link", timeout=90_000)
                first.close()
                family = AppPage.open(browser, family_app.url, LAPTOP)
                join(family, code)
                family.tap("family-calendar-feed-on")
                family.wait_id("family-calendar-feed-link", timeout=90_000)
                family.close()

                for size, viewport in SIZES.items():
                    page = AppPage.open(browser, patient_app.url, viewport)
                    page.open_settings("discreet-mode")
                    page.wait_id("calendar-feed-status", timeout=90_000)
                    scroll_past(page, "calendar-feed-copy", 250 if size == "phone" else 150)
                    shoot(page, f"calendar-settings-{size}")
                    page.close()
                    page = AppPage.open(browser, family_app.url, viewport)
                    page.wait_id(f"family-patient-{share_id}")
                    scroll_past(page, "family-calendar-feed-link", 200)
                    shoot(page, f"family-calendar-{size}")
                    page.close()

                session = next_session(schedule)
                clock.set_to(datetime.fromisoformat(session["starts_at"]) - timedelta(minutes=30))
                # On the week: Today's "next session in 8 hours" reads the real clock, not the moved one.
                for size, viewport in SIZES.items():
                    page = AppPage.open(browser, patient_app.url, viewport)
                    banner(page)
                    shoot(page, f"reminder-banner-{size}")
                    page.close()

                language(browser, patient_app.url, "es")
                page = AppPage.open(browser, patient_app.url, PHONE)
                banner(page)
                shoot(page, "reminder-banner-phone-es")
                page.open_settings("discreet-mode")
                page.wait_id("calendar-feed-status", timeout=90_000)
                scroll_past(page, "calendar-feed-copy", 250)
                shoot(page, "calendar-settings-phone-es")
                page.close()
                language(browser, patient_app.url, "en")
    print(f"screenshots in {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
