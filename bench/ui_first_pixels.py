"""Bench: navigation → first session *painted* (encrypted cache, clinic down) vs a hello world's first text.

Run: scripts/with-keyring .venv/bin/python -m bench.ui_first_pixels
bench/ui_first_paint.py times the first session as the semantics tree shows it: Flutter's web
engine adds the node at the end of the frame that lays the card out. The pixels come after it:
skwasm rasterizes on a worker, which starts with the page and rasterizes frames in turn, so the
card reaches the screen 0.2-0.6 s after its node (docs/PERFORMANCE.md). This bench times the
pixels: Chromium's trace takes a screenshot of every frame it draws, and the first one whose
picture of the element's box is the final one is when the patient could see it. A DOM change
shows in the screenshots ~35 ms after it is made, so the figures are what the screen showed.

Slower than ui_first_paint (every load is traced) and the trace's screenshots cost the browser
time in both pages; the ratio of medians is printed at phone and laptop size, as there.
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any

from playwright.sync_api import Browser

from bench.ui_common import load
from bench.ui_first_paint import hello_and_app_loads, report
from tests.support.browser import AppPage

REPEATS = 5
CATEGORIES = ["disabled-by-default-devtools.screenshot", "blink.user_timing"]
ORIGIN_MARK = "bench-origin"
SETTLED_S = 1.0  # after the element is visible: the week's rest and the support layer have come

# Index of the first screenshot whose picture of `box` is the last one's: fewer than 0.5 % of its
# pixels differ by more than 32 of 255 in a channel (JPEG's noise stays under that; a missing
# line of text or a card not yet drawn does not). Decoded and compared by the browser itself.
FIRST_FINAL_JS = """async ([shots, box, width]) => {
  const crops = [];
  for (const shot of shots) {
    const image = new Image();
    image.src = "data:image/jpeg;base64," + shot;
    await image.decode();
    const scale = image.width / width;
    const canvas = document.createElement("canvas");
    canvas.width = Math.max(1, Math.round(box.width * scale));
    canvas.height = Math.max(1, Math.round(box.height * scale));
    canvas.getContext("2d").drawImage(image, box.x * scale, box.y * scale, canvas.width,
                                      canvas.height, 0, 0, canvas.width, canvas.height);
    crops.push(canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data);
  }
  const last = crops[crops.length - 1];
  const pixels = last.length / 4;
  for (let i = 0; i < crops.length; i++) {
    let differing = 0;
    for (let p = 0; p < last.length; p += 4) {
      const d = Math.max(Math.abs(crops[i][p] - last[p]), Math.abs(crops[i][p + 1] - last[p + 1]),
                         Math.abs(crops[i][p + 2] - last[p + 2]));
      if (d > 32) differing++;
    }
    if (differing < 0.005 * pixels) return i;
  }
  return crops.length - 1;
}"""


def painted(browser: Browser, url: str, selector: str, viewport: dict[str, int]) -> float:
    """Seconds from the navigation's start to the first frame showing `selector`'s box as it ends up."""
    context = browser.new_context(viewport=viewport)  # type: ignore[arg-type]
    page = context.new_page()
    try:
        browser.start_tracing(page=page, categories=CATEGORIES)
        AppPage(page).goto(url)
        element = page.locator(selector).first
        element.wait_for(state="visible", timeout=60_000)
        time.sleep(SETTLED_S)
        box = element.bounding_box()
        # A mark on both clocks: the trace's, and the page's (ms since the navigation started).
        origin_at = float(page.evaluate(f"performance.mark({ORIGIN_MARK!r}).startTime"))
        trace = json.loads(browser.stop_tracing())
        events: list[dict[str, Any]] = trace["traceEvents"] if isinstance(trace, dict) else trace
        # The navigation's start on the trace's clock: the mark's time less the page's clock at it.
        mark = next(e["ts"] for e in events if e.get("name") == ORIGIN_MARK)
        start = mark - origin_at * 1000
        shots = sorted((e["ts"], e["args"]["snapshot"]) for e in events if e.get("name") == "Screenshot")
        shots = [(ts, shot) for ts, shot in shots if ts >= start]
        # Decoded by the page itself, now that the trace has stopped.
        first = page.evaluate(FIRST_FINAL_JS, [[shot for _, shot in shots], box, viewport["width"]])
    finally:
        context.close()
    return (shots[int(first)][0] - start) / 1_000_000


def main() -> int:
    print(f"before: {load()}")
    report(hello_and_app_loads(painted, REPEATS), "painted")
    print(f"after: {load()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
