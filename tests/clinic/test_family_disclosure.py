"""A family device learns nothing about what it was not shown, not even that it exists.

Rule: a family member gets a tombstone only for a record it was actually sent (visible to it under
a live share at some point). Hidden items (`family_visible: false`, drug tests, out of scope) and a
patient's items after they stopped sharing never reach it, whatever cursor it presents.
"""

from __future__ import annotations

import base64
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.pool import NullPool

from clinic.database import MIGRATIONS, sqlite_url
from tests.clinic.conftest import ServerFactory
from tests.clinic.helpers import auth, sync_all
from tests.clinic.test_sharing import share, signup
from tests.support.clinic_server import ClinicServer


def _add_item(server: ClinicServer, username: str, *, family_visible: bool, days: int = 4) -> str:
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=days)
    body = {
        "kind": "individual_counselling",
        "title": "Counselling",
        "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(hours=1)).isoformat(),
        "family_visible": family_visible,
    }
    response = httpx.post(
        f"{server.url}/v1/staff/patients/{server.patient_id(username)}/schedule",
        json=body,
        headers=auth(server.staff_token()),
        timeout=10,
    )
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def _patch(server: ClinicServer, item_id: str, body: dict[str, Any]) -> None:
    response = httpx.patch(
        f"{server.url}/v1/staff/schedule/{item_id}", json=body, headers=auth(server.staff_token()), timeout=10
    )
    assert response.status_code == 200, response.text


def _never_shown(server: ClinicServer, username: str) -> set[str]:
    """Ids of the patient's items no family member may see: hidden ones and drug tests."""
    return {
        i["id"]
        for i in server.schedule(server.patient_id(username))
        if not i["family_visible"] or i["kind"] == "drug_test"
    }


def _ids(changes: list[dict[str, Any]]) -> set[str]:
    return {c["id"] for c in changes if c["type"] == "schedule_item"}


def _at_version(cursor: str, version: int) -> str:
    """The same server's cursor, moved back to `version` (as an old or replayed cursor would be)."""
    raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    prefix, epoch, _, _ = raw.split(":", 3)
    return base64.urlsafe_b64encode(f"{prefix}:{epoch}:{version}:".encode()).decode().rstrip("=")


def _family(server: ClinicServer, username: str, *patients: str) -> tuple[str, list[str]]:
    """A family member who accepted a `details` share from each of `patients` (by patient token).

    (their token, the share ids in the same order)
    """
    first, *rest = patients
    created = share(server, first, scope="details")
    token = str(signup(server, created["invitation_code"], username).json()["access_token"])
    ids = [str(created["share"]["id"])]
    for patient in rest:
        created = share(server, patient, scope="details")
        accepted = httpx.post(
            f"{server.url}/v1/family/invitations/accept",
            json={"invitation_code": created["invitation_code"]},
            headers=auth(token),
            timeout=10,
        )
        assert accepted.status_code == 200, accepted.text
        ids.append(str(created["share"]["id"]))
    return token, ids


def test_an_item_hidden_from_family_never_reaches_them_not_even_as_a_tombstone(demo: ClinicServer) -> None:
    family, _ = _family(demo, "fam-hidden", demo.patient_token())
    first, cursor = sync_all(demo, family)
    assert _ids(first)
    hidden = _add_item(demo, "alex", family_visible=False)
    shown = _add_item(demo, "alex", family_visible=True)
    later, cursor = sync_all(demo, family, cursor)
    assert hidden not in _ids(later)
    assert shown in {c["id"] for c in later if not c["deleted"]}
    # Edits and deletion of the hidden item stay invisible too.
    _patch(demo, hidden, {"title": "Moved counselling"})
    _patch(demo, hidden, {"deleted": True})
    # What the family member was sent and is then hidden from them is withdrawn (a tombstone).
    _patch(demo, shown, {"family_visible": False})
    last, _ = sync_all(demo, family, cursor)
    assert hidden not in _ids(last)
    assert [c["deleted"] for c in last if c["id"] == shown] == [True]


def test_an_old_or_empty_cursor_yields_no_hidden_ids(demo: ClinicServer) -> None:
    hidden = _add_item(demo, "alex", family_visible=False, days=5)
    # A family member with a cursor from before they accepted Alex's share (Morgan shared first).
    family, _ = _family(demo, "fam-old-cursor", demo.patient_token("morgan", "waypoint-demo-2"))
    _, before_alex = sync_all(demo, family)
    invitation = share(demo, demo.patient_token(), scope="details")["invitation_code"]
    accepted = httpx.post(
        f"{demo.url}/v1/family/invitations/accept",
        json={"invitation_code": invitation},
        headers=auth(family),
        timeout=10,
    )
    assert accepted.status_code == 200
    never = _never_shown(demo, "alex") | _never_shown(demo, "morgan")
    assert hidden in never
    for cursor in (None, before_alex, _at_version(before_alex, 0), _at_version(before_alex, 1)):
        changes, _ = sync_all(demo, family, cursor)
        assert _ids(changes), cursor  # Alex's shared sessions did arrive
        assert not _ids(changes) & never, cursor


