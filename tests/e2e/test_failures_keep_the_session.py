"""A bug of ours in one handler or one screen part: a notice, and the session goes on.

Flet 1.0.5 alone replaces the whole app with its crash screen and the exception's text after a
handler raises, and stops drawing the session for good after a component's render raises; the
support button goes with it. flet_guard keeps the session; these run a real Flet
web app with bugs on purpose (tests/support/fragile_app.py) in Chromium.
"""

from __future__ import annotations

import os
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from app.ui.failure_notice import CRASH_MESSAGE
from tests.support.app_server import free_port
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
ROOT = Path(__file__).resolve().parents[2]


class FragileApp:
    def __init__(self, log: Path, language: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.log_path = log
        self.language = language
        self._proc: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> FragileApp:
        env = {**os.environ, "FLET_FORCE_WEB_SERVER": "1", "PYTHONUNBUFFERED": "1"}
        cmd = [sys.executable, "-m", "tests.support.fragile_app", str(self.port), self.language]
        with self.log_path.open("ab") as log:
            self._proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        wait_until(self._serves, 60, interval=0.2, message="the fragile app never served its page")
        return self

    def _serves(self) -> bool:
        try:
            with urllib.request.urlopen(self.url, timeout=2) as answer:  # noqa: S310 - loopback only
                return bool(answer.status == 200)
        except OSError:
            return False

    def __exit__(self, *_exc: object) -> None:
        if self._proc is not None:
            self._proc.terminate()
            self._proc.wait(timeout=10)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


@pytest.fixture
def fragile(tmp_path: Path) -> Iterator[FragileApp]:
    with FragileApp(tmp_path / "fragile.log", "es") as app:
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
