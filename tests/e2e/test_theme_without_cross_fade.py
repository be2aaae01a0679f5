"""The app's theme changes without a cross-fade (issue 15, first paint).

Flutter animates a change of theme over 200 ms, rebuilding the whole screen in every frame of it.
The first screen of every session is such a change: from the loading screen's default theme to
the app's. Those frames came while the browser's renderer was still starting, and the first
session reached the screen ~0.2 s later than without them (docs/PERFORMANCE.md). So the app turns
the animation off: the first frame is drawn in the app's colours, and a switch between light and
dark in Settings lands in one step. This test records every frame the browser draws during that
switch (Chromium's screencast): none is between the light and the dark background.
"""

from __future__ import annotations

import pytest

from tests.e2e.conftest import Stack, sign_in
from tests.support.browser import AppPage
from tests.support.screencast import Colour, box_colour, close, frames_during, screenshot

pytestmark = pytest.mark.e2e


# A spot of the page's own background, right of the laptop layout's content column.
SPOT = {"x": 1180, "y": 300, "width": 40, "height": 40}


def background(page: AppPage) -> Colour:
    """SPOT's colour as the screen shows it now."""
    return box_colour(page, screenshot(page), SPOT)


def test_light_to_dark_in_one_step(stack: Stack) -> None:
    page = stack.page
    sign_in(page)
    page.open_settings("theme-false")
    page.tap("theme-false")
    page.page.wait_for_timeout(500)
    light = background(page)
    assert min(light) > 200, f"the light theme's background is light: {light}"

    frames = frames_during(page, lambda: page.tap("theme-true"), lambda: max(background(page)) < 80, 1.0)
    dark = background(page)
    assert max(dark) < 80, f"the dark theme's background is dark: {dark}"
    seen = [box_colour(page, frame, SPOT) for frame in frames]
    assert any(close(colour, dark) for colour in seen), f"the switch was not recorded: {seen}"
    between = [colour for colour in seen if not close(colour, light) and not close(colour, dark)]
    assert not between, f"frames between light {light} and dark {dark}: {between}"
