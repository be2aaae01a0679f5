"""Support alerts: exactly once per client id, to staff in real time, acknowledged back to the patient."""

from __future__ import annotations

import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from tests.clinic.conftest import ServerFactory
from tests.clinic.helpers import latest, mutate, mutation, raise_alert, sync_all
from tests.support.clinic_server import ClinicServer


def test_same_idempotency_key_is_one_alert(demo: ClinicServer) -> None:
    token = demo.patient_token()
    alert_id = str(uuid.uuid4())
    first = raise_alert(demo, token, alert_id, "2026-01-01T00:00:00Z")
    again = raise_alert(demo, token, alert_id, "2026-01-01T00:00:00Z")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json() == again.json()
    assert first.json()["data"]["status"] == "received"
    same_body = {"created_at": "2026-01-01T00:00:00+00:00"}  # the same instant, written another way
    via_outbox = mutate(demo, token, mutation("support_alert.raise", same_body, id_=alert_id))[0]
    assert via_outbox["status"] == "duplicate"
    assert via_outbox["change"] == first.json()
    assert [a["id"] for a in demo.support_alerts()].count(alert_id) == 1


def test_twenty_concurrent_alert_retries_make_one_alert(tmp_path: Path, new_server: ServerFactory) -> None:
    with new_server(tmp_path) as server:
        token = server.patient_token()
        alert_id = str(uuid.uuid4())
        with ThreadPoolExecutor(20) as pool:
            responses = list(pool.map(lambda _: raise_alert(server, token, alert_id), range(20)))
        assert sorted(r.status_code for r in responses) == [200] * 19 + [201]
        assert len({r.text for r in responses}) == 1
        assert [a["id"] for a in server.support_alerts()] == [alert_id]


def test_stream_delivers_within_a_second_and_resumes_with_last_event_id(demo: ClinicServer) -> None:
    token = demo.patient_token()
    with demo.open_alert_stream(poll=30) as stream:
        time.sleep(0.3)
        alert_id = str(uuid.uuid4())
        sent = time.monotonic()
        assert raise_alert(demo, token, alert_id).status_code == 201
        event = stream.wait_for(lambda e: e["data"]["id"] == alert_id, timeout=5)
        assert event is not None
        index = stream.events.index(event)
        assert stream.received_at[index] - sent < 1.0
        assert stream.connections == 1  # pushed on the open connection, not found by reconnecting
        assert event["event"] == "support_alert"
        assert event["data"]["patient_name"] == "Alex Rivera"
        last_id = event["id"]
    # offline: two alerts are raised and one acknowledged
    missed = [str(uuid.uuid4()), str(uuid.uuid4())]
    for alert in missed:
        raise_alert(demo, token, alert)
    demo.ack_alert(missed[0])
    events = demo.stream_alerts(timeout=1.5, last_event_id=last_id)
    by_alert = {e["data"]["id"]: e["data"] for e in events}
    assert set(missed) <= set(by_alert)
    assert by_alert[missed[0]]["status"] == "acknowledged"
    assert alert_id not in by_alert  # nothing from before Last-Event-ID
    ids = [int(e["id"]) for e in events]
    assert ids == sorted(ids)
    assert ids[0] > int(last_id)


def test_a_new_stream_starts_with_unacknowledged_alerts(demo: ClinicServer) -> None:
    alert_id = str(uuid.uuid4())
    raise_alert(demo, demo.patient_token("morgan", "waypoint-demo-2"), alert_id)
    events = demo.stream_alerts(timeout=1.0)
    assert alert_id in {e["data"]["id"] for e in events}
    assert all(e["data"]["status"] == "received" for e in events)


def test_acknowledgement_syncs_back_to_the_patient(demo: ClinicServer) -> None:
    token = demo.patient_token()
    alert_id = str(uuid.uuid4())
    raise_alert(demo, token, alert_id)
    _, cursor = sync_all(demo, token)
    acked = demo.ack_alert(alert_id)
    assert acked["acknowledged_by"] == "Sam Ortiz"
    changes, _ = sync_all(demo, token, cursor)
    alert = latest(changes)[("support_alert", alert_id)]["data"]
    assert alert["status"] == "acknowledged"
    assert alert["acknowledged_by"] == "Sam Ortiz"
    assert alert["acknowledged_at"]
    assert demo.ack_alert(alert_id)["acknowledged_at"] == acked["acknowledged_at"]  # idempotent


@pytest.mark.parametrize(
    "value", [b"\xb2", "²".encode(), "١٢".encode(), b"12abc", b"-5", b"1e3", b"99999999999999999999"]
)
def test_a_last_event_id_that_is_not_ascii_digits_is_treated_as_absent(
    demo: ClinicServer, value: bytes
) -> None:
    alert_id = str(uuid.uuid4())
    raise_alert(demo, demo.patient_token("morgan", "waypoint-demo-2"), alert_id)
    headers = [(b"Authorization", f"Bearer {demo.staff_token()}".encode()), (b"Last-Event-ID", value)]
    with httpx.stream(
        "GET", f"{demo.url}/v1/staff/support-alerts/stream", headers=headers, timeout=10
    ) as response:
        assert response.status_code == 200
        # as without Last-Event-ID: the stream starts with the unacknowledged alerts
        for line in response.iter_lines():
            if line.startswith("data:") and alert_id in line:
                break


def test_a_second_alert_moments_later_keeps_the_first_answer_time(
    tmp_path: Path, new_server: ServerFactory
) -> None:
    """Taps from two devices (or an app that did not coalesce them) must not push the promise later."""
    with new_server(tmp_path) as server:
        token = server.patient_token()
        first = raise_alert(server, token, str(uuid.uuid4())).json()
        time.sleep(1.1)  # the promise is to the second: a later alert would show a later time
        second = raise_alert(server, token, str(uuid.uuid4())).json()
        assert second["data"]["expected_response_by"] == first["data"]["expected_response_by"]
        for answered in (first, second):  # answered: the next alert is a new call for help
            server.ack_alert(answered["id"])
        time.sleep(1.1)
        third = raise_alert(server, token, str(uuid.uuid4())).json()
        assert third["data"]["expected_response_by"] > first["data"]["expected_response_by"]
