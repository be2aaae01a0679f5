"""EncryptedStore: server records, the durable outbox, rejections, cursor and settings, sealed at rest."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Sequence
from pathlib import Path

from app.store import erase, rows
from app.store.crypto import KEY_SECRET_NAME, KeyRing, Sealer, SecretHolder, load_keyring
from app.store.database import STORE_FILE, Database, store_files, transaction
from app.store.models import (
    OutboxEntry,
    RecordChange,
    RejectedEntry,
    Settlement,
    StoredRecord,
    StoreProblems,
)
from app.store.rotation import reseal_all
from app.store.settle import settle_all

log = logging.getLogger(__name__)

CURSOR = "cursor"
CANARY = "canary"
_DAMAGE = rows.DAMAGE


class EncryptedStore:
    """One SQLite file whose payloads are AES-256-GCM sealed; the data key lives in the keychain."""

    def __init__(self, db: Database, sealer: Sealer, holder: SecretHolder) -> None:
        self._db = db
        self._sealer = sealer
        self._holder = holder
        self.problems = StoreProblems()

    @property
    def path(self) -> Path:
        return self._db.path

    @classmethod
    async def open(cls, data_dir: Path, holder: SecretHolder) -> EncryptedStore:
        """Open (or create) the store in `data_dir`; an unreadable file is replaced, never trusted."""
        path = data_dir / STORE_FILE
        problems: list[str] = []
        ring = await load_keyring(holder, create=False)
        if ring is None:
            if path.exists():
                problems.append("store.reset")  # the key is gone: the old file can never be read
                remove_files(path)
            ring = await load_keyring(holder, create=True)
            assert ring is not None
        db = Database(path)
        try:
            await db.open()
        except sqlite3.DatabaseError:
            await db.close()
            problems.append("store.reset")
            remove_files(path)
            db = Database(path)
            await db.open()
        store = cls(db, Sealer(ring), holder)
        if not await db.run(store._check_canary):
            problems.append("store.reset")
        for code in problems:
            store.problems.add(code)
            log.warning("store: %s", code)
        return store

    def _check_canary(self) -> bool:
        conn = self._db.conn
        row = conn.execute("SELECT kid, sealed FROM meta WHERE name = ?", (CANARY,)).fetchone()
        if row is not None:
            try:
                rows.open_meta(self._sealer, CANARY, row[0], row[1])
                return True
            except _DAMAGE:
                pass
            with transaction(conn):  # written under another key: nothing in it is readable
                for table in ("records", "outbox", "rejected", "meta"):
                    conn.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names
        with transaction(conn):
            rows.put_meta(conn, self._sealer, CANARY, "ok")
        return row is None

    async def close(self) -> None:
        await self._db.close()

    async def wipe(self) -> None:
        """Close, delete the file and its side files, and delete the data key."""
        await self.close()
        remove_files(self.path)
        await self._holder.delete(KEY_SECRET_NAME)

    @staticmethod
    def exists(data_dir: Path) -> bool:
        """Whether `data_dir` holds a store (opening one creates it)."""
        return (data_dir / STORE_FILE).exists()

    @staticmethod
    async def destroy(data_dir: Path, holder: SecretHolder) -> None:
        """Delete the store in `data_dir` and its data key, whether it was ever opened here or not."""
        remove_files(data_dir / STORE_FILE)
        await holder.delete(KEY_SECRET_NAME)

    # -- records ---------------------------------------------------------------------------

    async def get(self, type_: str, id_: str) -> StoredRecord | None:
        found = await self._read(type_, "AND id = ?", (id_,))
        return found[0] if found else None

    async def records(
        self, type_: str, *, day_from: str | None = None, day_to: str | None = None, ref: str | None = None
    ) -> list[StoredRecord]:
        clauses: list[str] = []
        params: list[str] = []
        if day_from is not None:
            clauses.append("day >= ?")
            params.append(day_from)
        if day_to is not None:
            clauses.append("day <= ?")
            params.append(day_to)
        if ref is not None:
            clauses.append("ref = ?")
            params.append(ref)
        return await self._read(
            type_, "".join(f"AND {c} " for c in clauses) + "ORDER BY day, id", tuple(params)
        )

    async def _read(self, type_: str, where: str, params: tuple[str, ...]) -> list[StoredRecord]:
        return await self._db.run(self._read_sync, type_, where, params)

    def _read_sync(self, type_: str, where: str, params: tuple[str, ...]) -> list[StoredRecord]:
        """Records of `type_` matching `where` (fixed clauses after "WHERE type = ?"); damaged ones go."""
        conn = self._db.conn
        sql = "SELECT id, version, kid, sealed FROM records WHERE type = ? " + where  # noqa: S608 - fixed clauses
        found, damaged = rows.open_records(
            self._sealer, type_, conn.execute(sql, (type_, *params)).fetchall()
        )
        if damaged:
            with transaction(conn):
                conn.executemany(
                    "DELETE FROM records WHERE type = ? AND id = ?", [(type_, i) for i in damaged]
                )
                conn.execute("DELETE FROM meta WHERE name = ?", (CURSOR,))  # pull everything again
            self.problems.add("store.record_repaired")
            log.warning("store: dropped %d damaged record(s); they will be pulled again", len(damaged))
        return found

    async def cursor(self) -> str | None:
        value = await self.get_value(CURSOR)
        return value if isinstance(value, str) else None

    async def apply_page(self, changes: Sequence[RecordChange], *, cursor: str, reset: bool) -> None:
        """Apply one pulled page and its cursor atomically; `reset` first drops every record."""
        await self._db.run(self._apply_page_sync, list(changes), cursor, reset)

    def _apply_page_sync(self, changes: list[RecordChange], cursor: str, reset: bool) -> None:
        conn = self._db.conn
        with transaction(conn):
            if reset:
                conn.execute("DELETE FROM records")
            for change in changes:
                self._upsert(conn, change)
            rows.put_meta(conn, self._sealer, CURSOR, cursor)

    def _upsert(self, conn: sqlite3.Connection, change: RecordChange) -> int | None:
        """Write a change unless a newer version is already here; returns the previous version."""
        row = conn.execute(
            "SELECT version FROM records WHERE type = ? AND id = ?", (change.type, change.id)
        ).fetchone()
        previous = None if row is None else int(row[0])
        if previous is None or previous <= change.version:
            rows.put_record(conn, self._sealer, change)
        return previous

    async def apply(self, change: RecordChange) -> None:
        """Apply one change outside a pull (an answer to a direct call such as creating a share)."""
        await self._db.run(self._apply_one_sync, change)

    def _apply_one_sync(self, change: RecordChange) -> None:
        with transaction(self._db.conn) as conn:
            self._upsert(conn, change)

    async def erase_shared(self, share_ids: Sequence[str] | None) -> None:
        """Family device: delete what these shares disclosed (None: every share), so no byte remains.

        Rows go (secure_delete zeroes them), the rest is re-sealed under a fresh key, then VACUUM and
        a truncating checkpoint rewrite the file and empty the WAL that still held the old pages.
        """
        await self._db.run(erase.delete_shared, self._db.conn, share_ids)
        await self.rotate_key()
        await self._db.run(erase.compact, self._db.conn)

    # -- outbox ----------------------------------------------------------------------------

    async def enqueue(self, entry: OutboxEntry) -> None:
        """Commit a mutation to disk; when this returns the change survives a crash."""
        await self._db.run(self._enqueue_sync, entry)

    def _enqueue_sync(self, entry: OutboxEntry) -> None:
        with transaction(self._db.conn) as conn:
            rows.put_outbox(conn, self._sealer, entry, replace=False)

    async def outbox(self) -> list[OutboxEntry]:
        """Pending mutations: support alerts first, then in the order they were made."""
        entries = await self._db.run(self._outbox_sync)
        return sorted(entries, key=lambda e: (not e.is_alert, e.seq))

    def _outbox_sync(self) -> list[OutboxEntry]:
        conn = self._db.conn
        found, damaged = [], []
        for row in conn.execute("SELECT seq, id, kid, sealed FROM outbox ORDER BY seq").fetchall():
            try:
                found.append(rows.open_outbox(self._sealer, row))
            except _DAMAGE:
                damaged.append((row[1],))
        if damaged:
            with transaction(conn):
                conn.executemany("DELETE FROM outbox WHERE id = ?", damaged)
            self.problems.add("store.outbox_damaged")
            log.warning("store: dropped %d damaged outbox entr(ies)", len(damaged))
        return found

    async def outbox_count(self) -> int:
        return await self._db.run(self._count_sync, "outbox")

    def _count_sync(self, table: str) -> int:
        return int(self._db.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])  # noqa: S608

    async def settle(
        self, entry_id: str, *, change: RecordChange | None = None, rejected: RejectedEntry | None = None
    ) -> None:
        """Record the server's answer to one mutation and drop it from the outbox, atomically."""
        await self.settle_many([Settlement(entry_id, change, rejected)])

    async def settle_many(self, answers: Sequence[Settlement]) -> None:
        """Record a batch of answers in one transaction: each entry leaves only with its answer."""
        await self._db.run(self._settle_sync, list(answers))

    def _settle_sync(self, answers: list[Settlement]) -> None:
        with transaction(self._db.conn) as conn:
            settle_all(conn, self._sealer, answers, lambda change: self._upsert(conn, change))

    async def rejected(self) -> list[RejectedEntry]:
        return await self._db.run(self._rejected_sync)

    def _rejected_sync(self) -> list[RejectedEntry]:
        found = []
        for row in self._db.conn.execute("SELECT seq, id, kid, sealed FROM rejected ORDER BY seq").fetchall():
            try:
                found.append(rows.open_rejected(self._sealer, row))
            except _DAMAGE:
                self.problems.add("store.outbox_damaged")
        return found

    async def dismiss_rejected(self, entry_id: str) -> None:
        await self._db.run(self._exec, "DELETE FROM rejected WHERE id = ?", (entry_id,))

    def _exec(self, sql: str, params: tuple[str, ...]) -> None:
        with transaction(self._db.conn) as conn:
            conn.execute(sql, params)

    # -- settings and other sealed values ----------------------------------------------------

    async def get_value(self, name: str) -> object | None:
        return await self._db.run(self._get_value_sync, name)

    def _get_value_sync(self, name: str) -> object | None:
        conn = self._db.conn
        row = conn.execute("SELECT kid, sealed FROM meta WHERE name = ?", (name,)).fetchone()
        if row is None:
            return None
        try:
            return rows.open_meta(self._sealer, name, row[0], row[1])
        except _DAMAGE:
            with transaction(conn):
                conn.execute("DELETE FROM meta WHERE name IN (?, ?)", (name, CURSOR))
            self.problems.add("store.record_repaired")
            log.warning("store: dropped a damaged setting")
            return None

    async def set_value(self, name: str, value: object) -> None:
        await self._db.run(self._set_value_sync, name, value)

    def _set_value_sync(self, name: str, value: object) -> None:
        with transaction(self._db.conn) as conn:
            rows.put_meta(conn, self._sealer, name, value)

    async def delete_value(self, name: str) -> None:
        await self._db.run(self._exec, "DELETE FROM meta WHERE name = ?", (name,))

    # -- key rotation ----------------------------------------------------------------------

    async def rotate_key(self) -> None:
        """Re-seal everything under a fresh data key; safe against a crash at any step."""
        ring = self._sealer.ring.with_new_key()
        await self._holder.set(KEY_SECRET_NAME, ring.dumps())  # both keys: old rows still open
        await self._db.run(self._reseal_sync, Sealer(ring))
        final = ring.only_current()
        await self._holder.set(KEY_SECRET_NAME, final.dumps())
        self._sealer = Sealer(final)

    def _reseal_sync(self, sealer: Sealer) -> None:
        with transaction(self._db.conn) as conn:
            reseal_all(conn, self._sealer, sealer)
        self._sealer = sealer


def remove_files(path: Path) -> None:
    for file in store_files(path):
        file.unlink(missing_ok=True)


__all__ = ["EncryptedStore", "KeyRing", "remove_files"]
