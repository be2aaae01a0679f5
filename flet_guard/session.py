"""A bug in one event handler, effect or component must not end a session (Flet 1.0.5).

Flet answers an exception in an event handler or an effect with its crash screen. The whole app is
replaced by "Error running app" and the exception's own text, which may hold a patient's data.
The patient's "Get help now" or the staff's alert queue is gone until a reload. An exception while
a component re-renders ends Flet's update loop silently: from then on nothing is drawn in that
session, whatever the user taps, the support button included. Flet also logs each of these with a
traceback whose last line is the exception's text.

`install()` changes three things:
- `Session.error` tells the session's own listener instead (`flet_guard.notice`: the app and the
  console each show a notice in their user's language). A session with no listener (its first
  render failed) gets Flet's crash screen with the message given to `install`, which holds
  nothing of the exception.
- The update loop catches an exception per update and goes on with the rest, so one broken
  component leaves only itself out of date.
- Flet's log records of these keep the exception's type and where in our code it was raised,
  never its text or traceback.

Used by the patient app and the staff console alike (neither may import the other). Like
`flet_guard/transport.py`, it replaces only the exact methods it was written against
(checked by the hash of their source). After a Flet upgrade that changes them, it leaves Flet as it
is and says so in the log.
"""

from __future__ import annotations

import asyncio
import hashlib
import inspect
import logging
import sys
import traceback
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flet.messaging.session import Session
from flet_web.fastapi import flet_app  # type: ignore[import-untyped]

log = logging.getLogger(__name__)

# sha256 of the source of Session.error and Session.__updates_scheduler in flet 1.0.5
KNOWN_ERROR = "2958cd683c4bcb6a37a047a6b9919a900436831239c58a9a15d168594cec9541"
KNOWN_SCHEDULER = "7ec9510b0fd5cc49887f562263f76549b4f75838be3d86e67975d68ba86fc649"
REPO = Path(__file__).resolve().parents[1]  # "our code" is what lives here, outside site-packages

# Flet's loggers that log a failed handler, effect or session with its traceback: the core's, and
# the web server's ("Unhandled error processing page session").
FLET_LOGGERS = (logging.getLogger("flet"), flet_app.logger)

_listeners: weakref.WeakKeyDictionary[Session, Callable[[], bool]] = weakref.WeakKeyDictionary()
_flet_error: Callable[[Session, str], None] = Session.error  # Flet's own, for the crash screen
_crash_message = "This screen could not open. Reload the page."


def listen(session: Session, on_failure: Callable[[], bool]) -> None:
    """`on_failure()` is called, with no argument, after each handler, effect or update of this
    session that raised; True if the session goes on (it told its user), False if it cannot yet
    (then Flet's crash screen). What failed is in the log, never in the call."""
    _listeners[session] = on_failure


def where(exc: BaseException | None) -> str:
    """The exception's type and the last place in our code it passed through: `KeyError at
    app/ui/week.py:120`. Nothing of its text, which may hold a patient's data."""
    if exc is None:
        return "an error"
    ours = [frame for frame in traceback.extract_tb(exc.__traceback__) if _is_ours(frame.filename)]
    frame = ours[-1] if ours else None
    at = f" at {Path(frame.filename).resolve().relative_to(REPO)}:{frame.lineno}" if frame else ""
    return f"{type(exc).__name__}{at}"


def _is_ours(filename: str) -> bool:
    return Path(filename).resolve().is_relative_to(REPO) and "site-packages" not in filename


def error(self: Session, message: str) -> None:
    """Session.error: called by Flet inside its `except` for a failed handler, effect or first
    render. `message` is the exception's text and traceback: it is neither sent nor logged."""
    exc = sys.exc_info()[1]
    on_failure = _listeners.get(self)
    if on_failure is not None and _tell(on_failure):
        log.error("unexpected %s; the session goes on", where(exc))
        return
    log.error("session failed before it could go on (%s): crash screen shown", where(exc))
    _flet_error(self, _crash_message)


