"""SQLite connections are pooled: a request does not open (and set up) a new database connection.

Every new SQLite connection runs four PRAGMAs (WAL, synchronous, foreign keys, busy timeout),
about 1 ms of CPU. Unpooled, a no-change sync paid it three times (authentication, the reveal
check, the read) and every open live stream twice a second (its credential re-check and its
position poll): the capacity bench (bench/capacity.py) measured 8 ms of server CPU per no-change
sync. Pooled, the same connections are used again, with their PRAGMAs still set.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import event

from tests.clinic.helpers import demo_services
from tests.support.clinic_server import DEMO_PATIENT


def test_repeated_syncs_and_stream_polls_reuse_their_sqlite_connections(tmp_path: Path) -> None:
    svc = demo_services(tmp_path / "clinic.sqlite3")
    try:
        token = svc.auth.sign_in(DEMO_PATIENT[0], DEMO_PATIENT[1], "phone", "127.0.0.1").access_token
        who = svc.auth.authenticate(token)
        first = svc.sync.pull(who, None, 500)
        opened: list[Any] = []
        event.listen(svc.db.engine, "connect", lambda conn, record: opened.append(conn))

        for _ in range(20):  # what a no-change sync and an idle stream's second do
            caller = svc.auth.authenticate(token)
            assert svc.sync.pull(caller, first.cursor, 200).changes == []
            svc.live.position(caller, 0)

        assert len(opened) <= 1
        with svc.db.read() as conn:  # and a pooled connection keeps its settings
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar_one() == 1
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar_one() == "wal"
    finally:
        svc.db.dispose()
