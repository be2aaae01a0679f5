"""Bench: check-in submit tap → confirmation visible vs a trivial counter button's round trip (Flet web).

Run: scripts/with-keyring .venv/bin/python -m bench.ui_checkin_submit
The clinic is down while measuring: the answer goes to the encrypted outbox, and the confirmation
must not wait for the network. Each repeat amends today's check-in ("Change my answers", then send
again). The answers worry (craving 9, "contact me"), so the confirmation shows the call buttons;
`--calm`: answers that do not, no call buttons. At phone and laptop size, submits and counter taps
alternate in rounds; prints min/median/max of each and the ratio of the medians (issue 12 asks for at
most 1.2).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from bench.ui_common import SIZES, Spread, load, signed_in_offline, wait_shown
from bench.ui_first_paint import HelloServer
from bench.ui_support_tap import ROUNDS, TAPS, counter_round_trips
from tests.support.app_server import AppServer
from tests.support.browser import AppPage, chromium
from tests.support.clinic_server import ClinicServer
from tests.support.pointer import choose, into_view, press

ANSWERS = {"craving": "9", "mood": "3", "confidence": "4", "used": "no", "contact": "yes"}  # worrying
CALM = {"craving": "2", "mood": "6", "confidence": "7", "used": "no", "contact": "no"}  # --calm


def answer(page: AppPage, answers: dict[str, str] = ANSWERS) -> None:
    page.tap_until("nav-checkin", "checkin-screen")
    for item, value in answers.items():
        choose(page, f"checkin-{item}-{value}")


def submit_taps(page: AppPage, taps: int) -> list[float]:
    times = []
    for _ in range(taps + 1):
        x, y = into_view(page, "checkin-submit")
        start = time.perf_counter()
        page.page.mouse.click(x, y)
        wait_shown(page.page, '[flt-semantics-identifier="checkin-confirmation"]')
        times.append(time.perf_counter() - start)
        press(page, "checkin-change")  # back to the form, today's answers in it
        page.wait_id("checkin-screen")
    return times[1:]  # the first is warm-up


def main() -> int:
    calm = "--calm" in sys.argv[1:]
    shown = "calm answers: no call buttons" if calm else "worrying answers: the call buttons"
    print(f"before: {load()}; {shown}")
    results: dict[str, tuple[Spread, Spread]] = {}
    with tempfile.TemporaryDirectory() as tmp, chromium() as browser:
        root = Path(tmp)
        with ClinicServer(root / "clinic") as clinic, AppServer(root / "app", clinic_url=clinic.url) as app:
            signed_in_offline(browser, clinic, app)  # the questionnaires are in the store; clinic down
            with HelloServer(root / "hello.log") as hello:
                for size, viewport in SIZES.items():
                    page = AppPage.open(browser, app.url, viewport)
                    counter_page = AppPage.open(browser, hello.url, viewport)
                    answer(page, CALM if calm else ANSWERS)
                    submit, counter = [], []
                    for _ in range(ROUNDS):  # alternating, so load changes touch both alike
                        submit += submit_taps(page, TAPS)
                        counter += counter_round_trips(counter_page, TAPS)
                    page.close()
                    counter_page.close()
                    results[size] = Spread.of(counter), Spread.of(submit)
    for size, (c, s) in results.items():
        print(f"{size}:")
        print(f"  counter button round trip:      {c}")
        print(f"  check-in submit → confirmation: {s}  (clinic down)")
        print(f"  ratio check-in / counter (medians): {s.median / c.median:.2f}")
    print(f"after: {load()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
