"""Acknowledging a support alert with its outcome (issue 13): what the counsellor did, kept with the alert."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from tests.clinic.helpers import latest, raise_alert, sync_all
from tests.support.clinic_server import ClinicServer


def _ack(demo: ClinicServer, alert_id: str, body: dict[str, Any] | None) -> httpx.Response:
    headers = {"Authorization": f"Bearer {demo.staff_token()}"}
    url = f"{demo.url}/v1/staff/support-alerts/{alert_id}/ack"
    if body is None:
        return httpx.post(url, headers=headers, timeout=10)
    return httpx.post(url, headers=headers, json=body, timeout=10)


def _new_alert(demo: ClinicServer) -> str:
    alert_id = str(uuid.uuid4())
    assert raise_alert(demo, demo.patient_token(), alert_id).status_code == 201
    return alert_id


def test_the_outcome_and_note_are_kept_and_shown_to_staff(demo: ClinicServer) -> None:
    alert_id = _new_alert(demo)
    with demo.open_alert_stream() as stream:
        # As a console does: the alert is on the queue before it is answered. (Acknowledged before
        # the stream's first read, it would not be in the queue the stream starts with at all.)
        assert stream.wait_for(lambda e: e["data"].get("id") == alert_id, timeout=5) is not None
        answer = _ack(demo, alert_id, {"outcome": "safe", "note": "Called; staying with her sister tonight."})
        assert answer.status_code == 200, answer.text
        acked = answer.json()
        assert (acked["status"], acked["outcome"], acked["note"]) == (
            "acknowledged",
            "safe",
            "Called; staying with her sister tonight.",
        )
        event = stream.wait_for(
            lambda e: e["data"].get("id") == alert_id and e["data"].get("status") == "acknowledged", timeout=5
        )
    assert event is not None
    assert event["data"]["outcome"] == "safe"
    listed = {a["id"]: a for a in demo.support_alerts()}[alert_id]
    assert (listed["outcome"], listed["note"]) == ("safe", "Called; staying with her sister tonight.")
    # A second acknowledgement changes nothing: the first outcome stands.
    again = _ack(demo, alert_id, {"outcome": "no_answer"})
    assert again.status_code == 200
    assert (again.json()["outcome"], again.json()["acknowledged_at"]) == ("safe", acked["acknowledged_at"])


def test_the_note_stays_with_the_staff_and_out_of_the_patients_record(demo: ClinicServer) -> None:
    alert_id = _new_alert(demo)
    assert _ack(demo, alert_id, {"outcome": "emergency", "note": "911 called"}).status_code == 200
    changes, _ = sync_all(demo, demo.patient_token())
    record = latest(changes)[("support_alert", alert_id)]["data"]
    assert record["status"] == "acknowledged"
    assert "outcome" not in record
    assert "note" not in record


def test_an_acknowledgement_without_a_body_still_works_and_has_no_outcome(demo: ClinicServer) -> None:
    alert_id = _new_alert(demo)
    answer = _ack(demo, alert_id, None)
    assert answer.status_code == 200, answer.text
    assert (answer.json()["outcome"], answer.json()["note"]) == (None, None)


def test_a_bad_outcome_or_note_is_refused_and_nothing_is_acknowledged(demo: ClinicServer) -> None:
    alert_id = _new_alert(demo)
    for body in (
        {"outcome": "fine"},
        {"outcome": "safe", "note": "x" * 2001},
        {"outcome": "safe", "notes": "typo"},
    ):
        answer = _ack(demo, alert_id, body)
        assert answer.status_code == 400, (body, answer.text)  # the clinic's code for invalid input
        assert answer.headers["content-type"].startswith("application/problem+json")
        assert answer.json()["code"]
    assert {a["id"]: a for a in demo.support_alerts()}[alert_id]["status"] == "received"
