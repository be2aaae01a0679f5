"""A throwaway real PostgreSQL (Debian's binaries): initdb in a temp dir, free loopback port, trust auth.

Fixtures (registered from tests/conftest.py):

    postgres_server   session scope: the running server (`.create_database()`, `.drop_database(url)`)
    postgres_url      function scope: a fresh empty database, dropped afterwards
                      ("postgresql+psycopg://postgres@127.0.0.1:PORT/wp_…")

PostgreSQL refuses to run as root, so when the tests run as root (CI) the server runs as the
`postgres` system user that the Debian package creates, in a temp dir chowned to it. The
cluster the Debian package may run on 5432 is never touched: ours has its own data dir, port and
socket dir. Durability is switched off (fsync, synchronous_commit) — it is thrown away anyway.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import sql
from sqlalchemy.engine import make_url

from tests.support.clinic_server import free_port

PG_ROOT = Path("/usr/lib/postgresql")


def binary(name: str) -> str:
    """`name` from the newest installed Debian PostgreSQL, else from PATH."""
    for directory in sorted(PG_ROOT.glob("*/bin"), key=lambda p: int(p.parent.name), reverse=True):
        if (directory / name).exists():
            return str(directory / name)
    found = shutil.which(name)
    if found is None:
        raise FileNotFoundError(f"{name} not found: install Debian's postgresql package (scripts/setup)")
    return found


def _as_postgres_user() -> list[str]:
    """The command prefix that drops root to the `postgres` user (empty when not root)."""
    if os.geteuid() != 0:
        return []
    if shutil.which("runuser"):
        return ["runuser", "-u", "postgres", "--"]
    return ["setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", "--"]


class PostgresServer:
    """initdb + pg_ctl start on 127.0.0.1:<free port>; `stop()` shuts it down and deletes everything."""

    def __init__(self) -> None:
        # Under root the temp dir must be reachable by `postgres`: /tmp itself, not a private TMPDIR.
        parent = "/tmp" if os.geteuid() == 0 else None
        self.root = Path(tempfile.mkdtemp(prefix="wp-pg-", dir=parent))
        self.data = self.root / "data"
        self.port = 0
        self.pg_ctl = binary("pg_ctl")
        self._watchdog: subprocess.Popen[bytes] | None = None
        self._prefix = _as_postgres_user()
        if self._prefix:
            user = pwd.getpwnam("postgres")
            os.chown(self.root, user.pw_uid, user.pw_gid)

    def _run(self, *cmd: str, timeout: float = 120) -> None:
        result = subprocess.run(
            [*self._prefix, *cmd], capture_output=True, text=True, timeout=timeout, cwd=self.root
        )
        if result.returncode != 0:
            raise RuntimeError(f"{Path(cmd[0]).name} failed ({result.returncode}): {result.stderr[-2000:]}")

    def start(self) -> PostgresServer:
        initdb = [binary("initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8"]
        self._run(*initdb, "--no-sync", "--no-instructions", "--locale=C")
        for attempt in range(3):  # the free port can be taken between probing and binding it
            self.port = free_port()
            options = (
                f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
                " -c synchronous_commit=off -c full_page_writes=off -c max_connections=300"
                " -c shared_buffers=64MB -c log_min_messages=warning"
            )
            log = str(self.root / "postgres.log")
            try:
                self._run(
                    self.pg_ctl, "-D", str(self.data), "-o", options, "-l", log, "-w", "-t", "60", "start"
                )
                break
            except RuntimeError:
                if attempt == 2:
                    raise
        self._watchdog = self._start_watchdog()
        return self

    def _start_watchdog(self) -> subprocess.Popen[bytes]:
        """A sidecar that stops the server and deletes its files if this process dies without stop().

        (`timeout`, a second Ctrl-C or SIGKILL skip pytest's teardown; the server must not outlive it.)
        """
        script = (
            'pid=$1 dir=$2; shift 2; while kill -0 "$pid" 2>/dev/null; do sleep 1; done; "$@"; rm -rf "$dir"'
        )
        stop = [*self._prefix, self.pg_ctl, "-D", str(self.data), "-m", "immediate", "-w", "stop"]
        return subprocess.Popen(
            ["sh", "-c", script, "pg-watchdog", str(os.getpid()), str(self.root), *stop],
            start_new_session=True,  # outside the test run's process group, so it outlives a kill of it
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def admin_url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def _admin(self, statement: sql.Composed) -> None:
        with psycopg.connect(
            host="127.0.0.1", port=self.port, user="postgres", dbname="postgres", autocommit=True
        ) as conn:
            conn.execute(statement)

    def create_database(self) -> str:
        """A fresh empty database; returns its SQLAlchemy URL."""
        name = "wp_" + uuid.uuid4().hex[:12]
        self._admin(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return self.admin_url(name)

    def drop_database(self, url: str) -> None:
        """Drop a database made by create_database(), disconnecting whoever still uses it."""
        name = make_url(url).database
        assert name is not None
        assert name.startswith("wp_")
        self._admin(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))

    def stop(self) -> None:
        try:
            if (self.data / "postmaster.pid").exists():
                self._run(self.pg_ctl, "-D", str(self.data), "-m", "immediate", "-w", "stop", timeout=60)
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
            if self._watchdog is not None:
                self._watchdog.kill()
                self._watchdog.wait(10)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """One throwaway PostgreSQL for the whole test session (started on first use)."""
    server = PostgresServer()
    try:
        yield server.start()
    finally:
        server.stop()


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> Iterator[str]:
    """A fresh empty database on the session's PostgreSQL, dropped after the test."""
    url = postgres_server.create_database()
    try:
        yield url
    finally:
        postgres_server.drop_database(url)
