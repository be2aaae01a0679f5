"""The in-app reminder banner in Chromium (issue 14), the app's clock moved to before a real session.

It names the session, how soon, the clinic's clock time and the room; reads neutral in discreet
mode; goes when dismissed; and never shows on the support screen.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser

from tests.e2e.conftest import sign_in
from tests.support.app_server import AppServer
from tests.support.browser import ALL_TEXT_JS, AppPage
from tests.support.clinic_server import ClinicServer
from tests.support.shifted_clock import CLOCK_FILE_ENV, SHIFTED, FileClock, next_session, upcoming

pytestmark = pytest.mark.e2e
TZ = ZoneInfo("America/New_York")
BANNER_WAIT_MS = 40_000  # the banner asks every 15 s, and at once when local data changes


@dataclass
class Clocked:
    page: AppPage
    clock: FileClock
    schedule: list[dict[str, Any]]


@pytest.fixture(scope="module")
def clocked(tmp_path_factory: pytest.TempPathFactory, browser: Browser) -> Iterator[Clocked]:
    root = tmp_path_factory.mktemp("reminder-e2e")
    clock = FileClock(root / "clock-offset")
    env = {CLOCK_FILE_ENV: str(clock.path)}
    with (
        ClinicServer(root / "clinic") as clinic,
        AppServer(
            root / "app", clinic_url=clinic.url, sync_interval=2, services=SHIFTED, extra_env=env
        ) as app,
    ):
        page = AppPage.open(browser, app.url, {"width": 1280, "height": 1400})
        try:
            sign_in(page)
            yield Clocked(page, clock, clinic.schedule(clinic.patient_id("alex")))
        finally:
            page.close()


def test_a_reminder_banner_shows_before_a_session_neutral_when_discreet_and_goes_when_dismissed(
    clocked: Clocked,
) -> None:
    page = clocked.page
    session = next_session(clocked.schedule)
    starts = datetime.fromisoformat(session["starts_at"])
    clocked.clock.set_to(starts - timedelta(minutes=20))
    try:
        page.wait_id("reminder-banner", timeout=BANNER_WAIT_MS)
        text = page.wait_text("reminder-banner", rf"{re.escape(session['title'])} in (19|20) minutes")
        local = starts.astimezone(TZ)
        assert f"{local.hour % 12 or 12}:{local.minute:02d}" in text
        assert session["location"] in text
        page.assert_accessible("today with a reminder")

        page.open_settings("discreet-mode")
        page.set_switch("discreet-mode", True)
        neutral = page.wait_text("reminder-banner", r"^Appointment in (19|20) minutes")
        assert session["title"] not in neutral
        assert session["location"] not in neutral
        page.set_switch("discreet-mode", False)
        page.wait_text("reminder-banner", re.escape(session["title"]))

        page.tap("reminder-dismiss")
        # The session's reminder goes. Another one due at this hour (an assignment due tomorrow, the
        # check-in nudge) may take its place: the banner shows the most urgent that is left.
        wait_not_naming(page, session["title"])
    finally:
        clocked.clock.path.write_text("0")


def wait_not_naming(page: AppPage, title: str, timeout_s: float = 10) -> None:
    """Wait until no reminder banner names `title`: none shown, or one for something else."""
    deadline = time.monotonic() + timeout_s
    text = ""
    while time.monotonic() < deadline:
        shown: list[str] = page.by_id("reminder-banner").evaluate_all(f"els => els.map({ALL_TEXT_JS})")
        if not any(title in banner for banner in shown):
            return
        text = " | ".join(shown)
        page.wait_for_timeout(100)
    raise AssertionError(f"the dismissed reminder is still shown: {text!r}")


def test_no_reminder_banner_on_the_support_screen(clocked: Clocked) -> None:
    page = clocked.page
    later = upcoming(clocked.schedule)[1]  # another session: not one an earlier test dismissed
    clocked.clock.set_to(datetime.fromisoformat(later["starts_at"]) - timedelta(minutes=10))
    try:
        page.wait_id("reminder-banner", timeout=BANNER_WAIT_MS)
        page.tap_until("support-button", "call-988", wait_ms=10_000)
        assert page.by_id("reminder-banner").count() == 0  # nothing competes with the call buttons
    finally:
        clocked.clock.path.write_text("0")
