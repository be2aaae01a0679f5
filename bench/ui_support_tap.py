"""Bench: support-button tap → support screen visible vs a trivial counter button's round trip (Flet web).

Run: scripts/with-keyring .venv/bin/python -m bench.ui_support_tap
The clinic is down while measuring: the support screen must come from local data. Prints both medians
and the ratio support/counter.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.ui_first_paint import HelloServer
from tests.e2e.conftest import sign_in
from tests.support.app_server import AppServer
from tests.support.browser import LAPTOP, AppPage, chromium
from tests.support.clinic_server import ClinicServer

REPEATS = 15


def counter_round_trips(page: AppPage) -> list[float]:
    page.wait_id("count")
    times = []
    for n in range(1, REPEATS + 2):
        start = time.perf_counter()
        page.by_id("increment").click()
        page.page.locator('[flt-semantics-identifier="count"]', has_text=f"count {n}").wait_for(
            timeout=30_000
        )
        times.append(time.perf_counter() - start)
    return times[1:]  # the first is warm-up


def support_taps(page: AppPage) -> list[float]:
    times = []
    for _ in range(REPEATS + 1):
        page.tap_until("nav-today", "next-session")
        button = page.wait_id("support-button")
        start = time.perf_counter()
        button.click()
        page.by_id("call-988").first.wait_for(state="visible", timeout=30_000)
        times.append(time.perf_counter() - start)
    return times[1:]


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp, chromium() as browser:
        root = Path(tmp)
        with ClinicServer(root / "clinic") as clinic, AppServer(root / "app", clinic_url=clinic.url) as app:
            page = AppPage.open(browser, app.url, LAPTOP)
            sign_in(page)  # returns once the first sync has landed: the week is in the store
            clinic.stop()
            support = support_taps(page)
            page.close()
            with HelloServer(root / "hello.log") as hello:
                counter_page = AppPage.open(browser, hello.url, LAPTOP)
                counter = counter_round_trips(counter_page)
                counter_page.close()
    s, c = statistics.median(support), statistics.median(counter)
    print(f"counter button round trip:       median {c * 1000:7.1f} ms  ({REPEATS} taps)")
    print(f"support tap → support screen:    median {s * 1000:7.1f} ms  ({REPEATS} taps, clinic down)")
    print(f"ratio support / counter: {s / c:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
