"""A no-change sync — most of an open app's syncs — is answered from one short read.

The capacity bench (docs/PERFORMANCE.md, "Clinic capacity") measured a no-change sync at 20-60×
a bare endpoint's server CPU; its own database work was two read transactions (the reveal check,
then the full read: metadata, the page, the clinic's timezone). Now one transaction of index
lookups answers it when nothing in the caller's scope is newer than its cursor.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import event

from tests.clinic.helpers import demo_services
from tests.support.clinic_server import DEMO_PATIENT


def test_a_no_change_sync_is_one_read_and_answers_what_the_full_read_would(tmp_path: Path) -> None:
    svc = demo_services(tmp_path / "clinic.sqlite3")
    try:
        who = svc.auth.authenticate(svc.auth.sign_in(*DEMO_PATIENT, "phone", "127.0.0.1").access_token)
        page = svc.sync.pull(who, None, 500)
        while page.has_more:
            page = svc.sync.pull(who, page.cursor, 500)
        statements: list[str] = []
        event.listen(svc.db.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))

        again = svc.sync.pull(who, page.cursor, 200)

        assert again.model_dump() == {"changes": [], "cursor": page.cursor, "has_more": False, "reset": False}
        assert [s for s in statements if s.startswith("BEGIN")] == ["BEGIN"]
        assert len(statements) <= 5
    finally:
        svc.db.dispose()