def _tell(on_failure: Callable[[], bool]) -> bool:
    try:
        return on_failure()
    except Exception as exc:  # the notice itself failed: the log says so, the session still goes on
        log.error("the failure notice failed too (%s)", where(exc))
        return True


async def updates_scheduler(self: Session) -> None:
    """Session.__updates_scheduler of flet 1.0.5, with each update and effect guarded: an exception
    is logged and reported as one of a handler is, and the loop goes on with the rest."""
    ready: asyncio.Event = self._Session__updates_ready  # type: ignore[attr-defined]
    pending_updates: set[Any] = self._Session__pending_updates  # type: ignore[attr-defined]
    pending_effects: list[tuple[Any, bool]] = self._Session__pending_effects  # type: ignore[attr-defined]
    try:
        while not self._Session__closed:  # type: ignore[attr-defined]
            await ready.wait()
            ready.clear()
            updates = list(pending_updates)
            pending_updates.clear()
            for control in updates:
                try:
                    control.update()
                except Exception:
                    self.error("")  # message unused: error() reads the exception itself
            effects = list(pending_effects)
            pending_effects.clear()
            for hook, is_cleanup in effects:
                try:
                    _run_effect(hook, is_cleanup)
                except Exception:
                    self.error("")
    except asyncio.CancelledError:
        pass


def _run_effect(hook: Any, is_cleanup: bool) -> None:
    """One queued effect, as flet 1.0.5's scheduler runs it."""
    if hook and hook.setup and not is_cleanup:
        hook.cancel()
        if inspect.iscoroutinefunction(hook.setup):
            hook._setup_task = asyncio.create_task(hook.setup())
            return
        result = hook.setup()
        if callable(result):
            hook.cleanup = result
    elif hook and hook.cleanup and is_cleanup:
        hook.cancel()
        if inspect.iscoroutinefunction(hook.cleanup):
            hook._cleanup_task = asyncio.create_task(hook.cleanup())
        else:
            hook.cleanup()


class WithoutExceptionText(logging.Filter):
    """On Flet's own logger: a record carrying an exception keeps its type and where it was raised
    in our code, not its text or traceback ("Unhandled error in 'on_click' handler" and the like)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.exc_info[1] is not None:
            exc = record.exc_info[1]
            record.msg = f"{record.getMessage()} ({where(exc)})"
            record.args = None
            record.exc_info = None
            record.exc_text = None
        return True


def source_hash(method: Any) -> str:
    return hashlib.sha256(inspect.getsource(method).encode("utf-8")).hexdigest()


def install(crash_message: str) -> bool:
    """Replace Session.error and the update loop if they are the ones this was written for, and
    keep exception text out of Flet's log; True once both methods are in place. `crash_message`:
    what Flet's crash screen says when a session fails before it listens (its first render)."""
    global _crash_message
    _crash_message = crash_message
    for flet_log in FLET_LOGGERS:
        if not any(isinstance(f, WithoutExceptionText) for f in flet_log.filters):
            flet_log.addFilter(WithoutExceptionText())
    scheduler = Session._Session__updates_scheduler  # type: ignore[attr-defined]
    if scheduler is not updates_scheduler:
        if source_hash(scheduler) == KNOWN_SCHEDULER:
            Session._Session__updates_scheduler = updates_scheduler  # type: ignore[attr-defined]
        else:
            log.warning("flet session: the update loop is not flet 1.0.5's; left as it is")
    if Session.error is not error:
        if source_hash(Session.error) == KNOWN_ERROR:
            Session.error = error  # type: ignore[method-assign]
        else:
            log.warning("flet session: Session.error is not flet 1.0.5's; left as it is")
    return Session.error is error and Session._Session__updates_scheduler is updates_scheduler  # type: ignore[attr-defined]
