"""A bug of ours in one handler or one screen part: a notice, and the session goes on.

Flet 1.0.5 alone replaces the whole app with its crash screen and the exception's text after a
handler raises, and stops drawing the session for good after a component's render raises; the
support button goes with it. flet_guard keeps the session; these run a real Flet
web app with bugs on purpose (tests/support/fragile_app.py) in Chromium.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from app.ui.failure_notice import CRASH_MESSAGE
from tests.support.app_server import AppServer
from tests.support.browser import PHONE, AppPage
from tests.support.fragile_app import SECRET
from tests.support.polling import wait_until

pytestmark = pytest.mark.e2e
# Every message the page's WebSockets receive, as text (Flet's are MessagePack: its strings are UTF-8).
RECORD_RECEIVED_JS = """
window.__received = [];
const add = WebSocket.prototype.addEventListener;
WebSocket.prototype.addEventListener = function (type, listener, options) {
  if (type === 'message') {
    const inner = listener;
    listener = function (event) {
      const data = event.data;
      if (data instanceof ArrayBuffer) window.__received.push(new TextDecoder().decode(data));
      else if (typeof data === 'string') window.__received.push(data);
      return inner.call(this, event);
    };
  }
  return add.call(this, type, listener, options);
};
"""


class FragileApp(AppServer):
    """tests/support/fragile_app.py served like the app (started, waited for, its log kept)."""

    def __init__(self, data_dir: Path, language: str) -> None:
        super().__init__(data_dir)
        self.language = language

    def command(self) -> list[str]:
        return [sys.executable, "-m", "tests.support.fragile_app", str(self.port), self.language]


@pytest.fixture
def fragile(tmp_path: Path) -> Iterator[FragileApp]:
    with FragileApp(tmp_path / "fragile", "es") as app:
        yield app


def test_a_handler_that_raises_leaves_a_notice_and_the_session_goes_on(
    fragile: FragileApp, browser: Browser
) -> None:
    page = AppPage.open(browser, fragile.url)
    try:
        page.wait_id("count")
        page.tap("boom")
        notice = page.wait_text("failure-notice", r"Algo salió mal")  # in the patient's language
        assert SECRET not in notice
        page.assert_accessible("the failure notice")  # its close button named, its text read out
        page.tap_until("inc", "count")
        page.wait_text("count", r"count 1")  # still drawn: the session went on
        assert "Error running app" not in page.screen_text()
    finally:
        page.close()
    assert "RuntimeError at tests/support/fragile_app.py" in fragile.log()  # where, for a developer
    assert SECRET not in fragile.log(), "an exception's text may hold a patient's data"
    assert "Traceback" not in fragile.log()


def test_a_component_whose_render_raises_does_not_stop_the_screen_from_being_drawn(
    fragile: FragileApp, browser: Browser
) -> None:
    page = AppPage.open(browser, fragile.url)
    try:
        page.wait_id("count")
        page.tap("inc")
        page.wait_text("count", r"count 1")
        page.tap("inc")  # count 2: Fragile raises on this render
        page.wait_id("failure-notice")
        page.tap("inc")
        page.wait_text("count", r"count 3")  # Flet alone drew nothing more after the failure
        page.wait_text("fragile", r"fragile 3")
    finally:
        page.close()
    assert "RuntimeError at tests/support/fragile_app.py" in fragile.log()
    assert SECRET not in fragile.log()


def test_a_session_whose_first_render_fails_says_where_help_is_and_nothing_of_the_error(
    fragile: FragileApp, browser: Browser
) -> None:
    context = browser.new_context(viewport=PHONE)  # type: ignore[arg-type]
    context.add_init_script(RECORD_RECEIVED_JS)
    page = AppPage(context.new_page())
    try:
        page.goto(fragile.url + "broken")

        # Flet's crash screen draws its message outside the semantics tree: read what it was sent.
        def received() -> str:
            return str(page.page.evaluate("window.__received.join('\\n')"))

        wait_until(lambda: CRASH_MESSAGE in received(), 30, message="no crash screen was sent")
        assert SECRET not in received()
    finally:
        context.close()
    assert "KeyError at tests/support/fragile_app.py" in fragile.log()
    assert SECRET not in fragile.log()
    assert "Traceback" not in fragile.log()
