"""A session's own write to local data, made by a tap whose handler draws the result itself.

Every change to local data (an outbox write, a sync, a live event) tells each open session, which
re-reads what it shows: the first change after a quiet spell at once, so a live update is drawn
without delay (app/ui/root.py). A tap that writes — "Send check-in" — already draws its own result in
the reply to the tap; re-reading the whole tree at once would only compete with it for the CPU and
the browser. Such a tap writes inside `drawn_by_tap(app)`, and the session that made the write
re-reads a moment later instead (any other session, and any change from elsewhere, as before).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

# How long the writing session waits before re-reading after its own write: long enough for the
# browser to draw the tap's reply first (~0.1 s on a loaded phone-size client), short enough that
# the status line ("1 change waiting") follows at once to the eye. Other changes in the meantime
# are re-read with it.
OWN_WRITE_WAIT = 0.25

_WRITER: ContextVar[tuple[object, asyncio.Task[object] | None] | None] = ContextVar("own_write", default=None)


@contextmanager
def drawn_by_tap(session: object) -> Iterator[None]:
    """Writes made in this block by the current task are `session`'s own, drawn by the tap."""
    token = _WRITER.set((session, asyncio.current_task()))
    try:
        yield
    finally:
        _WRITER.reset(token)


def drawn_by(session: object) -> bool:
    """The change being reported now is `session`'s own write, from inside `drawn_by_tap`.

    Tied to the task too: a task started inside the block inherits the context, but what it changes
    later is not the tap's write."""
    writer = _WRITER.get()
    return writer is not None and writer[0] is session and writer[1] is asyncio.current_task()
