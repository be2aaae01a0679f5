"""Drive Debian's Chromium through Playwright with Flutter semantics on; find controls by identifier."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Locator, Page, Playwright, sync_playwright
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 800}
WAIT_MS = 30_000
READ_MS = 5_000  # reading the page for a failure's report
# Flutter puts merged text either in a node's text or in its aria-label (and its descendants'): read all.
ALL_TEXT_JS = """el => [el, ...el.querySelectorAll('*')]
    .map(n => [n.getAttribute('aria-label') || '', n === el ? el.innerText : ''].join('\\n'))
    .join('\\n')"""

SCREEN_TEXT_JS = """() => [...document.querySelectorAll('flt-semantics')]
    .flatMap(n => [n.getAttribute('aria-label') || '', n.childElementCount ? '' : n.innerText])
    .filter(t => t.trim())
    .join('\\n')"""

IDENTIFIERS_JS = """() => [...document.querySelectorAll('[flt-semantics-identifier]')]
    .map(n => n.getAttribute('flt-semantics-identifier'))"""

# What each text field on screen holds, by identifier: its length and start (Flutter web fills only
# the focused field's input; the others read as '').
FIELDS_JS = """() => Object.fromEntries([...document.querySelectorAll('[flt-semantics-identifier]')]
    .map(n => [n.getAttribute('flt-semantics-identifier'), n.querySelector('input, textarea')])
    .filter(([, input]) => input)
    .map(([id, input]) => [id, `${input.value.length} chars: ${input.value.slice(0, 40)}`]))"""

# axe-core: the impacts that fail a test, and the findings that only the Flutter engine causes (this
# app cannot fix them from Python), each with why; the rule still runs on every other node and attribute.
FAILING_IMPACTS = ("serious", "critical")
# rule id: (the texts one of which every failing check of the node must carry, why it is the engine's)
ENGINE_ONLY: dict[str, tuple[tuple[str, ...], str]] = {
    "aria-valid-attr-value": (
        ('aria-owns="flt-semantic-node-', 'aria-owns="flt-pv-'),
        "Flutter's web engine points a control's aria-owns at the node of its tooltip overlay when a "
        "mouse shows the tooltip, and keeps the id after the tooltip is gone (even when the tooltip is "
        "excluded from semantics); and at a platform view's element (flt-pv-N, the selectable text "
        "of a Markdown block) before that element is in the page. Browsers ignore an aria-owns whose "
        "id is missing, so nothing is misread; the app avoids tooltips where a label says it all (the "
        "support button) and keeps them for mouse users on icon-only buttons. Only an aria-owns to an "
        "engine node or platform view id is excused.",
    ),
}


# Nodes (not checks) that are the engine's own: rule id -> (how the node's HTML starts, why).
ENGINE_NODES: dict[str, tuple[str, str]] = {
    "label": (
        '<input tabindex="-1"',
        "Flutter's IME proxy: when a text field takes focus before the engine's semantics tree is on "
        "(an autofocused PIN field drawn before assistive technology switched semantics on), the "
        "engine types into a transparent, unfocusable input (class flt-text-editing) it creates "
        "outside the semantics tree and cannot label. The field a screen reader reaches is the "
        "semantics node's own input, which is focusable (no tabindex=-1) and is still checked here.",
    ),
}


def _engine_node(rule_id: str, node: dict[str, Any]) -> bool:
    excused = ENGINE_NODES.get(rule_id)
    html = str(node.get("html", ""))
    return excused is not None and html.startswith(excused[0]) and "flt-text-editing" in html


def _engine_only(rule_id: str, node: dict[str, Any]) -> bool:
    if _engine_node(rule_id, node):
        return True
    excused = ENGINE_ONLY.get(rule_id)
    if excused is None:
        return False
    checks = [c for kind in ("any", "all", "none") for c in node.get(kind, [])]
    return bool(checks) and all(any(text in str(c.get("message", "")) for text in excused[0]) for c in checks)


def accessibility_problems(page: Page) -> list[str]:
    """axe-core's serious and critical violations on the page, one line per offending node."""
    results = Axe().run(page, options={"resultTypes": ["violations"]})
    problems: list[str] = []
    for rule in results.response["violations"]:
        if rule["impact"] not in FAILING_IMPACTS:
            continue
        for node in rule["nodes"]:
            if _engine_only(rule["id"], node):
                continue
            html = str(node["html"])
            problems.append(f"{rule['id']} ({rule['impact']}): {html[:160]} — {rule['help']}")
    return problems


