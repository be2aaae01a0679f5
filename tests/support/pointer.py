"""Pointer taps for screens with a Flutter slider: scroll a control into view, click its centre.

A Flutter slider adds a full-screen, empty semantics node (its value-indicator overlay) above the
others, so Playwright's element click refuses ("... intercepts pointer events"). A real pointer at
the control's coordinates reaches the control, as these clicks do.
"""

from __future__ import annotations

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.support.browser import AppPage

TOP_BAND = 90  # px under the header
BOTTOM_BAND = 110  # px above the navigation bar


def into_view(page: AppPage, identifier: str, steps: int = 40) -> tuple[float, float]:
    """Scroll the screen under the mouse until `identifier` is clear of the header and the
    navigation bar; its centre."""
    size = page.page.viewport_size or {"width": 390, "height": 844}
    width, height = size["width"], size["height"]
    last_y: float | None = None
    for _ in range(steps):
        found = page.by_id(identifier)
        box = found.first.bounding_box() if found.count() else None
        if box is not None:
            clear = box["y"] >= TOP_BAND and box["y"] + box["height"] <= height - BOTTOM_BAND
            at_end = (
                box["y"] == last_y and box["y"] >= 0 and box["y"] + box["height"] <= height
            )  # no more to scroll
            if clear or at_end:
                return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
            last_y = box["y"]
        page.page.mouse.move(width / 2, height / 2)
        page.page.mouse.wheel(0, -250 if box is not None and box["y"] < TOP_BAND else 250)
        page.page.wait_for_timeout(150)
    raise AssertionError(f"{identifier!r} never came into view")


def press(page: AppPage, identifier: str) -> None:
    """Click the centre of `identifier` with the mouse, once it is in view."""
    x, y = into_view(page, identifier)
    page.page.mouse.click(x, y)


def choose(page: AppPage, identifier: str, attempts: int = 4) -> None:
    """Press an answer (a chip or a yes/no button) until the screen shows it chosen.

    Flutter marks the chosen one `aria-current="true"`. An answer that makes a line appear above
    (the team will see this) moves what is below it while the screen re-renders: a click aimed
    just then can land beside the next answer, so check and aim again."""
    chosen = f'[flt-semantics-identifier="{identifier}"][aria-current="true"]'
    for _ in range(attempts):
        press(page, identifier)
        try:
            page.page.locator(chosen).first.wait_for(state="attached", timeout=3_000)
            return
        except PlaywrightTimeoutError:
            continue
    raise AssertionError(f"{identifier!r} never showed as chosen")
