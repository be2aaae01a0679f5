"""Screenshots of every patient screen at phone and laptop sizes, light and dark, into docs/screenshots/.

Run: scripts/with-keyring .venv/bin/python -m tests.e2e.screenshots   (the real clinic and app, in Chromium)
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from playwright.sync_api import Browser

from tests.e2e.conftest import sign_in
from tests.support.app_server import AppServer
from tests.support.browser import LAPTOP, PHONE, AppPage, chromium
from tests.support.clinic_server import ClinicServer

OUT = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
SIZES = {"phone": PHONE, "laptop": LAPTOP}
PIN = "2468"


FIRST_SCREENS = ("sign-in", "today", "lock")  # right after the page loads: let Flet's splash fade


def shoot(page: AppPage, name: str, size: str, theme: str) -> None:
    page.page.mouse.move(1, 1)  # no hover tooltips in the picture
    if name in FIRST_SCREENS:
        page.page.wait_for_timeout(1500)
    page.screenshot(OUT / f"{name}-{size}-{theme}.png")


def each_look(browser: Browser, url: str, visit: Callable[[AppPage, str, str], None]) -> None:
    for size, viewport in SIZES.items():
        for theme in ("light", "dark"):
            page = AppPage.open(browser, url, viewport, dark=theme == "dark")
            try:
                visit(page, size, theme)
            finally:
                page.close()


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, chromium() as browser:
        root = Path(tmp)
        with ClinicServer(root / "clinic") as clinic:
            pid = clinic.patient_id("alex")
            now = datetime.now(ZoneInfo("America/New_York"))
            upcoming = sorted(
                (i for i in clinic.schedule(pid) if datetime.fromisoformat(i["starts_at"]) > now),
                key=lambda i: i["starts_at"],
            )
            item = next(i for i in upcoming if i["kind"] not in ("drug_test", "lunch"))
            assignment = clinic.assignments(pid)[0]

            with AppServer(root / "fresh", clinic_url=clinic.url) as fresh:
                each_look(
                    browser, fresh.url, lambda p, s, t: (p.wait_id("sign-in-url"), shoot(p, "sign-in", s, t))
                )

            with AppServer(root / "app", clinic_url=clinic.url, sync_interval=5) as app:
                first = AppPage.open(browser, app.url, LAPTOP)
                sign_in(first)
                first.close()

                def screens(page: AppPage, size: str, theme: str) -> None:
                    page.wait_id("next-session")
                    shoot(page, "today", size, theme)
                    page.tap_until("nav-week", "week-next")
                    shoot(page, "week", size, theme)
                    if not page.by_id(f"session-{item['id']}").count():
                        page.tap_until("week-next", f"session-{item['id']}")
                    page.tap_until(f"session-{item['id']}", "rsvp-note")
                    shoot(page, "session", size, theme)
                    page.tap_until("nav-assignments", f"assignment-{assignment['id']}")
                    shoot(page, "assignments", size, theme)
                    page.tap_until(f"assignment-{assignment['id']}", "assignment-response")
                    shoot(page, "assignment", size, theme)
                    page.tap_until("support-button", "support-screen")
                    shoot(page, "support", size, theme)
                    page.scroll_to("coping-edit").click()
                    page.wait_id("coping-save-status")
                    shoot(page, "coping-plan", size, theme)
                    page.tap_until("nav-settings", "sync-now")
                    shoot(page, "settings", size, theme)

                each_look(browser, app.url, screens)

                setup = AppPage.open(browser, app.url, LAPTOP)
                setup.tap_until("nav-settings", "pin-new")
                setup.fill("pin-new", PIN)
                setup.fill("pin-confirm", PIN)
                setup.tap_until("lock-enable", "lock-now")
                setup.close()
                each_look(browser, app.url, lambda p, s, t: (p.wait_id("pin-entry"), shoot(p, "lock", s, t)))
    print(f"screenshots in {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
