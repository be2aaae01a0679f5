"""The accessibility check excuses only what the Flutter engine alone causes, and nothing near it.

Run on real axe-core in Chromium against the two inputs a Flutter text field can leave in the page:
the engine's transparent IME proxy (unfocusable, outside the semantics tree; an autofocused PIN
field drawn before semantics came on left one behind in CI) and the semantics node's own input,
which is what a screen reader reaches and must always carry its label.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from tests.support.browser import accessibility_problems

pytestmark = pytest.mark.e2e

IME_PROXY = (
    '<input tabindex="-1" type="password" autocomplete="off" autocorrect="on" '
    'class="flt-text-editing transparentTextEditing">'
)
SEMANTICS_INPUT = '<input spellcheck="false" data-semantics-role="text-field" type="password"{label}>'


def problems_of(browser: Browser, body: str) -> list[str]:
    context = browser.new_context()
    try:
        page = context.new_page()
        head = '<!doctype html><html lang="en"><head><title>t</title></head>'
        page.set_content(f"{head}<body><main>{body}</main></body></html>")
        return accessibility_problems(page)
    finally:
        context.close()


def test_the_engines_ime_proxy_is_excused_but_an_unlabelled_field_is_not(browser: Browser) -> None:
    assert problems_of(browser, IME_PROXY) == []
    unlabelled = problems_of(browser, SEMANTICS_INPUT.format(label=""))
    assert [p for p in unlabelled if p.startswith("label (critical)")], unlabelled
    assert problems_of(browser, SEMANTICS_INPUT.format(label=' aria-label="PIN"')) == []
    # A focusable input with the engine's class is a field a person can reach: still checked.
    reachable = problems_of(browser, '<input type="password" class="flt-text-editing">')
    assert [p for p in reachable if p.startswith("label (critical)")], reachable


def test_an_aria_owns_to_a_missing_engine_id_is_excused_and_to_any_other_id_is_not(browser: Browser) -> None:
    for engine_id in ("flt-pv-0", "flt-semantic-node-12"):
        assert problems_of(browser, f'<div aria-owns="{engine_id}">Instructions</div>') == []
    other = problems_of(browser, '<div aria-owns="instructions">Instructions</div>')
    assert [p for p in other if p.startswith("aria-valid-attr-value")], other