@contextmanager
def chromium() -> Iterator[Browser]:
    """One headless Chromium for a test module; closed (and its processes ended) on exit."""
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            yield browser
        finally:
            browser.close()


def launch(playwright: Playwright) -> Browser:
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)


class AppPage:
    """A Flet web page with semantics enabled: `by_id("support-button")` etc."""

    def __init__(self, page: Page) -> None:
        self.page = page
        # True once a field edited through Flutter's own hidden input (see `fill`): on this page the
        # fields' inputs in the semantics tree no longer show what Flutter holds.
        self.edits_in_flutters_own_input = False

    @classmethod
    def open(
        cls, browser: Browser, url: str, viewport: dict[str, int] | None = None, dark: bool = False
    ) -> AppPage:
        context = browser.new_context(viewport=viewport or PHONE, color_scheme="dark" if dark else "light")  # type: ignore[arg-type]
        app = cls(context.new_page())
        app.goto(url)
        return app

    def goto(self, url: str) -> None:
        self.page.goto(url)
        self.enable_semantics()

    def reload(self) -> None:
        self.page.reload()
        self.enable_semantics()

    def enable_semantics(self) -> None:
        placeholder = self.page.locator("flt-semantics-placeholder")
        with self.saying_what_is_on_screen():
            placeholder.wait_for(state="attached", timeout=WAIT_MS)
            # The placeholder sits off-screen on purpose; a DOM click is what a screen reader sends.
            placeholder.dispatch_event("click")
            self.page.locator("flt-semantics").first.wait_for(state="attached", timeout=WAIT_MS)

    def by_id(self, identifier: str) -> Locator:
        return self.page.locator(f'[flt-semantics-identifier="{identifier}"]')

    def wait_id(self, identifier: str, timeout: float = WAIT_MS) -> Locator:
        locator = self.by_id(identifier).first
        with self.saying_what_is_on_screen():
            locator.wait_for(state="visible", timeout=timeout)
        return locator

    @contextmanager
    def saying_what_is_on_screen(self) -> Iterator[None]:
        """A Playwright wait that runs out inside says, in the failure's report, what the page held:
        a fixture's setup that fails has closed its pages before any screenshot could be taken."""
        try:
            yield
        except PlaywrightTimeoutError as exc:
            exc.add_note(self.what_is_on_screen())
            raise

    def what_is_on_screen(self) -> str:
        """For a failure's report: the identifiers and text the semantics tree holds right now (a
        wait that timed out says what it found instead, e.g. the sign-in screen after a wipe)."""
        try:
            # wait_for_function, not evaluate: a page whose main thread hangs answers neither, and
            # only this one gives up (evaluate waited out pytest's whole timeout).
            parts = f"ids: ({IDENTIFIERS_JS})(), text: ({SCREEN_TEXT_JS})(), fields: ({FIELDS_JS})()"
            found = self.page.wait_for_function(f"() => ({{{parts}}})", timeout=READ_MS).json_value()
            ids, text, fields = found["ids"], found["text"], found["fields"]
        except PlaywrightError as exc:
            return f"(the page did not answer within {READ_MS / 1000:.0f} s: {exc.message.splitlines()[0]})"
        return f"on screen: identifiers {ids}; text {str(text)[:1500]!r}; fields {fields}"

    def tap(self, identifier: str, timeout: float = WAIT_MS) -> None:
        control = self.wait_id(identifier, timeout)
        with self.saying_what_is_on_screen():
            control.click()

    def tap_until(self, identifier: str, shows: str, attempts: int = 3, wait_ms: float = 5_000) -> None:
        """Tap, and tap again if `shows` does not appear: a tap that lands while Flutter rebuilds its
        semantics tree (a sync finishing, say) can be lost, as a person's would be."""
        for _ in range(attempts):
            self.tap(identifier)
            try:
                self.wait_id(shows, timeout=wait_ms)
                return
            except PlaywrightTimeoutError:
                continue
        raise AssertionError(f"tapping {identifier!r} never showed {shows!r}")

    def set_switch(self, identifier: str, on: bool, attempts: int = 3) -> None:
        """Tap a switch until it says it is `on` (or off): a tap lost to a rebuild is tapped again, and
        a switch already in that state is left alone."""
        state = self.by_id(identifier).locator("[aria-checked]").first
        want = "true" if on else "false"
        for _ in range(attempts):
            self.wait_id(identifier)
            if state.get_attribute("aria-checked") == want:
                return
            self.tap(identifier)
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline:
                if state.get_attribute("aria-checked") == want:
                    return
                self.page.wait_for_timeout(100)
        raise AssertionError(f"the switch {identifier!r} never turned {'on' if on else 'off'}")

    def open_settings(self, shows: str) -> Locator:
        """The Settings tab, scrolled until `shows` is on screen (the screen is longer than a phone's)."""
        self.tap_until("nav-settings", "lang-en")
        return self.scroll_to(shows)

    def scroll_to(self, identifier: str, steps: int = 30) -> Locator:
        """Scroll the screen under the mouse until `identifier` is built (lists build lazily)."""
        size = self.page.viewport_size or {"width": 390, "height": 844}
        self.page.mouse.move(size["width"] / 2, size["height"] / 2)
        for _ in range(steps):
            if self.by_id(identifier).count():
                break
            self.page.mouse.wheel(0, 300)
            self.page.wait_for_timeout(150)
        return self.wait_id(identifier)

    def button(self, name: str | re.Pattern[str]) -> Locator:
        return self.page.get_by_role("button", name=name)

    def text_of(self, identifier: str) -> str:
        """Everything a screen reader would read for that control."""
        return str(self.wait_id(identifier).evaluate(ALL_TEXT_JS))

    def wait_text(self, identifier: str, pattern: str | re.Pattern[str], timeout: float = WAIT_MS) -> str:
        """Wait until the control's text matches `pattern` (a regex); return that text."""
        regex = re.compile(pattern) if isinstance(pattern, str) else pattern
        deadline = time.monotonic() + timeout / 1000
        text = ""
        while time.monotonic() < deadline:
            locator = self.by_id(identifier)
            if locator.count():
                text = str(locator.first.evaluate(ALL_TEXT_JS))
                if regex.search(text):
                    return text
            self.page.wait_for_timeout(100)
        raise AssertionError(f"{identifier!r} never matched {regex.pattern!r}; last text: {text!r}")

    def fill(self, identifier: str, value: str, attempts: int = 4) -> None:
        """Type into the text field wrapped by `identifier`, and check that Flutter kept it.

        Flutter web attaches its text editing to the input only once the focus has moved there;
        text set before that is overwritten, so wait for the focus and verify the value stays.

        A field first focused before the screen reader's tree was on (an autofocused field, when the
        page drew it before `enable_semantics`) edits through Flutter's own hidden input for the rest
        of the page's life, and a click on the field focuses that one: then the text is typed there,
        where a person's keys would go, and checked there the same way. (The field's input in the
        tree then keeps its old value, though Flutter draws the new text.)"""
        for _ in range(attempts):
            target = self.wait_id(identifier).locator("input, textarea").first
            with self.saying_what_is_on_screen():
                target.click()
            try:
                self.page.wait_for_function(
                    "el => document.activeElement === el", arg=target.element_handle(), timeout=3_000
                )
            except PlaywrightTimeoutError:
                if self._typed_into_flutters_own_input(value):
                    return
                continue
            with self.saying_what_is_on_screen():
                target.fill(value)
            self.page.wait_for_timeout(250)
            if target.count() and target.input_value() == value:
                return
        raise AssertionError(f"could not type into {identifier!r}")

    def _typed_into_flutters_own_input(self, value: str) -> bool:
        """Type `value` into Flutter's hidden editing input if it has the focus; True if it kept it."""
        own = self.page.locator("input.flt-text-editing:focus, textarea.flt-text-editing:focus")
        if not own.count():
            return False
        self.edits_in_flutters_own_input = True
        own.fill(value)
        self.page.wait_for_timeout(250)
        return bool(own.count()) and own.input_value() == value

    def field_value(self, identifier: str) -> str:
        """What the text field wrapped by `identifier` holds, read now. Flutter web fills the DOM
        input only for the focused field (where a screen reader's cursor would put it), so focus it
        first; it fills it a frame or so after the focus moves, so a read may still find the
        input empty: `wait_value` waits for what the field should hold."""
        target = self.wait_id(identifier).locator("input, textarea").first
        target.click()
        self.page.wait_for_function("el => document.activeElement === el", arg=target.element_handle())
        return str(target.input_value())

    def wait_value(self, identifier: str, expected: str, timeout: float = 10_000) -> None:
        """Wait until the text field wrapped by `identifier` holds `expected` (read as `field_value`)."""
        deadline = time.monotonic() + timeout / 1000
        while (shown := self.field_value(identifier)) != expected:
            if time.monotonic() > deadline:
                raise AssertionError(f"{identifier!r} holds {shown[:60]!r}, not {expected[:60]!r}")
            self.page.wait_for_timeout(100)

    def wait_field_text(self, identifier: str, text: str, timeout: float = 5_000) -> None:
        """Wait until the text field wrapped by `identifier` holds `text` as Flutter has it (what the
        person sees). While the field has the focus its input is the browser's typing buffer, which
        keeps what was typed even when the app has emptied the field, so move the focus on first:
        then the input shows Flutter's own text."""
        target = self.wait_id(identifier).locator("input, textarea").first
        if target.evaluate("el => document.activeElement === el"):
            self.page.keyboard.press("Tab")
        deadline = time.monotonic() + timeout / 1000
        while (shown := target.input_value()) != text:
            if time.monotonic() > deadline:
                raise AssertionError(f"{identifier!r} holds {shown!r}, not {text!r}")
            self.page.wait_for_timeout(100)

    def screen_text(self) -> str:
        """Every label and text of the semantics tree, one node a line (what a screen reader can reach)."""
        return str(self.page.evaluate(SCREEN_TEXT_JS))

    def wait_screen(self, pattern: str | re.Pattern[str], timeout: float = WAIT_MS) -> str:
        """Wait until the screen's text matches `pattern` (a regex, multiline); return that text."""
        regex = re.compile(pattern, re.MULTILINE) if isinstance(pattern, str) else pattern
        deadline = time.monotonic() + timeout / 1000
        text = ""
        while time.monotonic() < deadline:
            text = self.screen_text()
            if regex.search(text):
                return text
            self.page.wait_for_timeout(100)
        raise AssertionError(f"the screen never matched {regex.pattern!r}; last text:\n{text}")

    def assert_accessible(self, screen: str) -> None:
        """Fail on any serious or critical axe-core violation the app can fix, on the screen as shown.

        Every e2e test calls this once it has reached a screen, so each screen is checked in the
        state a test put it in (data loaded, dialogs open) without a second crawl."""
        problems = accessibility_problems(self.page)
        assert not problems, f"{screen}: axe-core found\n" + "\n".join(problems)

    def body_text(self) -> str:
        return str(self.page.locator("flt-semantics-host, body").first.inner_text())

    def screenshot(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.page.wait_for_timeout(400)  # let animations settle
        self.page.screenshot(path=str(path))

    def close(self) -> None:
        self.page.context.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.page, name)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One headless Debian Chromium per test module.

    Module scope, not session: Playwright's sync API keeps an event loop running while it is
    open, and the async tests of other modules need the main thread free of one.
    """
    with chromium() as instance:
        yield instance
