"""Open streams on a busy server (SQLite and PostgreSQL): a lapsed credential still ends its stream
within the bound while every worker of the process's default thread pool waits behind a held
write lock — the way `test_stream_closes_when_its_token_is_logged_out[postgres]` once failed in CI
(each stream's re-check used to queue in that pool behind slow work)."""

from __future__ import annotations

import sqlite3
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import httpx
import psycopg
from sqlalchemy import event
from sqlalchemy.engine import make_url

from clinic.services.watch import Subscription
from tests.clinic.conftest import ServerFactory
from tests.clinic.device_keys import StreamReader
from tests.clinic.helpers import auth, demo_services, raise_alert
from tests.clinic.test_live_stream import LiveReader
from tests.clinic.test_sharing import share, signup
from tests.support.clinic_server import DEMO_PATIENT, DEMO_STAFF, ClinicServer

BUSY_WRITERS = 36  # more than the default pool can have workers (min(32, cores + 4))


@contextmanager
def write_lock_held(server: ClinicServer) -> Iterator[None]:
    """Hold the database's write lock from outside the server: its writers wait until we let go."""
    if server.database_url is None:
        conn = sqlite3.connect(server.db_path, timeout=30, isolation_level=None)
        try:
            conn.execute("BEGIN IMMEDIATE")
            yield
            conn.execute("ROLLBACK")
        finally:
            conn.close()
        return
    url = make_url(server.database_url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(url) as pg:
        pg.execute("SELECT value FROM counter FOR UPDATE")  # every writer locks this row first
        yield
        pg.rollback()


def test_an_expired_token_ends_its_stream_while_the_thread_pool_waits_on_writers(
    new_server: ServerFactory, tmp_path: Path
) -> None:
    with new_server(tmp_path, extra_args=["--access-ttl-seconds", "8"]) as server:
        patient = server.patient_token()
        session = server.sign_in(*DEMO_STAFF, device_name="console-busy")
        expires_at = time.monotonic() + session["expires_in"]
        stream = StreamReader(server.url, session["access_token"]).start()
        try:
            assert stream.status == 200
            with ThreadPoolExecutor(BUSY_WRITERS) as senders:
                with write_lock_held(server):
                    # Each alert's write runs on the server's default thread pool and waits there.
                    pending = [
                        senders.submit(raise_alert, server, patient, str(uuid.uuid4()))
                        for _ in range(BUSY_WRITERS)
                    ]
                    ended = stream.wait_end(max(0.0, expires_at - time.monotonic()) + 6)
                # the lock is gone: the alerts go through
                statuses = [f.result().status_code for f in pending]
            assert ended, "the stream outlived its credential while the server's thread pool was busy"
            assert stream.ended_at is not None
            assert stream.ended_at - expires_at < 5.0
            assert stream.events[-1]["event"] == "auth_lapsed"
            assert stream.events[-1]["data"]["code"] == "auth.token_expired"
            # Held up, not lost: each went through, or was refused once its patient's token too had
            # expired by the time the busy pool got to authenticating it.
            assert set(statuses) <= {201, 401}
            assert 201 in statuses
        finally:
            stream.close()


def test_idle_streams_cost_the_watcher_the_same_reads_however_many_are_open(tmp_path: Path) -> None:
    """One watcher per process: a quiet tick reads the same few statements for 1 or 40 open
    streams (their credentials in one query, "what changed" once), none per stream."""
    svc = demo_services(tmp_path / "clinic.sqlite3")
    statements: list[str] = []
    event.listen(svc.db.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))

    def stream(token: str) -> Subscription:
        who = svc.auth.authenticate(token)

        def read() -> tuple[list[str], bool]:
            return [str(svc.live.position(who, 0))], False

        return Subscription(token, lambda moved: True, read)

    def quiet_tick(streams: int) -> list[str]:
        subs = [
            stream(svc.auth.sign_in(*DEMO_PATIENT, f"phone {i}", "127.0.0.1").access_token)
            for i in range(streams)
        ]
        first = svc.watch._tick(subs)  # each new stream reads once
        assert [sub for sub, _, _ in first] == subs
        statements.clear()
        assert svc.watch._tick(subs) == []  # nothing changed, nothing lapsed: nothing to send
        return list(statements)

    try:
        one, many = quiet_tick(1), quiet_tick(40)
        assert len(many) == len(one) <= 5
    finally:
        svc.db.dispose()


def test_a_family_stream_hears_at_once_that_its_share_expired(demo: ClinicServer) -> None:
    """Expiry is a moment, not a write: the watcher marks the share expired and tells the stream."""
    patient = demo.patient_token()
    asked = time.monotonic()
    created = share(demo, patient, expires_in=timedelta(seconds=6))
    joined = signup(demo, created["invitation_code"], f"pat-{uuid.uuid4().hex[:8]}")
    assert joined.status_code == 201, joined.text
    family = joined.json()["access_token"]
    stream = LiveReader(demo, family)
    stream.start()
    try:
        assert stream.status == 200
        stream.wait_changes(1, 5)
        stream.wait_changes(2, 15)
        assert stream.times[-1] - (asked + 6) < 3.0
        pulled = httpx.get(f"{demo.url}/v1/sync", headers=auth(family), timeout=10)
        assert (pulled.status_code, pulled.json()["code"]) == (403, "share.expired")
    finally:
        stream.close()
