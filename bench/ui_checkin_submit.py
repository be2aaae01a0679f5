"""Bench: check-in submit tap → confirmation visible vs a trivial counter button's round trip (Flet web).

Run: scripts/with-keyring .venv/bin/python -m bench.ui_checkin_submit
The clinic is down while measuring: the answer goes to the encrypted outbox, and the confirmation
must not wait for the network. Each repeat amends today's check-in ("Change my answers", then send
again). Prints both medians and the ratio check-in/counter (issue 12 asks for at most 1.2).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.ui_first_paint import HelloServer
from bench.ui_support_tap import REPEATS, counter_round_trips
from tests.e2e.conftest import sign_in
from tests.support.app_server import AppServer
from tests.support.browser import LAPTOP, AppPage, chromium
from tests.support.clinic_server import ClinicServer
from tests.support.pointer import choose, into_view, press

ANSWERS = {"craving": "9", "mood": "3", "confidence": "4", "used": "no", "contact": "yes"}


def submit_taps(page: AppPage) -> list[float]:
    page.tap_until("nav-checkin", "checkin-screen")
    for item, value in ANSWERS.items():
        choose(page, f"checkin-{item}-{value}")
    times = []
    for _ in range(REPEATS + 1):
        x, y = into_view(page, "checkin-submit")
        start = time.perf_counter()
        page.page.mouse.click(x, y)
        page.by_id("checkin-confirmation").first.wait_for(state="visible", timeout=30_000)
        times.append(time.perf_counter() - start)
        press(page, "checkin-change")  # back to the form, today's answers in it
        page.wait_id("checkin-screen")
    return times[1:]  # the first is warm-up


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp, chromium() as browser:
        root = Path(tmp)
        with ClinicServer(root / "clinic") as clinic, AppServer(root / "app", clinic_url=clinic.url) as app:
            page = AppPage.open(browser, app.url, LAPTOP)
            sign_in(page)  # returns once the first sync has landed: the questionnaires are in the store
            clinic.stop()
            submit = submit_taps(page)
            page.close()
            with HelloServer(root / "hello.log") as hello:
                counter_page = AppPage.open(browser, hello.url, LAPTOP)
                counter = counter_round_trips(counter_page)
                counter_page.close()
    s, c = statistics.median(submit), statistics.median(counter)
    print(f"counter button round trip:          median {c * 1000:7.1f} ms  ({REPEATS} taps)")
    print(f"check-in submit → confirmation:     median {s * 1000:7.1f} ms  ({REPEATS} taps, clinic down)")
    print(f"ratio check-in / counter: {s / c:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
