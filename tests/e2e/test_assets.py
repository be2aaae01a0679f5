"""The app's own icon in web mode: the page Chromium loads links Waypoint's favicon and icons, not Flet's."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from tests.support.app_server import AppServer

pytestmark = pytest.mark.e2e
ASSETS = Path(__file__).resolve().parents[2] / "assets"


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory, browser: Browser) -> Iterator[Page]:
    """A signed-out app (no clinic needed to serve its page) open in Chromium."""
    with AppServer(tmp_path_factory.mktemp("assets") / "app") as app:
        context = browser.new_context()
        try:
            tab = context.new_page()
            tab.goto(app.url)
            yield tab
        finally:
            context.close()


def test_the_favicon_the_page_links_is_waypoints_own(page: Page) -> None:
    href = page.eval_on_selector('link[rel="icon"]', "link => link.href")
    answer = page.request.get(href)
    assert answer.status == 200
    assert answer.headers["content-type"] == "image/png"
    assert answer.body() == (ASSETS / "favicon.png").read_bytes()


def test_the_home_screen_icons_and_manifest_are_waypoints_own(page: Page) -> None:
    touch = page.eval_on_selector('link[rel="apple-touch-icon"]', "link => link.href")
    assert page.request.get(touch).body() == (ASSETS / "icons" / "apple-touch-icon-192.png").read_bytes()
    manifest_href = page.eval_on_selector('link[rel="manifest"]', "link => link.href")
    manifest = page.request.get(manifest_href).json()
    assert manifest["name"] == "Waypoint"
    for icon in manifest["icons"]:
        served = page.request.get(page.url.rstrip("/") + "/" + icon["src"]).body()
        assert served == (ASSETS / icon["src"]).read_bytes()
