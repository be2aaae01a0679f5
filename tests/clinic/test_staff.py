"""Staff API: schedule changes reach the patient, patients and codes, device revoke, tombstones and reset."""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from pathlib import Path

import httpx

from tests.clinic.conftest import ServerFactory
from tests.clinic.helpers import auth, latest, sync_all, sync_page
from tests.support.clinic_server import ClinicServer


def test_cancel_move_and_delete_reach_the_patient(demo: ClinicServer) -> None:
    token = demo.patient_token("morgan", "waypoint-demo-2")
    pid = demo.patient_id("morgan")
    _, cursor = sync_all(demo, token)
    items = [i for i in demo.schedule(pid) if i["kind"] == "education_class"]
    cancel, move, delete = items[-1], items[-2], items[-3]
    staff = auth(demo.staff_token())
    patch = f"{demo.url}/v1/staff/schedule"
    assert (
        httpx.patch(f"{patch}/{cancel['id']}", json={"status": "cancelled"}, headers=staff).status_code == 200
    )
    new_start = datetime.fromisoformat(move["starts_at"]) + timedelta(hours=3)
    moved = httpx.patch(
        f"{patch}/{move['id']}",
        headers=staff,
        json={"starts_at": new_start.isoformat(), "ends_at": (new_start + timedelta(hours=1)).isoformat()},
    ).json()
    assert moved["status"] == "moved"
    assert moved["moved_from"] == move["starts_at"]
    assert httpx.patch(f"{patch}/{delete['id']}", json={"deleted": True}, headers=staff).status_code == 200
    changes, _ = sync_all(demo, token, cursor)
    by_id = {c["id"]: c for c in changes}
    assert by_id[cancel["id"]]["data"]["status"] == "cancelled"
    assert by_id[move["id"]]["data"]["starts_at"] == new_start.isoformat()
    assert by_id[delete["id"]]["deleted"] is True
    assert by_id[delete["id"]]["data"] is None


def test_create_patient_with_pattern_then_enrol(demo: ClinicServer) -> None:
    body = {
        "display_name": "Riley New",
        "start_date": "2026-03-02",
        "planned_weeks": 4,
        "apply_pattern": True,
    }
    created = httpx.post(
        f"{demo.url}/v1/staff/patients", json=body, headers=auth(demo.staff_token()), timeout=30
    )
    assert created.status_code == 201
    enrolled = httpx.post(
        f"{demo.url}/v1/auth/enrol", json={"code": created.json()["enrolment_code"]}, timeout=10
    )
    assert enrolled.status_code == 200
    assert enrolled.json()["display_name"] == "Riley New"
    state = latest(sync_all(demo, enrolled.json()["access_token"])[0])
    items = [c["data"] for (t, _), c in state.items() if t == "schedule_item"]
    assert len([i for i in items if i["kind"] == "check_in"]) == 12
    assert {i["starts_at"][11:] for i in items if i["kind"] == "check_in"} == {
        "09:00:00-05:00",
        "09:00:00-04:00",
    }


