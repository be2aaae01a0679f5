"""The in-memory clinic twin answers only shapes the real clinic's OpenAPI document has.

The document is the real server's (`create_app(...).openapi()`, what `/openapi.json` serves);
each answer of the twin is validated against the component schema of that endpoint's answer.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Any

import httpx
import jsonschema_rs
import pytest

from clinic.app import create_app
from clinic.config import Settings
from clinic.container import Services
from tests.unit.sync.fake_clinic import FakeClinic


@functools.cache
def _spec(tmp: str) -> dict[str, Any]:
    # Building the app opens no database; the schema is all we ask of it.
    spec: dict[str, Any] = create_app(Services.build(Settings(database_url=f"sqlite:///{tmp}"))).openapi()
    return spec


@pytest.fixture(scope="module")
def spec(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return _spec(str(tmp_path_factory.mktemp("contract") / "clinic.db"))


def violations(spec: dict[str, Any], component: str, body: Any) -> list[str]:
    """How `body` departs from `#/components/schemas/<component>` (empty: it conforms)."""
    schema = {"$ref": f"#/components/schemas/{component}", "components": spec["components"]}
    validator = jsonschema_rs.Draft202012Validator(schema)
    return [f"{list(e.instance_path)}: {e.message}" for e in validator.iter_errors(body)]


@pytest.fixture
def twin() -> Iterator[tuple[FakeClinic, httpx.Client]]:
    clinic = FakeClinic()
    clinic.seed_week()
    with httpx.Client(transport=clinic.transport(), base_url="https://clinic.test") as client:
        yield clinic, client


def _signed_in(clinic: FakeClinic, client: httpx.Client) -> httpx.Response:
    answer = client.post("/v1/auth/token", json={"username": clinic.username, "password": clinic.password})
    client.headers["Authorization"] = f"Bearer {answer.json()['access_token']}"
    return answer


def test_the_twins_sign_in_answer_is_a_token_response(
    spec: dict[str, Any], twin: tuple[FakeClinic, httpx.Client]
) -> None:
    clinic, client = twin
    assert violations(spec, "TokenResponse", _signed_in(clinic, client).json()) == []


def test_the_twins_pull_answers_with_typed_changes_and_tombstones(
    spec: dict[str, Any], twin: tuple[FakeClinic, httpx.Client]
) -> None:
    clinic, client = twin
    _signed_in(clinic, client)
    first = client.get("/v1/sync").json()
    assert {c["type"] for c in first["changes"]} >= {"clinic", "patient", "schedule_item", "assignment"}
    assert violations(spec, "SyncResponse", first) == []
    clinic.put("schedule_item", "s1", None)  # a deletion: the next pull carries a tombstone
    later = client.get("/v1/sync", params={"cursor": first["cursor"]}).json()
    assert [c["deleted"] for c in later["changes"]] == [True]
    assert violations(spec, "SyncResponse", later) == []


def test_the_twins_mutation_results_are_the_contracts(
    spec: dict[str, Any], twin: tuple[FakeClinic, httpx.Client]
) -> None:
    clinic, client = twin
    _signed_in(clinic, client)
    mutations = [
        {
            "id": "m1",
            "type": "rsvp.set",
            "base_version": None,
            "payload": {"schedule_item_id": "s1", "response": "late", "note": "bus"},
        },
        {
            "id": "m2",
            "type": "assignment.complete",
            "base_version": None,
            "payload": {"assignment_id": "a1", "response": "done"},
        },
        {
            "id": "m3",
            "type": "coping_plan.update",
            "base_version": 0,
            "payload": {"warning_signs": ["payday"]},
        },
        {
            "id": "m4",
            "type": "support_alert.raise",
            "base_version": None,
            "payload": {"created_at": "2026-03-01T11:59:00+00:00"},
        },
        {
            "id": "m5",
            "type": "rsvp.set",
            "base_version": None,
            "payload": {"schedule_item_id": "gone", "response": "going"},
        },
    ]
    body = {"mutations": mutations}
    assert violations(spec, "MutationBatch", body) == []  # what the app sends is the contract too
    first = client.post("/v1/mutations", json=body).json()
    assert [r["status"] for r in first["results"]] == [
        "applied",
        "applied",
        "conflict",
        "applied",
        "rejected",
    ]
    assert violations(spec, "MutationResponse", first) == []
    again = client.post("/v1/mutations", json={"mutations": mutations[:1]}).json()
    assert [r["status"] for r in again["results"]] == ["duplicate"]
    assert violations(spec, "MutationResponse", again) == []


def test_the_twins_questionnaires_and_check_ins_are_the_contracts(
    spec: dict[str, Any], twin: tuple[FakeClinic, httpx.Client]
) -> None:
    clinic, client = twin
    clinic.seed_questionnaires()
    _signed_in(clinic, client)
    pulled = client.get("/v1/sync").json()
    assert {c["type"] for c in pulled["changes"]} >= {"questionnaire"}
    assert violations(spec, "SyncResponse", pulled) == []
    answers = {"craving": 9, "mood": 3, "confidence": 4, "used": False, "contact": True, "note": ""}
    submit: dict[str, Any] = {
        "id": "m1",
        "type": "checkin.submit",
        "base_version": None,
        "payload": {
            "checkin_id": "c1",
            "questionnaire_id": "q-daily",
            "period": "2026-03-01",
            "answered_at": "2026-03-01T11:59:00+00:00",
            "answers": answers,
        },
    }
    weekly = {
        **submit,
        "id": "m2",
        "payload": {
            **submit["payload"],
            "checkin_id": "c2",
            "questionnaire_id": "q-phq2",
            "period": "2026-02-23",
            "answers": {"interest": 2, "down": 1},
        },
    }
    taken = {**submit, "id": "m3", "payload": {**submit["payload"], "checkin_id": "c3"}}
    body = {"mutations": [submit, weekly, taken]}
    assert violations(spec, "MutationBatch", body) == []
    answer = client.post("/v1/mutations", json=body).json()
    assert [r["status"] for r in answer["results"]] == ["applied", "applied", "rejected"]
    assert answer["results"][0]["change"]["data"]["flag"]["reasons"] == ["craving", "contact"]
    assert answer["results"][1]["change"]["data"]["flag"]["reasons"] == ["phq2"]
    assert answer["results"][2]["code"] == "checkin.period_taken"
    assert violations(spec, "MutationResponse", answer) == []
    clinic.ack_flag("c1")
    later = client.get("/v1/sync", params={"cursor": pulled["cursor"]}).json()
    assert violations(spec, "SyncResponse", later) == []


def test_the_twins_support_alert_answer_is_a_support_alert_change(
    spec: dict[str, Any], twin: tuple[FakeClinic, httpx.Client]
) -> None:
    clinic, client = twin
    _signed_in(clinic, client)
    answer = client.post(
        "/v1/support-alerts",
        json={"created_at": "2026-03-01T11:59:00+00:00"},
        headers={"Idempotency-Key": "alert-1"},
    )
    assert answer.status_code == 201
    assert violations(spec, "SupportAlertChange", answer.json()) == []


def test_the_twins_refusals_are_problem_json(
    spec: dict[str, Any], twin: tuple[FakeClinic, httpx.Client]
) -> None:
    _, client = twin
    refused = client.get("/v1/sync")
    assert refused.status_code == 401
    assert violations(spec, "Problem", refused.json()) == []


def test_a_shape_the_contract_does_not_have_is_caught(spec: dict[str, Any]) -> None:
    """The check can fail: a record missing fields, or with one the contract lacks, is named."""
    short = {"type": "assignment", "id": "a1", "version": 3, "deleted": False, "data": {"title": "x"}}
    page = {"changes": [short], "cursor": "3", "has_more": False, "reset": False}
    assert violations(spec, "SyncResponse", page)
    data = {
        "created_at": "2026-03-01T11:59:00-05:00",
        "status": "received",
        "acknowledged_by": None,
        "acknowledged_at": None,
        "expected_response_by": "2026-03-01T12:29:00-05:00",
    }
    alert = {"type": "support_alert", "id": "a", "version": 1, "deleted": False, "data": data}
    assert violations(spec, "SupportAlertChange", alert) == []
    assert violations(spec, "SupportAlertChange", {**alert, "data": {**data, "severity": "high"}})
    assert violations(spec, "SupportAlertChange", {**alert, "type": "assignment"})
