"""Today as a session's first screen (issue 15): the first frame carries the top of the screen, read
from the encrypted store before the session renders, and the rest of the screen follows it.

Until now a session opened on Today (where the app opens) drew the shell with an empty screen
first, and the screen's own effect read the schedule and drew it in a second frame. Now the check-in
card and the next session come in the first frame, and today's sessions, what is due soon and the
program's progress a moment later (app/ui/today.py, app/state/first_frame.py). The timing is
measured in docs/PERFORMANCE.md; this test holds what a patient relies on: the top of the screen in
a small first frame, and nothing of the screen left out.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from tests.e2e.conftest import sign_in
from tests.e2e.test_patient_journey import CLINIC_TZ, starts, this_week
from tests.support.app_server import AppServer
from tests.support.browser import PHONE, AppPage
from tests.support.clinic_server import ClinicServer
from tests.support.wire import Wire

pytestmark = pytest.mark.e2e
FIRST_FRAME_LIMIT = 12 * 1024  # bytes; the whole Today screen in the first frame was ~14 KB


def test_the_first_frame_holds_the_top_of_today_and_the_rest_follows(
    browser: Browser, tmp_path: Path
) -> None:
    with (
        ClinicServer(tmp_path / "clinic") as clinic,
        AppServer(tmp_path / "app", clinic_url=clinic.url) as app,
    ):
        first = AppPage.open(browser, app.url, PHONE)
        try:
            sign_in(first)
        finally:
            first.close()
        today = datetime.now(CLINIC_TZ).date()
        todays = [
            item["id"]
            for item in sorted(this_week(clinic.schedule(clinic.patient_id("alex"))), key=starts)
            if starts(item).astimezone(CLINIC_TZ).date() == today
        ]
        clinic.stop()  # Today comes from the encrypted store, as in the bench

        wire = Wire()
        context = browser.new_context(viewport=PHONE)  # type: ignore[arg-type]
        context.route_web_socket(re.compile(".*"), wire.route)
        page = AppPage(context.new_page())
        try:
            page.goto(app.url)  # a new browser session on the screen the app opens on
            page.wait_id("next-session")
            page.wait_id("checkin-card")
            # The first frame is the first message with the shell in it: it has the top of the
            # screen, and not what follows.
            first_frame = next(message for message in wire.sent if b"support-button" in message)
            assert b"next-session" in first_frame, "the next session came a frame after the shell"
            assert b"checkin-card" in first_frame, "the check-in card came a frame after the shell"
            assert b"program-progress" not in first_frame
            assert len(first_frame) < FIRST_FRAME_LIMIT, f"a {len(first_frame)}-byte first frame"
            # The rest of the screen follows: today's sessions, the program's progress.
            for session in todays:
                page.scroll_to(f"session-{session}")
            if not todays:
                page.page.get_by_text("No sessions today").first.wait_for()
            page.scroll_to("program-progress")
            page.assert_accessible("today")
        finally:
            context.close()