def test_staff_revokes_a_device(demo: ClinicServer) -> None:
    tokens = demo.sign_in("morgan", "waypoint-demo-2", device_name="stolen")
    pid = demo.patient_id("morgan")
    staff = auth(demo.staff_token())
    devices = httpx.get(f"{demo.url}/v1/staff/patients/{pid}/devices", headers=staff).json()
    device = next(d for d in devices if d["name"] == "stolen" and d["revoked_at"] is None)
    assert httpx.post(f"{demo.url}/v1/staff/devices/{device['id']}/revoke", headers=staff).status_code == 204
    response = sync_page(demo, tokens["access_token"])
    assert (response.status_code, response.json()["code"]) == (401, "auth.device_revoked")
    refresh = httpx.post(f"{demo.url}/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert refresh.json()["code"] == "auth.device_revoked"


def test_audit_log_is_for_clinic_admins(demo: ClinicServer) -> None:
    pid = demo.patient_id("alex")
    demo.rsvps(pid)
    entries = httpx.get(
        f"{demo.url}/v1/staff/audit",
        params={"patient_id": pid, "limit": 50},
        headers=auth(demo.staff_token()),
    ).json()
    assert entries[0]["action"] == "staff.rsvps.read"
    assert {"actor_id", "actor_role", "patient_id", "action", "at"} <= set(entries[0])
    assert all(e["patient_id"] == pid for e in entries)


def test_old_cursor_after_tombstone_retention_gets_reset(tmp_path: Path, new_server: ServerFactory) -> None:
    with new_server(tmp_path, extra_args=["--tombstone-retention-seconds", "1"]) as server:
        token = server.patient_token("morgan", "waypoint-demo-2")
        pid = server.patient_id("morgan")
        _, cursor = sync_all(server, token)
        item = server.schedule(pid)[0]
        httpx.patch(
            f"{server.url}/v1/staff/schedule/{item['id']}",
            json={"deleted": True},
            headers=auth(server.staff_token()),
        )
        time.sleep(2.5)  # past retention, and the purge runs every retention/2
        response = sync_page(server, token, cursor)
        body = response.json()
        assert body["reset"] is True
        snapshot, _ = sync_all(server, token, cursor)
        ids = {c["id"] for c in snapshot}
        assert item["id"] not in ids
        assert all(not c["deleted"] for c in snapshot)
        assert len([c for c in snapshot if c["type"] == "schedule_item"]) == len(server.schedule(pid))


def test_attendance_and_discharge_reach_the_patient(demo: ClinicServer) -> None:
    staff = auth(demo.staff_token())
    created = httpx.post(
        f"{demo.url}/v1/staff/patients",
        headers=staff,
        timeout=30,
        json={
            "display_name": "Lee Leaving",
            "start_date": "2026-11-02",
            "planned_weeks": 12,
            "apply_pattern": True,
        },
    )
    code = created.json()["enrolment_code"]
    token = httpx.post(f"{demo.url}/v1/auth/enrol", json={"code": code}, timeout=10).json()["access_token"]
    pid = created.json()["id"]
    first = demo.schedule(pid)[0]
    _, cursor = sync_all(demo, token)
    marked = httpx.put(
        f"{demo.url}/v1/staff/schedule/{first['id']}/attendance",
        json={"status": "attended"},
        headers=staff,
        timeout=10,
    )
    assert marked.status_code == 200
    changes, cursor = sync_all(demo, token, cursor)
    assert latest(changes)[("attendance", first["id"])]["data"] == {
        "schedule_item_id": first["id"],
        "status": "attended",
    }
    # Staff read it back on the schedule (the console's week and caseload show it); unmarked: null.
    shown = {i["id"]: i["attendance"] for i in demo.schedule(pid)}
    assert shown[first["id"]] == "attended"
    assert {v for k, v in shown.items() if k != first["id"]} == {None}
    assert (
        httpx.post(f"{demo.url}/v1/staff/patients/{pid}/discharge", headers=staff, timeout=30).status_code
        == 204
    )
    changes, _ = sync_all(demo, token, cursor)
    gone = {(c["type"], c["id"]) for c in changes if c["deleted"]}
    assert ("enrolment", pid) in gone
    future = [
        i for i in demo.schedule(pid) if datetime.fromisoformat(i["starts_at"]) > datetime.now().astimezone()
    ]
    assert not future  # nothing still to come
    assert len([t for t, _ in gone if t == "schedule_item"]) > 0


def test_the_clinics_assignment_templates_come_from_its_data(demo: ClinicServer) -> None:
    answer = httpx.get(
        f"{demo.url}/v1/staff/assignment-templates", headers=auth(demo.staff_token()), timeout=10
    )
    assert answer.status_code == 200
    templates = answer.json()
    assert [t["title"] for t in templates] == [
        "Trigger log",
        "Decisional balance",
        "Relapse-prevention plan",
        "Gratitude list",
    ]
    assert all(t["id"] and t["modality"] and t["instructions"].strip() for t in templates)
    assert len({t["id"] for t in templates}) == len(templates)
