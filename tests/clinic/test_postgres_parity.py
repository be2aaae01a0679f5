"""SQLite and PostgreSQL answer alike at the edges: longest valid ids, non-ASCII text, no 500s.

SQLite ignores VARCHAR lengths and PostgreSQL enforces them, so a value the API accepts must
fit every column it lands in, or PostgreSQL alone answers 500.
"""

from __future__ import annotations

import uuid

from tests.clinic.helpers import auth, latest, mutate, mutation, raise_alert, sync_all
from tests.support.clinic_server import ClinicServer

LONGEST_ID = 64  # docs/api.md: ids are 1–64 of [A-Za-z0-9_-]


def _long_id() -> str:
    return (uuid.uuid4().hex * 2)[:LONGEST_ID]


def test_longest_idempotency_key_raises_one_alert(demo: ClinicServer) -> None:
    token = demo.patient_token()
    alert_id = _long_id()
    first, again = raise_alert(demo, token, alert_id), raise_alert(demo, token, alert_id)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json() == again.json()
    assert [a["id"] for a in demo.support_alerts()].count(alert_id) == 1
    demo.ack_alert(alert_id)


def test_longest_mutation_ids_apply_for_every_type(demo: ClinicServer) -> None:
    token = demo.patient_token()
    changes, _ = sync_all(demo, token)
    item = next(
        c["id"] for c in changes if c["type"] == "schedule_item" and c["data"]["status"] != "cancelled"
    )
    batch = [
        mutation("rsvp.set", {"schedule_item_id": item, "response": "going"}, id_=_long_id()),
        mutation("coping_plan.update", {"reasons": ["x"]}, id_=_long_id()),
        mutation("support_alert.raise", {"created_at": "2026-01-01T00:00:00Z"}, id_=_long_id()),
    ]
    assert [r["status"] for r in mutate(demo, token, *batch)] == ["applied"] * 3
    assert [r["status"] for r in mutate(demo, token, *batch)] == ["duplicate"] * 3


def test_an_id_one_too_long_is_a_client_error(demo: ClinicServer) -> None:
    token = demo.patient_token()
    assert raise_alert(demo, token, "a" * (LONGEST_ID + 1)).status_code in {400, 422}
    with demo.client(token) as client:
        too_long = mutation("coping_plan.update", {}, id_="b" * (LONGEST_ID + 1))
        response = client.post("/v1/mutations", json={"mutations": [too_long]})
    assert response.status_code in {400, 422}


def test_non_ascii_text_round_trips(demo: ClinicServer) -> None:
    token = demo.patient_token()
    reasons = ["Ana María 💙", "家族", "line\u2028separator", "tab\tand \"quotes\" and 'apostrophes'"]
    applied = mutate(demo, token, mutation("coping_plan.update", {"reasons": reasons}))[0]
    assert applied["status"] == "applied"
    changes, _ = sync_all(demo, demo.patient_token())
    plan = next(v for (kind, _), v in latest(changes).items() if kind == "coping_plan")
    assert plan["data"]["reasons"] == reasons
    with demo.client() as client:
        assert client.get("/v1/sync", headers=auth(token)).status_code == 200
