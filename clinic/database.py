"""The database: engine per URL, migrations at start, and serialized write transactions."""

from __future__ import annotations

import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, create_engine, event, insert, select, text, update
from sqlalchemy.pool import QueuePool

from clinic import tables

MIGRATIONS = Path(__file__).with_name("migrations")
MIGRATION_LOCK_KEY = 0x57617970  # "Wayp": any constant; only this application takes it


def sqlite_url(path: Path | str) -> str:
    return f"sqlite:///{Path(path).resolve()}"


class Database:
    """One engine; `write()` serializes writers so sync versions appear in commit order."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        # SQLite: threads of this process queue on a fair lock rather than SQLite's busy-wait sleeps.
        self._local_writer = threading.Lock()
        if self.is_sqlite:
            # Pooled: a new connection costs ~1 ms of PRAGMAs (see _configure_sqlite), which every
            # request and every open stream's poll paid before (bench/capacity.py). Never a wait for
            # a free one: past pool_size, extra connections are opened and closed as needed.
            self.engine: Engine = create_engine(
                url,
                connect_args={"check_same_thread": False, "timeout": 30},
                poolclass=QueuePool,
                pool_size=20,
                max_overflow=-1,
                hide_parameters=True,  # error messages must never carry PHI into logs
            )
            _configure_sqlite(self.engine)
        else:
            self.engine = create_engine(
                url, pool_size=10, max_overflow=20, pool_pre_ping=True, hide_parameters=True
            )

    def migrate(self) -> None:
        """Bring the schema to the newest Alembic revision and make sure the counter exists."""
        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        with self.engine.begin() as conn:
            self._lock_for_migration(conn)
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
        with self.engine.begin() as conn:
            self._lock_for_migration(conn)
            if conn.execute(select(tables.counter.c.value)).first() is None:
                conn.execute(insert(tables.counter).values(id=1, value=0))
                conn.execute(insert(tables.meta).values(key="epoch", value=secrets.token_hex(4)))
                conn.execute(insert(tables.meta).values(key="purged_through", value="0"))

    def _lock_for_migration(self, conn: Connection) -> None:
        """PostgreSQL: server processes starting together migrate one after the other.

        Without it two processes create the same tables at once and one fails. The lock is
        transaction-scoped (released at commit); DDL is transactional on PostgreSQL, so the
        second process then finds the schema at head and the counter row present.
        """
        if not self.is_sqlite:
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A read-only snapshot (SQLite: a deferred transaction; PostgreSQL: REPEATABLE READ)."""
        with self.engine.connect() as conn:
            if not self.is_sqlite:
                conn.execution_options(isolation_level="REPEATABLE READ")
            yield conn
            conn.rollback()

    @contextmanager
    def write(self) -> Iterator[Writer]:
        """A write transaction holding the counter: one writer at a time, versions in commit order."""
        with self._local_lock(), self.engine.connect() as conn:
            if self.is_sqlite:
                conn.execution_options(sqlite_begin="IMMEDIATE")
                conn.begin()
                value = conn.execute(select(tables.counter.c.value)).scalar_one()
            else:
                # PostgreSQL runs writers concurrently, so versions could commit out of order: T1
                # takes version 7, T2 takes 8 and commits first, a sync reads 8 and moves its
                # cursor past 7, and 7 is never sent. Locking the counter row (FOR UPDATE) as the
                # first statement queues writers: T2 waits until T1 has committed (and become
                # visible) before it reads the counter, so commit order is version order, and
                # every snapshot that shows version N shows all versions below N. READ COMMITTED
                # (not the REPEATABLE READ of read()) because each later statement must see what
                # the previous lock holder committed: the idempotency check (first answer to a
                # client id) then runs after any concurrent retry of the same id has committed,
                # across server processes too. The mutations primary key backs it up.
                conn.execution_options(isolation_level="READ COMMITTED")
                conn.begin()
                value = conn.execute(select(tables.counter.c.value).with_for_update()).scalar_one()
            writer = Writer(conn, value)
            try:
                yield writer
                if writer.version != value:
                    conn.execute(update(tables.counter).values(value=writer.version))
                conn.commit()
            except BaseException:
                conn.rollback()
                raise

    @contextmanager
    def _local_lock(self) -> Iterator[None]:
        if not self.is_sqlite:
            yield
            return
        with self._local_writer:
            yield

    def ping(self) -> None:
        with self.read() as conn:
            conn.execute(select(tables.counter.c.value)).first()

    def dispose(self) -> None:
        self.engine.dispose()


class Writer:
    """A connection inside a write transaction, handing out the next sync versions."""

    def __init__(self, conn: Connection, version: int) -> None:
        self.conn = conn
        self.version = version

    def next_version(self) -> int:
        self.version += 1
        return self.version

    def execute(self, stmt: Any) -> Any:
        return self.conn.execute(stmt)

    def notify(self, channel: str) -> None:
        """PostgreSQL: NOTIFY other server processes once this transaction commits."""
        if self.conn.dialect.name == "postgresql":
            self.conn.exec_driver_sql(f"NOTIFY {channel}")


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy not emit BEGIN itself: write() issues BEGIN IMMEDIATE explicitly.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # Reads begin a deferred transaction; write() asks for BEGIN IMMEDIATE so writers queue up.
        mode = conn.get_execution_options().get("sqlite_begin", "")
        conn.exec_driver_sql(f"BEGIN {mode}".strip())
