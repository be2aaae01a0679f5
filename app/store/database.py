"""The SQLite file under the store: schema, one connection, one worker thread."""

from __future__ import annotations

import asyncio
import os
import sqlite3
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from app.store.errors import StoreClosedError

T = TypeVar("T")

STORE_FILE = "store.db"
SIDE_SUFFIXES = ("", "-wal", "-shm", "-journal")

SCHEMA = """
CREATE TABLE IF NOT EXISTS records (
    type TEXT NOT NULL, id TEXT NOT NULL, version INTEGER NOT NULL,
    day TEXT, ref TEXT, kid TEXT NOT NULL, sealed BLOB NOT NULL,
    PRIMARY KEY (type, id)
);
CREATE INDEX IF NOT EXISTS records_by_day ON records (type, day);
CREATE TABLE IF NOT EXISTS outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE,
    kid TEXT NOT NULL, sealed BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS rejected (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE,
    kid TEXT NOT NULL, sealed BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, kid TEXT NOT NULL, sealed BLOB NOT NULL);
"""


DIR_MODE = 0o700
FILE_MODE = 0o600


def private_dir(path: Path) -> None:
    """Make (or fix) the data dir so only the user can list or enter it, whatever the umask."""
    path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    os.chmod(path, DIR_MODE)  # mkdir's mode is filtered by the umask; an old dir may be 0755


def private_file(path: Path) -> None:
    """Create the database file 0600 (SQLite gives -wal/-shm the same mode), or fix an old one."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, FILE_MODE)
    try:
        os.fchmod(fd, FILE_MODE)
    finally:
        os.close(fd)
    for side in store_files(path)[1:]:
        if side.exists():
            os.chmod(side, FILE_MODE)


def store_files(path: Path) -> list[Path]:
    """The database file and the side files SQLite may create beside it."""
    return [path.with_name(path.name + suffix) for suffix in SIDE_SUFFIXES]


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One all-or-nothing transaction: committed when the block ends, rolled back if it raises.

    The connection is in autocommit mode (isolation_level=None), where `with conn:` opens no transaction:
    each statement committed on its own, so a failure halfway through a pulled page, a batch of answers
    or a re-seal left half of it written.
    """
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


class Database:
    """One sqlite3 connection used only from one worker thread, so no call blocks the loop."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="store")
        self._conn: sqlite3.Connection | None = None
        self._closed = False

    async def open(self) -> None:
        await self.run(self._connect)

    def _connect(self) -> None:
        private_dir(self.path.parent)
        private_file(self.path)
        conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            # FULL: a commit is on disk before the UI is told "queued".
            conn.execute("PRAGMA synchronous=FULL")
            conn.execute("PRAGMA secure_delete=ON")
            conn.executescript(SCHEMA)
        except sqlite3.DatabaseError:
            conn.close()
            raise
        self._conn = conn

    @property
    def conn(self) -> sqlite3.Connection:
        if self._conn is None:
            raise StoreClosedError("store is closed")
        return self._conn

    async def run(self, fn: Callable[..., T], *args: object) -> T:
        if self._closed:
            raise StoreClosedError("store is closed")
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, fn, *args)

    async def close(self) -> None:
        if self._closed:
            return
        if self._conn is not None:
            await self.run(self._close_conn)
        self._closed = True
        await asyncio.to_thread(self._executor.shutdown, wait=True)

    def _close_conn(self) -> None:
        if self._conn is not None:
            self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self._conn.close()
            self._conn = None
