"""Screenshots of every patient screen at phone and laptop sizes, light and dark, into docs/screenshots/;
week and support in Spanish and Portuguese; the main screens with text at 200 %.

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


LOADING_PNG_BYTES = 10_000  # the Flet client's near-blank "Working..." overlay compresses below this
LANGUAGES = ("es", "pt_BR")
SYNCED = {"en": r"(?i)last synced", "es": r"(?i)última sincronización", "pt_BR": r"(?i)última sincronização"}
BIG_TEXT = "32px"  # the browser's font size at 200 %: Flutter web scales its text by it (16 px = 100 %)


def shoot(page: AppPage, name: str, size: str, look: str) -> None:
    """Save `<name>-<size>-<look>.png` once two frames in a row are more than the near-blank
    "Working..." overlay, which the Flet client can flash for up to ~2 s after the first frame."""
    page.page.mouse.move(1, 1)  # no hover tooltips in the picture
    path = OUT / f"{name}-{size}-{look}.png"
    loaded = 0
    for _ in range(30):
        page.page.wait_for_timeout(400)  # let animations settle
        image = page.page.screenshot()
        loaded = loaded + 1 if len(image) > LOADING_PNG_BYTES else 0
        if loaded == 2:
            path.write_bytes(image)
            return
    raise AssertionError(f"{path.name}: the app never finished loading")


def first_screen(identifier: str, name: str, look: str | None = None) -> Callable[[AppPage, str, str], None]:
    """A visit that waits for `identifier`, then shoots the screen as `name` (in `look`, or the theme)."""

    def visit(page: AppPage, size: str, theme: str) -> None:
        page.wait_id(identifier)
        shoot(page, name, size, look or theme)

    return visit


def password_sign_in(page: AppPage, size: str, theme: str) -> None:
    page.wait_id("sign-in-url")
    page.button("I have a username and password").click()
    page.wait_id("sign-in-password")
    shoot(page, "sign-in-password", size, theme)


def each_look(
    browser: Browser,
    url: str,
    visit: Callable[[AppPage, str, str], None],
    themes: tuple[str, ...] = ("light", "dark"),
    sizes: tuple[str, ...] = ("phone", "laptop"),
    big_text: bool = False,
) -> None:
    for size in sizes:
        for theme in themes:
            page = AppPage.open(browser, url, SIZES[size], dark=theme == "dark")
            try:
                if big_text:
                    page.evaluate(f"document.documentElement.style.fontSize = '{BIG_TEXT}'")
                visit(page, size, theme)
            finally:
                page.close()


def set_language(browser: Browser, url: str, code: str) -> None:
    """The language is the device's setting: every later page opens in it."""
    page = AppPage.open(browser, url, LAPTOP)
    try:
        page.tap_until("nav-settings", f"lang-{code}")
        page.tap(f"lang-{code}")
        page.scroll_to("sync-status")  # below the fold of a lazily built screen
        page.wait_text("sync-status", SYNCED[code])
    finally:
        page.close()


def in_languages(browser: Browser, url: str) -> None:
    """Week and support in each translation, light, phone and laptop: `week-phone-es.png`."""
    for code in LANGUAGES:
        set_language(browser, url, code)

        def screens(page: AppPage, size: str, _theme: str, code: str = code) -> None:
            page.wait_id("next-session")
            page.tap_until("nav-week", "week-next")
            shoot(page, "week", size, code)
            page.tap_until("support-button", "support-screen")
            shoot(page, "support", size, code)

        each_look(browser, url, screens, themes=("light",))
    set_language(browser, url, "en")


def at_200_percent(browser: Browser, url: str) -> None:
    """The main screens with the browser's text at 200 %, phone, light: `today-phone-200pct.png`."""

    def screens(page: AppPage, size: str, _theme: str) -> None:
        page.wait_id("next-session")
        shoot(page, "today", size, "200pct")
        page.tap_until("nav-week", "week-next")
        shoot(page, "week", size, "200pct")
        page.tap_until("support-button", "support-screen")
        shoot(page, "support", size, "200pct")

    each_look(browser, url, screens, themes=("light",), sizes=("phone",), big_text=True)


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
                each_look(browser, fresh.url, first_screen("sign-in-url", "sign-in"))
                each_look(browser, fresh.url, password_sign_in)
                big = first_screen("sign-in-url", "sign-in", "200pct")
                each_look(browser, fresh.url, big, themes=("light",), sizes=("phone",), big_text=True)

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
                    page.tap_until("nav-settings", "lang-en")  # the top of Settings
                    shoot(page, "settings", size, theme)

                each_look(browser, app.url, screens)
                in_languages(browser, app.url)
                at_200_percent(browser, app.url)

                setup = AppPage.open(browser, app.url, LAPTOP)
                setup.open_settings("pin-new")
                setup.fill("pin-new", PIN)
                setup.fill("pin-confirm", PIN)
                setup.tap_until("lock-enable", "lock-now")
                setup.close()
                each_look(browser, app.url, first_screen("pin-entry", "lock"))
    print(f"screenshots in {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
