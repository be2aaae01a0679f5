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

import base64
import time
from collections.abc import Callable
from typing import Any

import pytest

from tests.e2e.conftest import Stack, sign_in
from tests.support.browser import AppPage

pytestmark = pytest.mark.e2e


# A spot of the page's own background, right of the laptop layout's content column.
SPOT = {"x": 1180, "y": 300, "width": 40, "height": 40}

# The mean colour of SPOT in a base64 PNG of the page (a screenshot or a screencast frame, scaled
# or not), decoded and measured by the browser itself.
SPOT_COLOUR_JS = """async ([png, spot]) => {
    const image = new Image();
    image.src = "data:image/png;base64," + png;
    await image.decode();
    const scale = image.width / window.innerWidth;
    const canvas = document.createElement("canvas");
    canvas.width = spot.width;
    canvas.height = spot.height;
    const context = canvas.getContext("2d");
    context.drawImage(image, spot.x * scale, spot.y * scale, spot.width * scale, spot.height * scale,
                      0, 0, spot.width, spot.height);
    const data = context.getImageData(0, 0, spot.width, spot.height).data;
    const sum = [0, 0, 0];
    for (let i = 0; i < data.length; i += 4) for (let c = 0; c < 3; c++) sum[c] += data[i + c];
    return sum.map(s => Math.round(s / (data.length / 4)));
}"""


def spot_colour(page: AppPage, png: str) -> tuple[int, int, int]:
    red, green, blue = page.page.evaluate(SPOT_COLOUR_JS, [png, SPOT])
    return red, green, blue


def background(page: AppPage) -> tuple[int, int, int]:
    """SPOT's colour as the screen shows it now."""
    return spot_colour(page, base64.b64encode(page.page.screenshot()).decode())


def frames_during(
    page: AppPage, action: Callable[[], None], until: Callable[[], bool], seconds: float
) -> list[str]:
    """Every frame the browser draws from `action` until `until()` holds (the action is done again
    if 5 s pass without it: a tap can be lost while Flutter rebuilds its semantics tree) and
    `seconds` after, as base64 PNGs."""
    cdp = page.page.context.new_cdp_session(page.page)
    frames: list[str] = []

    def on_frame(event: dict[str, Any]) -> None:
        frames.append(event["data"])
        cdp.send("Page.screencastFrameAck", {"sessionId": event["sessionId"]})

    cdp.on("Page.screencastFrame", on_frame)
    cdp.send("Page.startScreencast", {"format": "png", "everyNthFrame": 1})
    try:
        for _ in range(3):
            action()
            deadline = time.monotonic() + 5
            while not until() and time.monotonic() < deadline:
                page.page.wait_for_timeout(100)
            if until():
                break
        page.page.wait_for_timeout(seconds * 1000)
    finally:
        cdp.send("Page.stopScreencast")
        cdp.detach()
    return frames


def close(one: tuple[int, int, int], other: tuple[int, int, int], tolerance: int = 6) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(one, other, strict=True))


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
    seen = [spot_colour(page, frame) for frame in frames]
    assert any(close(colour, dark) for colour in seen), f"the switch was not recorded: {seen}"
    between = [colour for colour in seen if not close(colour, light) and not close(colour, dark)]
    assert not between, f"frames between light {light} and dark {dark}: {between}"
