"""A mouse on a laptop must not leave the screen-reader tree broken behind it.

Flutter's web engine gives a control whose tooltip is shown an `aria-owns` pointing at the tooltip's
node, and keeps it after the tooltip is gone: a dangling id (axe: aria-valid-attr-value, critical)
on exactly the controls a person hovers most — the support button above all. The support button has
no tooltip (its label says it all), so it stays spotless; on icon-only buttons, where a mouse user
needs the tooltip, only that engine id is excused (tests/support/browser.py, ENGINE_ONLY).
"""

from __future__ import annotations

import pytest

from tests.e2e.conftest import Stack, signed_in
from tests.support.browser import accessibility_problems

pytestmark = pytest.mark.e2e
TOOLTIP_SHOWN_MS = 1_500  # Material's hover delay is well under this


@pytest.mark.parametrize(
    ("screen", "controls"),
    [
        ("nav-today", ["support-button"]),
        ("nav-week", ["week-prev", "week-next"]),
    ],
)
def test_hovering_a_control_and_leaving_leaves_no_dangling_aria_reference(
    stack: Stack, screen: str, controls: list[str]
) -> None:
    signed_in(stack)
    page = stack.page
    page.tap(screen)
    for identifier in controls:
        page.wait_id(identifier).hover()
        page.page.wait_for_timeout(TOOLTIP_SHOWN_MS)
        page.page.mouse.move(2, 2)  # the pointer leaves; the tooltip goes
        page.page.wait_for_timeout(TOOLTIP_SHOWN_MS)
        assert accessibility_problems(page.page) == [], f"after hovering {identifier}"
    if "support-button" in controls:
        assert page.wait_id("support-button").get_attribute("aria-owns") is None
