"""What the UI benches share: both screen sizes, a signed-in app with the clinic stopped, and spread.

Every UI bench measures at phone and laptop size and prints min / median / max of its samples next
to the ratio of medians it is judged by; `uptime`'s load goes with the figures (the machine is
shared), so a reader can tell a loaded run from a quiet one.
"""

from __future__ import annotations

import os
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from playwright.sync_api import Browser, Page

from tests.e2e.conftest import sign_in
from tests.support.app_server import AppServer
from tests.support.browser import LAPTOP, PHONE, AppPage
from tests.support.clinic_server import ClinicServer

SIZES: dict[str, dict[str, int]] = {"phone": PHONE, "laptop": LAPTOP}
FIRST_SESSION = '[flt-semantics-identifier^="session-"]'  # a session card of the week
NEXT_SESSION = '[flt-semantics-identifier="next-session"]'  # the Today screen's next session
# The app's first screens the first-paint benches load: the week (judged by issue 15) and Today,
# where the app opens; each as (path, what is timed).
FIRST_SCREENS: dict[str, tuple[str, str]] = {"week": ("week", FIRST_SESSION), "today": ("", NEXT_SESSION)}


# Whether a node matching the selector (and, if given, saying the text) is on screen: it has a box.
_SHOWN_JS = """([selector, text]) => [...document.querySelectorAll(selector)].some(node => {
    const box = node.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) return false;
    if (!text) return true;
    return [node, ...node.querySelectorAll('*')]
        .some(n => (n.getAttribute('aria-label') || '').includes(text) || n.textContent.includes(text));
})"""


def wait_shown(page: Page, selector: str, text: str = "", timeout_ms: float = 60_000) -> None:
    """Return once a node matching `selector` (saying `text`, when given) is on screen.

    The page checks at every animation frame, so the wait notices a node within a frame whatever
    it waits for. Playwright's own `wait_for` polls from outside with a growing interval (0, 20,
    50, 100, 100, then 500 ms apart): a node that comes later in the wait is noticed later, which
    made a slower page look slower still (by 70-120 ms against 12-26 ms for the hello world,
    docs/PERFORMANCE.md).
    """
    page.wait_for_function(_SHOWN_JS, arg=[selector, text], polling="raf", timeout=timeout_ms)


@dataclass(frozen=True)
class Spread:
    """Samples in seconds, reported in milliseconds."""

    samples: tuple[float, ...]

    @classmethod
    def of(cls, samples: Sequence[float]) -> Spread:
        return cls(tuple(samples))

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    def __str__(self) -> str:
        low, mid, high = (1000 * x for x in (min(self.samples), self.median, max(self.samples)))
        return f"min {low:7.1f}  median {mid:7.1f}  max {high:7.1f} ms  (n={len(self.samples)})"


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} ({os.cpu_count()} cores)"


def signed_in_offline(browser: Browser, clinic: ClinicServer, app: AppServer) -> None:
    """Sign the app in, wait until this week's sessions are in its store, then stop the clinic.

    sign_in returns once the status line says "all saved" (the first sync landed); the week
    screen showing a session card is the data itself on screen, read back from the encrypted
    store. Only then does the clinic stop, so no measurement starts while a sync is in flight.
    """
    page = AppPage.open(browser, app.url, LAPTOP)
    try:
        sign_in(page)
        page.page.goto(app.url + "week")
        page.enable_semantics()
        page.page.locator(FIRST_SESSION).first.wait_for(state="visible", timeout=60_000)
        page.wait_text("sync-status", r"(?i)all saved")
    finally:
        page.close()
    clinic.stop()
