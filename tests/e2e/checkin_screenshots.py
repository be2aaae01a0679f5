"""Screenshots of the daily check-in, its confirmation and My trends, phone and laptop, light and dark;
My trends in Spanish and Portuguese too.

Run: scripts/with-keyring .venv/bin/python -m tests.e2e.checkin_screenshots   (real clinic, Chromium)
Writes docs/screenshots/checkin-*.png, checkin-confirmation-*.png (clinic down: saved on the device,
the call buttons at once) and trends-*.png (the demo's four weeks of Alex's check-ins plus today's).
"""

from __future__ import annotations

import re
import sys
import tempfile
from functools import partial
from pathlib import Path

from tests.e2e.conftest import sign_in
from tests.e2e.screenshots import LANGUAGES, OUT, each_look, set_language, shoot
from tests.support.app_server import AppServer
from tests.support.browser import LAPTOP, AppPage, chromium
from tests.support.clinic_server import ClinicServer
from tests.support.pointer import choose, press
from tests.support.polling import wait_until

PENDING = re.compile(r"Saved on this device|Guardado en este dispositivo|Salvo neste aparelho")
ANSWERS = {"craving": "9", "mood": "3", "confidence": "4", "used": "no", "contact": "yes"}


def to_top(page: AppPage) -> None:
    size = page.page.viewport_size or LAPTOP
    page.page.mouse.move(size["width"] / 2, size["height"] / 2)
    for _ in range(8):
        page.page.mouse.wheel(0, -2000)
        page.page.wait_for_timeout(100)


def checking_in(page: AppPage, size: str, theme: str) -> None:
    page.tap_until("nav-checkin", "checkin-screen")
    for item, value in ANSWERS.items():
        choose(page, f"checkin-{item}-{value}")
    to_top(page)
    page.wait_id("checkin-craving-seen")
    shoot(page, "checkin", size, theme)
    press(page, "checkin-submit")
    page.wait_id("call-988")
    shoot(page, "checkin-confirmation", size, theme)


def trends(page: AppPage, size: str, look: str) -> None:
    page.tap_until("nav-checkin", "checkin-screen")
    press(page, "checkin-trends-link")
    page.wait_id("trends-chart")
    # Today's check-in has reached the clinic (the background sync, every 2 s once it is back).
    wait_until(lambda: not PENDING.search(page.screen_text()), 60, message="today's check-in never went out")
    page.page.wait_for_timeout(500)  # the chart's lines animate in (150 ms) once it is laid out
    shoot(page, "trends", size, look)


def in_language(code: str, page: AppPage, size: str, _theme: str) -> None:
    trends(page, size, code)


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, chromium() as browser:
        root = Path(tmp)
        with (
            ClinicServer(root / "clinic") as clinic,
            AppServer(root / "app", clinic_url=clinic.url, sync_interval=2) as app,
        ):
            first = AppPage.open(browser, app.url, LAPTOP)
            sign_in(first)
            first.close()
            clinic.stop()
            each_look(browser, app.url, checking_in)
            clinic.start()
            each_look(browser, app.url, trends)
            for code in LANGUAGES:
                set_language(browser, app.url, code)
                each_look(browser, app.url, partial(in_language, code), themes=("light",))
            set_language(browser, app.url, "en")
    print(f"screenshots in {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