def test_after_a_patient_stops_sharing_their_later_items_never_reach_the_family(demo: ClinicServer) -> None:
    alex, morgan = demo.patient_token(), demo.patient_token("morgan", "waypoint-demo-2")
    family, (alex_share, _) = _family(demo, "fam-revoked", alex, morgan)
    first, before = sync_all(demo, family)
    sent_alex = {
        c["id"] for c in first if c["type"] == "schedule_item" and c["data"]["share_id"] == alex_share
    }
    assert sent_alex
    revoked = httpx.delete(f"{demo.url}/v1/shares/{alex_share}", headers=auth(alex), timeout=10)
    assert revoked.status_code == 204
    later = {_add_item(demo, "alex", family_visible=v, days=6) for v in (True, False)}
    # From the cursor before the revocation: what Alex's share sent is withdrawn, and nothing else.
    changes, after = sync_all(demo, family, before)
    assert sent_alex <= {c["id"] for c in changes if c["deleted"]}
    assert not _ids(changes) & (later | _never_shown(demo, "alex"))
    # From the cursor after it, neither.
    more = _add_item(demo, "alex", family_visible=True, days=7)
    morgan_item = _add_item(demo, "morgan", family_visible=True, days=7)
    changes, _ = sync_all(demo, family, after)
    assert not _ids(changes) & (later | {more})
    assert morgan_item in {c["id"] for c in changes if not c["deleted"]}  # Morgan still shares


def test_a_share_from_before_the_disclosure_record_still_gets_its_tombstones(
    tmp_path: Path, new_server: ServerFactory
) -> None:
    """Upgrading a clinic (migration 0004): what a live share shows counts as sent, so a family
    device holding those items is told when one is hidden, instead of keeping it for ever."""
    with new_server(tmp_path) as server:
        family, _ = _family(server, "fam-upgraded", server.patient_token())
        first, cursor = sync_all(server, family)
        shown = next(c["id"] for c in first if c["type"] == "schedule_item")
        server.stop()
        engine = create_engine(server.database_url or sqlite_url(server.db_path), poolclass=NullPool)
        try:
            _alembic(engine, "downgrade", "0003")  # the clinic as it was before the record existed
        finally:
            engine.dispose()
        server.start()  # migrates to head again
        _patch(server, shown, {"family_visible": False})
        later, _ = sync_all(server, family, cursor)
        assert [c["deleted"] for c in later if c["id"] == shown] == [True]


def _alembic(engine: Engine, command_name: str, revision: str) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        getattr(command, command_name)(config, revision)


def test_what_was_sent_is_forgotten_once_its_tombstone_is_purged(
    tmp_path: Path, new_server: ServerFactory
) -> None:
    """The record of what was sent does not grow for ever: a deleted item's entry goes when its
    tombstone goes (a cursor from before then gets a reset snapshot, which needs no tombstones)."""
    with new_server(tmp_path, extra_args=["--tombstone-retention-seconds", "1"]) as server:
        family, _ = _family(server, "fam-purged", server.patient_token())
        first, cursor = sync_all(server, family)
        sent = [c["id"] for c in first if c["type"] == "schedule_item"]
        _patch(server, sent[0], {"deleted": True})
        later, cursor = sync_all(server, family, cursor)
        assert [c["deleted"] for c in later if c["id"] == sent[0]] == [True]
        engine = create_engine(server.database_url or sqlite_url(server.db_path), poolclass=NullPool)
        try:
            deadline = time.monotonic() + 15  # the purge runs every retention / 2
            while sent[0] in _recorded(engine) and time.monotonic() < deadline:
                time.sleep(0.2)
            recorded = _recorded(engine)
        finally:
            engine.dispose()
        assert sent[0] not in recorded
        assert set(sent[1:]) <= recorded  # what is still shown stays recorded
        changes, _ = sync_all(server, family, cursor)  # and the family's sync goes on
        assert sent[0] not in _ids(changes)


def _recorded(engine: Engine) -> set[str]:
    with engine.connect() as conn:
        return {str(r[0]) for r in conn.execute(text("SELECT record_id FROM disclosures"))}
