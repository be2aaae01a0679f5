"""`GET /v1/stream` on the real server (SQLite and PostgreSQL): an open app hears within seconds that
its data changed — only its own (a patient) or what its shares disclose (a family member) — with
no PHI in the event, and the stream ends when the credential lapses."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from tests.clinic.device_keys import StreamReader
from tests.clinic.helpers import auth, raise_alert, sync_all
from tests.clinic.test_sharing import share, signup
from tests.support.clinic_server import ClinicServer
from tests.support.polling import wait_until


class LiveReader(StreamReader):
    def __init__(self, server: ClinicServer, token: str, last_event_id: str | None = None) -> None:
        super().__init__(server.url, token, {"Last-Event-ID": last_event_id} if last_event_id else None)
        self.url = f"{server.url}/v1/stream"

    def changed(self) -> list[dict[str, Any]]:
        return [e for e in self.events if e.get("event") == "changed"]

    def wait_changes(self, count: int, timeout: float) -> list[dict[str, Any]]:
        """The `changed` events once there are at least `count`."""

        def enough() -> list[dict[str, Any]] | None:
            found = self.changed()
            return found if len(found) >= count else None

        return wait_until(enough, timeout)


@pytest.fixture
def live() -> Iterator[list[LiveReader]]:
    opened: list[LiveReader] = []
    yield opened
    for reader in opened:
        reader.close()


def open_live(opened: list[LiveReader], server: ClinicServer, token: str, **kwargs: Any) -> LiveReader:
    reader = LiveReader(server, token, **kwargs)
    opened.append(reader)
    reader.start()
    assert reader.status == 200
    return reader


def move(server: ClinicServer, item_id: str, minutes: int) -> float:
    """Move a session by `minutes`; the time.monotonic() just before the request."""
    item = next(i for i in server.schedule(server.patient_id("alex")) if i["id"] == item_id)
    starts = datetime.fromisoformat(item["starts_at"]) + timedelta(minutes=minutes)
    ends = datetime.fromisoformat(item["ends_at"]) + timedelta(minutes=minutes)
    body = {"starts_at": starts.isoformat(), "ends_at": ends.isoformat()}
    headers = auth(server.staff_token())
    sent = time.monotonic()
    response = httpx.patch(
        f"{server.url}/v1/staff/schedule/{item_id}", json=body, headers=headers, timeout=10
    )
    assert response.status_code == 200, response.text
    return sent


def upcoming(server: ClinicServer, username: str, *, family_visible: bool | None = None) -> str:
    now = datetime.now(UTC)
    for item in server.schedule(server.patient_id(username)):
        later = datetime.fromisoformat(item["starts_at"]) > now + timedelta(hours=2)
        wanted = family_visible is None or item["family_visible"] == family_visible
        if later and wanted and item["kind"] != "drug_test":
            return str(item["id"])
    raise LookupError("no upcoming item")


def test_a_patient_hears_of_an_acknowledgement_and_a_moved_session_within_two_seconds(
    demo: ClinicServer, live: list[LiveReader]
) -> None:
    token = demo.patient_token()
    alert_id = str(uuid.uuid4())
    assert raise_alert(demo, token, alert_id).status_code == 201
    stream = open_live(live, demo, token)
    (first,) = stream.wait_changes(1, 5)  # on connect: pull once, whatever happened meanwhile
    assert first["data"] == {"version": int(first["id"])}  # a position, nothing else
    demo.staff_token()
    acked = time.monotonic()
    demo.ack_alert(alert_id)
    stream.wait_changes(2, 5)
    assert stream.times[len(stream.events) - 1] - acked < 2.0
    moved = move(demo, upcoming(demo, "alex"), 30)
    third = stream.wait_changes(3, 5)[-1]
    assert stream.times[-1] - moved < 2.0
    changes, _ = sync_all(demo, token)
    assert max(c["version"] for c in changes) == third["data"]["version"]


def test_a_patient_never_hears_of_another_patients_changes(
    demo: ClinicServer, live: list[LiveReader]
) -> None:
    alex, morgan = demo.patient_token(), demo.patient_token("morgan", "waypoint-demo-2")
    stream = open_live(live, demo, morgan)
    stream.wait_changes(1, 5)
    alert_id = str(uuid.uuid4())
    assert raise_alert(demo, alex, alert_id).status_code == 201
    demo.ack_alert(alert_id)
    move(demo, upcoming(demo, "alex"), 15)
    # Then one of Morgan's own: the only event after the first must be this one.
    assert raise_alert(demo, morgan, str(uuid.uuid4())).status_code == 201
    stream.wait_changes(2, 5)
    time.sleep(1.5)  # longer than the stream's poll: an event about Alex would have come by now
    assert len(stream.changed()) == 2


def test_a_family_member_hears_only_of_what_its_share_discloses(
    demo: ClinicServer, live: list[LiveReader]
) -> None:
    patient = demo.patient_token()
    created = share(demo, patient, "times")
    family = signup(demo, created["invitation_code"], f"fam-live-{uuid.uuid4().hex[:8]}").json()[
        "access_token"
    ]
    stream = open_live(live, demo, family)
    stream.wait_changes(1, 5)
    # Not the family's business: an alert, its acknowledgement, a session hidden from family.
    alert_id = str(uuid.uuid4())
    assert raise_alert(demo, patient, alert_id).status_code == 201
    demo.ack_alert(alert_id)
    hidden = upcoming(demo, "alex")
    response = httpx.patch(
        f"{demo.url}/v1/staff/schedule/{hidden}",
        json={"family_visible": False, "note": "private"},
        headers=auth(demo.staff_token()),
        timeout=10,
    )
    assert response.status_code == 200
    changes, _ = sync_all(demo, family)
    assert hidden not in {c["id"] for c in changes}  # never sent, so its hiding is no news either
    # Its business: a shared session moved.
    moved = move(demo, upcoming(demo, "alex", family_visible=True), 45)
    stream.wait_changes(2, 5)
    assert stream.times[-1] - moved < 2.0
    time.sleep(1.5)
    assert len(stream.changed()) == 2


def test_staff_get_nothing_and_an_ended_share_gets_403(demo: ClinicServer) -> None:
    staff = httpx.get(f"{demo.url}/v1/stream", headers=auth(demo.staff_token()), timeout=10)
    assert (staff.status_code, staff.json()["code"]) == (403, "auth.forbidden")
    patient = demo.patient_token()
    created = share(demo, patient)
    family = signup(demo, created["invitation_code"], f"fam-end-{uuid.uuid4().hex[:8]}").json()[
        "access_token"
    ]
    revoked = httpx.delete(
        f"{demo.url}/v1/shares/{created['share']['id']}", headers=auth(patient), timeout=10
    )
    assert revoked.status_code == 204
    ended = httpx.get(f"{demo.url}/v1/stream", headers=auth(family), timeout=10)
    assert (ended.status_code, ended.json()["code"]) == (403, "share.revoked")


def test_revoking_a_share_while_the_family_stream_is_open_tells_it_to_pull(
    demo: ClinicServer, live: list[LiveReader]
) -> None:
    patient = demo.patient_token()
    created = share(demo, patient)
    family = signup(demo, created["invitation_code"], f"fam-rev-{uuid.uuid4().hex[:8]}").json()[
        "access_token"
    ]
    stream = open_live(live, demo, family)
    stream.wait_changes(1, 5)
    httpx.delete(f"{demo.url}/v1/shares/{created['share']['id']}", headers=auth(patient), timeout=10)
    stream.wait_changes(2, 5)
    pulled = httpx.get(f"{demo.url}/v1/sync", headers=auth(family), timeout=10)
    assert (pulled.status_code, pulled.json()["code"]) == (403, "share.revoked")


def test_reconnecting_at_the_current_position_sends_nothing_until_something_changes(
    demo: ClinicServer, live: list[LiveReader]
) -> None:
    token = demo.patient_token()
    first = open_live(live, demo, token)
    (event,) = first.wait_changes(1, 5)
    again = open_live(live, demo, token, last_event_id=event["id"])
    behind = open_live(live, demo, token, last_event_id=str(int(event["id"]) - 1))
    behind.wait_changes(1, 5)  # it missed something: told at once
    assert raise_alert(demo, token, str(uuid.uuid4())).status_code == 201
    (news,) = again.wait_changes(1, 5)  # the first event it gets is the new change
    assert int(news["id"]) > int(event["id"])


def test_logging_out_ends_the_stream_with_auth_lapsed(demo: ClinicServer, live: list[LiveReader]) -> None:
    session = demo.sign_in("alex", "waypoint-demo", device_name="live-logout")
    stream = open_live(live, demo, session["access_token"])
    stream.wait_changes(1, 5)
    out = httpx.post(f"{demo.url}/v1/auth/logout", headers=auth(session["access_token"]), timeout=10)
    assert out.status_code == 204
    assert stream.wait_end(5), "the stream outlived its credential"
    assert stream.events[-1]["event"] == "auth_lapsed"
    assert stream.events[-1]["data"]["code"] == "auth.device_revoked"
