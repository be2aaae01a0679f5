"""flet_guard.session replaces only Flet's exact methods, and keeps exception text out of Flet's log.

What it does in a running session (a notice, the session goes on, no crash screen) is tested in
Chromium: tests/e2e/test_failures_keep_the_session.py.
"""

from __future__ import annotations

import logging
from typing import Any

import pytest
from flet.messaging.session import Session

from flet_guard import session as flet_session

SECRET = "Alex Rivera relapsed"
CRASH = "This screen could not open. Reload the page."


def raised_here() -> BaseException:
    try:
        raise KeyError(SECRET)
    except KeyError as exc:
        return exc
    raise AssertionError("unreachable")


def test_it_replaces_flets_own_methods_once() -> None:
    assert flet_session.install(CRASH)
    assert flet_session.install(CRASH)  # a second install changes nothing
    assert Session.error is flet_session.error
    assert Session._Session__updates_scheduler is flet_session.updates_scheduler  # type: ignore[attr-defined]


def test_it_leaves_a_changed_flet_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    def other(self: Any, message: str) -> None: ...

    monkeypatch.setattr(Session, "error", other)
    assert not flet_session.install(CRASH)
    assert Session.error is other


def test_where_names_the_type_and_our_line_never_the_text() -> None:
    said = flet_session.where(raised_here())
    assert said.startswith("KeyError at tests/unit/flet_guard/test_session.py:")
    assert SECRET not in said


def test_flets_log_keeps_where_an_exception_was_raised_not_its_text(caplog: pytest.LogCaptureFixture) -> None:
    flet_session.install(CRASH)
    exc = raised_here()
    with caplog.at_level(logging.ERROR, logger="flet"):
        logging.getLogger("flet").error("Unhandled error in 'on_%s' handler", "click", exc_info=exc)
    assert "Unhandled error in 'on_click' handler (KeyError at tests/unit/flet_guard/" in caplog.text
    assert SECRET not in caplog.text
    assert "Traceback" not in caplog.text
