"""Idempotency keys are scoped per caller and per kind of request; a reused key never answers for another."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import httpx

from tests.clinic.helpers import auth, mutate, mutation, raise_alert
from tests.support.clinic_server import ClinicServer


def _item(server: ClinicServer) -> str:
    pid = server.patient_id("alex")
    item_id: str = next(i["id"] for i in server.schedule(pid) if i["kind"] == "lunch")
    return item_id


def test_an_rsvp_id_reused_as_an_alert_key_is_a_conflict_not_the_rsvps_answer(demo: ClinicServer) -> None:
    token = demo.patient_token()
    key = str(uuid.uuid4())
    rsvp = mutate(
        demo, token, mutation("rsvp.set", {"schedule_item_id": _item(demo), "response": "going"}, id_=key)
    )[0]
    assert rsvp["status"] == "applied"
    response = raise_alert(demo, token, key)
    assert response.status_code == 409, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == "idempotency.key_reused"
    assert key not in [a["id"] for a in demo.support_alerts()]


def test_an_alert_key_reused_for_an_rsvp_is_rejected_not_a_duplicate(demo: ClinicServer) -> None:
    token = demo.patient_token()
    key = str(uuid.uuid4())
    assert raise_alert(demo, token, key).status_code == 201
    result = mutate(
        demo, token, mutation("rsvp.set", {"schedule_item_id": _item(demo), "response": "late"}, id_=key)
    )[0]
    assert (result["status"], result["code"]) == ("rejected", "idempotency.key_reused")


def test_the_same_alert_key_with_another_body_is_a_conflict(demo: ClinicServer) -> None:
    token = demo.patient_token()
    key = str(uuid.uuid4())
    first = {"created_at": "2026-11-29T20:00:00Z"}
    headers = {**auth(token), "Idempotency-Key": key}
    url = f"{demo.url}/v1/support-alerts"
    assert httpx.post(url, json=first, headers=headers, timeout=10).status_code == 201
    # the same instant written another way is the same body
    same = httpx.post(url, json={"created_at": "2026-11-29T15:00:00-05:00"}, headers=headers, timeout=10)
    assert same.status_code == 200
    other = httpx.post(url, json={"created_at": "2026-11-29T20:00:01Z"}, headers=headers, timeout=10)
    assert (other.status_code, other.json()["code"]) == (409, "idempotency.key_reused")
    via_outbox = mutate(
        demo, token, mutation("support_alert.raise", {"created_at": "2026-11-29T20:00:05Z"}, id_=key)
    )[0]
    assert (via_outbox["status"], via_outbox["code"]) == ("rejected", "idempotency.key_reused")


def test_an_rsvp_id_replayed_with_another_payload_is_rejected(demo: ClinicServer) -> None:
    token = demo.patient_token()
    key = str(uuid.uuid4())
    item = _item(demo)
    assert (
        mutate(demo, token, mutation("rsvp.set", {"schedule_item_id": item, "response": "going"}, id_=key))[
            0
        ]["status"]
        == "applied"
    )
    again = mutate(
        demo, token, mutation("rsvp.set", {"schedule_item_id": item, "response": "going"}, id_=key)
    )
    assert again[0]["status"] == "duplicate"
    other = mutate(
        demo, token, mutation("rsvp.set", {"schedule_item_id": item, "response": "cannot"}, id_=key)
    )
    assert (other[0]["status"], other[0]["code"]) == ("rejected", "idempotency.key_reused")


def test_another_patients_alert_id_creates_their_own_alert_and_reveals_nothing(demo: ClinicServer) -> None:
    alex, morgan = demo.patient_token(), demo.patient_token("morgan", "waypoint-demo-2")
    key = str(uuid.uuid4())
    assert raise_alert(demo, alex, key).status_code == 201
    taken = raise_alert(demo, morgan, key)
    assert taken.status_code == 201, taken.text  # not a 409 that blocks morgan's outbox forever
    change = taken.json()
    assert "Alex" not in taken.text
    assert change["type"] == "support_alert"
    again = raise_alert(demo, morgan, key)
    assert (again.status_code, again.json()) == (200, change)
    by_patient = {(a["patient_name"], a["id"]) for a in demo.support_alerts()}
    assert ("Alex Rivera", key) in by_patient
    assert ("Morgan Blake", change["id"]) in by_patient
    # alex's alert is untouched: its answer is still alex's
    mine = raise_alert(demo, alex, key)
    assert mine.status_code == 200
    assert mine.json()["id"] == key


def test_two_idempotency_key_headers_are_a_400(demo: ClinicServer) -> None:
    token = demo.patient_token()
    headers = [
        ("Authorization", f"Bearer {token}"),
        ("Idempotency-Key", str(uuid.uuid4())),
        ("Idempotency-Key", str(uuid.uuid4())),
    ]
    response = httpx.post(
        f"{demo.url}/v1/support-alerts",
        json={"created_at": datetime.now(UTC).isoformat()},
        headers=headers,
        timeout=10,
    )
    assert response.status_code == 400, response.text
    assert response.json()["code"] == "request.invalid"
