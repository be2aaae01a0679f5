"""Key rotation: re-seal every stored value under a new data key inside one transaction."""

from __future__ import annotations

import sqlite3

from app.store import rows
from app.store.crypto import Sealer, associated_data
from app.store.errors import RecordDamagedError

# table → the columns that locate a row and feed its associated data
_KEYS = {
    "records": ("type, id, version", "type = ? AND id = ?"),
    "outbox": ("seq, id", "id = ?"),
    "rejected": ("seq, id", "id = ?"),
    "meta": ("name", "name = ?"),
}


def _ad(table: str, row: tuple[object, ...]) -> bytes:
    if table == "records":
        return rows.record_ad(str(row[0]), str(row[1]), int(str(row[2])))
    if table == "meta":
        return associated_data("meta", row[0])
    return associated_data(table, row[1])


def _locator(table: str, row: tuple[object, ...]) -> tuple[object, ...]:
    if table == "records":
        return (row[0], row[1])
    if table == "meta":
        return (row[0],)
    return (row[1],)


def reseal_all(conn: sqlite3.Connection, old: Sealer, new: Sealer) -> None:
    """Open each value with `old` and seal it with `new`; the caller owns the transaction."""
    for table, (columns, where) in _KEYS.items():
        for row in conn.execute(f"SELECT {columns}, kid, sealed FROM {table}").fetchall():  # noqa: S608
            ad = _ad(table, row)
            try:
                plain = old.open(row[-2], ad, row[-1])
            except RecordDamagedError:
                continue  # left for the read path to drop and re-pull
            kid, blob = new.seal(ad, plain)
            conn.execute(
                f"UPDATE {table} SET kid = ?, sealed = ? WHERE {where}",  # noqa: S608 - fixed names
                (kid, blob, *_locator(table, row)),
            )
