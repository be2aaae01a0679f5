"""Settling outbox entries with the server's answers, and rebasing later edits onto our own."""

from __future__ import annotations

import contextlib
import dataclasses
import sqlite3
from collections.abc import Callable

from app.store import rows
from app.store.crypto import Sealer
from app.store.errors import RecordDamagedError
from app.store.models import OutboxEntry, RecordChange, Settlement

_DAMAGE = (RecordDamagedError, KeyError, TypeError, ValueError)


def settle_all(
    conn: sqlite3.Connection,
    sealer: Sealer,
    answers: list[Settlement],
    upsert: Callable[[RecordChange], int | None],
) -> None:
    """Apply each answer and drop its entry; the caller owns the transaction (all or nothing)."""
    waiting: dict[str, OutboxEntry] | None = None
    for answer in answers:
        if answer.change is not None:
            previous = upsert(answer.change)
            if answer.rejected is None:
                waiting = waiting if waiting is not None else _outbox_by_id(conn, sealer)
                _rebase(conn, sealer, waiting, answer, previous)
        if answer.rejected is not None:
            rows.put_rejected(conn, sealer, answer.rejected)
        conn.execute("DELETE FROM outbox WHERE id = ?", (answer.entry_id,))
        if waiting is not None:
            waiting.pop(answer.entry_id, None)


def _outbox_by_id(conn: sqlite3.Connection, sealer: Sealer) -> dict[str, OutboxEntry]:
    found = {}
    for row in conn.execute("SELECT seq, id, kid, sealed FROM outbox").fetchall():
        with contextlib.suppress(*_DAMAGE):
            found[row[1]] = rows.open_outbox(sealer, row)
    return found


def _rebase(
    conn: sqlite3.Connection,
    sealer: Sealer,
    waiting: dict[str, OutboxEntry],
    answer: Settlement,
    previous: int | None,
) -> None:
    # Our own applied edit is not "someone else's change": later edits of the same record
    # made against the same base move onto the version our edit produced.
    change = answer.change
    assert change is not None
    for entry in list(waiting.values()):
        same = (entry.target_type, entry.target_id) == (change.type, change.id)
        if entry.id != answer.entry_id and same and entry.base_version == previous:
            moved = dataclasses.replace(entry, base_version=change.version)
            rows.put_outbox(conn, sealer, moved, replace=True)
            waiting[entry.id] = moved
