"""Erasing what an ended family share disclosed: delete the rows, then rewrite the file so no page keeps them.

`PRAGMA secure_delete` (set on open) zeroes deleted rows in the database pages, but in WAL mode the
write-ahead log still holds earlier copies of those pages until a checkpoint; and free pages keep
their old bytes until reused. VACUUM rebuilds the file from live rows only, and a TRUNCATE
checkpoint moves everything into the main file and cuts the WAL to zero bytes.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from app.store.database import transaction

CURSOR = "cursor"
SHARED_TYPES = ("shared_patient", "schedule_item")


def delete_shared(conn: sqlite3.Connection, share_ids: Sequence[str] | None) -> int:
    """Delete the shared_patient records and the schedule items of these shares; returns rows deleted.

    `None` deletes every shared record (the clinic said no share is live any more) and forgets the
    cursor, so a share accepted later starts from a full snapshot.
    """
    deleted = 0
    with transaction(conn):
        if share_ids is None:
            cur = conn.execute("DELETE FROM records WHERE type IN (?, ?)", SHARED_TYPES)
            deleted += cur.rowcount
            conn.execute("DELETE FROM meta WHERE name = ?", (CURSOR,))
        else:
            for share_id in share_ids:
                by_id = "DELETE FROM records WHERE type = 'shared_patient' AND id = ?"
                by_ref = "DELETE FROM records WHERE type = 'schedule_item' AND ref = ?"
                deleted += conn.execute(by_id, (share_id,)).rowcount
                deleted += conn.execute(by_ref, (share_id,)).rowcount
    return deleted


def compact(conn: sqlite3.Connection) -> None:
    """Rebuild the file from live rows and empty the WAL (VACUUM cannot run inside a transaction)."""
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("VACUUM")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
