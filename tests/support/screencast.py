"""What the browser drew, frame by frame (Chromium's screencast), and the colour of a box in a frame.

For tests about what a person sees between two states — a cross-fade, buttons fading in from
grey — which the semantics tree cannot tell: it only has the states before and after.
"""

from __future__ import annotations

import base64
import time
from collections.abc import Callable, Mapping
from typing import Any

from tests.support.browser import AppPage

Colour = tuple[int, int, int]

# The mean colour of a box (CSS pixels) in a base64 PNG of the page (a screenshot or a screencast
# frame, scaled or not), decoded and measured by the browser itself.
_BOX_COLOUR_JS = """async ([png, box]) => {
    const image = new Image();
    image.src = "data:image/png;base64," + png;
    await image.decode();
    const scale = image.width / window.innerWidth;
    const canvas = document.createElement("canvas");
    canvas.width = Math.max(1, Math.round(box.width));
    canvas.height = Math.max(1, Math.round(box.height));
    const context = canvas.getContext("2d");
    context.drawImage(image, box.x * scale, box.y * scale, box.width * scale, box.height * scale,
                      0, 0, canvas.width, canvas.height);
    const data = context.getImageData(0, 0, canvas.width, canvas.height).data;
    const sum = [0, 0, 0];
    for (let i = 0; i < data.length; i += 4) for (let c = 0; c < 3; c++) sum[c] += data[i + c];
    return sum.map(s => Math.round(s / (data.length / 4)));
}"""


def box_colour(page: AppPage, png: str, box: Mapping[str, float]) -> Colour:
    """The mean colour of `box` ({x, y, width, height} in CSS pixels) in the frame `png`."""
    red, green, blue = page.page.evaluate(_BOX_COLOUR_JS, [png, box])
    return red, green, blue


def screenshot(page: AppPage) -> str:
    """The page as it is on screen now, as a base64 PNG."""
    return base64.b64encode(page.page.screenshot()).decode()


def close(one: Colour, other: Colour, tolerance: int = 6) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(one, other, strict=True))


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
