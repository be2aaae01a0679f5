"""POST /v1/mutations: applied once, duplicates answer the same, conflicts, rejections, isolation."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from tests.clinic.conftest import ServerFactory
from tests.clinic.helpers import auth, latest, mutate, mutation, sync_all
from tests.support.clinic_server import ClinicServer


def _ids(server: ClinicServer, username: str) -> tuple[str, str, str]:
    pid = server.patient_id(username)
    item = next(i for i in server.schedule(pid) if i["kind"] == "check_in")
    assignment = server.assignments(pid)[0]
    return pid, item["id"], assignment["id"]


def test_each_type_applies_and_the_staff_sees_it(demo: ClinicServer) -> None:
    pid, item_id, assignment_id = _ids(demo, "alex")
    token = demo.patient_token()
    results = mutate(
        demo,
        token,
        mutation("rsvp.set", {"schedule_item_id": item_id, "response": "late", "note": "bus"}),
        mutation("assignment.complete", {"assignment_id": assignment_id, "response": "Wrote it down"}),
        mutation("coping_plan.update", {"on_my_own": ["Go for a run"], "reasons": ["My daughter"]}),
        mutation("support_alert.raise", {"created_at": "2026-01-01T10:00:00+00:00"}),
    )
    assert [r["status"] for r in results] == ["applied"] * 4
    assert results[0]["change"]["data"]["response"] == "late"
    assert results[1]["change"]["data"]["status"] == "done"
    assert results[2]["change"]["data"]["on_my_own"] == ["Go for a run"]
    assert results[3]["change"]["type"] == "support_alert"
    assert {"schedule_item_id": item_id, "response": "late"}.items() <= demo.rsvps(pid)[0].items()
    done = {a["id"]: a for a in demo.assignments(pid)}[assignment_id]
    assert (done["status"], done["response"]) == ("done", "Wrote it down")
    reopened = mutate(demo, token, mutation("assignment.reopen", {"assignment_id": assignment_id}))[0]
    assert reopened["change"]["data"]["status"] == "todo"


def test_one_bad_mutation_never_blocks_the_rest(demo: ClinicServer) -> None:
    _, item_id, _ = _ids(demo, "alex")
    _, morgans_item, morgans_assignment = _ids(demo, "morgan")
    results = mutate(
        demo,
        demo.patient_token(),
        mutation("no.such.type", {}),
        mutation("rsvp.set", {"schedule_item_id": morgans_item, "response": "going"}),
        mutation("assignment.complete", {"assignment_id": morgans_assignment}),
        mutation("rsvp.set", {"schedule_item_id": item_id, "response": "maybe"}),
        mutation("rsvp.set", {"schedule_item_id": item_id, "response": "going"}),
    )
    assert [r["status"] for r in results] == ["rejected", "rejected", "rejected", "rejected", "applied"]
    assert [r.get("code") for r in results[:4]] == [
        "mutation.unknown_type",
        "schedule_item.not_found",
        "assignment.not_found",
        "mutation.invalid",
    ]
    assert all(r["reason"] for r in results[:4])
    # another patient's data is never echoed back
    assert "change" not in results[1] or results[1]["change"] is None


def test_same_id_again_is_duplicate_with_the_first_answer(demo: ClinicServer) -> None:
    _, item_id, _ = _ids(demo, "alex")
    token = demo.patient_token()
    m = mutation("rsvp.set", {"schedule_item_id": item_id, "response": "cannot", "note": "sick"})
    first = mutate(demo, token, m)[0]
    second = mutate(demo, token, m)[0]
    assert first["status"] == "applied"
    assert second["status"] == "duplicate"
    assert second["change"] == first["change"]
    # the same id with a different payload is not that mutation: refused, never its answer (issue 10)
    other = mutate(demo, token, {**m, "payload": {"schedule_item_id": item_id, "response": "going"}})[0]
    assert (other["status"], other["code"]) == ("rejected", "idempotency.key_reused")


def test_staff_change_after_base_version_is_a_conflict(demo: ClinicServer) -> None:
    _, _, assignment_id = _ids(demo, "morgan")
    token = demo.patient_token("morgan", "waypoint-demo-2")
    changes, _ = sync_all(demo, token)
    base = latest(changes)[("assignment", assignment_id)]["version"]
    feedback = httpx.post(
        f"{demo.url}/v1/staff/assignments/{assignment_id}/feedback",
        json={"feedback": "Good start"},
        headers=auth(demo.staff_token()),
        timeout=10,
    )
    assert feedback.status_code == 200
    result = mutate(demo, token, mutation("assignment.complete", {"assignment_id": assignment_id}, base))[0]
    assert result["status"] == "conflict"
    assert result["change"]["data"]["feedback"] == "Good start"
    assert result["change"]["data"]["feedback_by"] == "Sam Ortiz"
    # the patient's own newer edits are not conflicts
    fresh = result["change"]["version"]
    ok = mutate(demo, token, mutation("assignment.complete", {"assignment_id": assignment_id}, fresh))[0]
    assert ok["status"] == "applied"
    again = mutate(demo, token, mutation("assignment.reopen", {"assignment_id": assignment_id}, fresh))[0]
    assert again["status"] == "applied"


def test_twenty_concurrent_retries_apply_once(tmp_path: Path, new_server: ServerFactory) -> None:
    with new_server(tmp_path) as server:
        pid, item_id, _ = _ids(server, "alex")
        token = server.patient_token()
        m = mutation("rsvp.set", {"schedule_item_id": item_id, "response": "late", "note": "traffic"})

        def send(_: int) -> dict[str, object]:
            return mutate(server, token, m)[0]

        with ThreadPoolExecutor(20) as pool:
            results = list(pool.map(send, range(20)))
        statuses = sorted(str(r["status"]) for r in results)
        assert statuses == ["applied"] + ["duplicate"] * 19
        assert len({str(r["change"]) for r in results}) == 1
        assert len(server.rsvps(pid)) == 1
        changes, _ = sync_all(server, token)
        assert len([c for c in changes if c["type"] == "rsvp"]) == 1


def test_mutation_ids_are_per_account(demo: ClinicServer) -> None:
    shared_id = str(uuid.uuid4())
    _, alex_item, _ = _ids(demo, "alex")
    _, morgan_item, _ = _ids(demo, "morgan")
    a = mutate(
        demo,
        demo.patient_token(),
        mutation("rsvp.set", {"schedule_item_id": alex_item, "response": "going"}, id_=shared_id),
    )[0]
    b = mutate(
        demo,
        demo.patient_token("morgan", "waypoint-demo-2"),
        mutation("rsvp.set", {"schedule_item_id": morgan_item, "response": "going"}, id_=shared_id),
    )[0]
    assert (a["status"], b["status"]) == ("applied", "applied")
    assert a["change"]["id"] == alex_item
    assert b["change"]["id"] == morgan_item
