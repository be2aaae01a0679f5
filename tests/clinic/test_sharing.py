"""Sharing as consent: invitation, family signup, scoped schedule, notice, revocation, expiry, audit."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from tests.clinic.helpers import auth, latest, sync_all, sync_page
from tests.support.clinic_server import ClinicServer


def share(
    server: ClinicServer, token: str, scope: str = "times", expires_in: timedelta = timedelta(days=30)
) -> Any:
    body = {
        "recipient_name": "Pat Rivera",
        "relationship": "spouse",
        "scope": scope,
        "purpose": "Rides to sessions",
        "expires_at": (datetime.now(UTC) + expires_in).isoformat(),
    }
    response = httpx.post(f"{server.url}/v1/shares", json=body, headers=auth(token), timeout=10)
    assert response.status_code == 201, response.text
    return response.json()


def signup(server: ClinicServer, code: str, username: str) -> httpx.Response:
    body = {
        "invitation_code": code,
        "username": username,
        "password": "family-pass-1",
        "display_name": "Pat",
        "device_name": "Pat's phone",
    }
    return httpx.post(f"{server.url}/v1/family/signup", json=body, timeout=10)


def test_times_scope_discloses_only_dates_and_times(demo: ClinicServer) -> None:
    patient = demo.patient_token()
    created = share(demo, patient)
    assert created["share"]["data"]["status"] == "pending"
    response = signup(demo, created["invitation_code"], "pat-times")
    assert response.status_code == 201
    tokens = response.json()
    assert tokens["role"] == "family"
    changes, _ = sync_all(demo, tokens["access_token"])
    state = latest(changes)
    (shared,) = [c["data"] for (t, _), c in state.items() if t == "shared_patient"]
    assert shared["patient_display_name"] == "Alex Rivera"
    assert "42 CFR part 2" in shared["notice"]
    items = [c["data"] for (t, _), c in state.items() if t == "schedule_item"]
    assert items
    assert {i["kind"] for i in items} == {"session"}
    assert all(i["title"] is None and i["location"] is None and i["staff_name"] is None for i in items)
    assert {t for t, _ in state} == {"shared_patient", "schedule_item"}
    staff_ids = {i["id"] for i in demo.schedule(demo.patient_id("alex")) if i["kind"] == "drug_test"}
    assert not staff_ids & {i for _, i in state}
    # the invitation is one-time
    assert signup(demo, created["invitation_code"], "pat-again").json()["code"] == "auth.code_used"
    # the patient sees the share as active
    shares = httpx.get(f"{demo.url}/v1/shares", headers=auth(patient), timeout=10).json()
    assert "active" in {s["data"]["status"] for s in shares}


def test_family_sessions_scope_and_details(demo: ClinicServer) -> None:
    patient = demo.patient_token()
    pid = demo.patient_id("alex")
    day = datetime.now(UTC) + timedelta(days=3)
    body = {
        "kind": "family_session",
        "title": "Family session",
        "starts_at": day.isoformat(),
        "ends_at": (day + timedelta(hours=1)).isoformat(),
        "location": "Room 1",
    }
    item = httpx.post(
        f"{demo.url}/v1/staff/patients/{pid}/schedule",
        json=body,
        headers=auth(demo.staff_token()),
        timeout=10,
    ).json()
    created = share(demo, patient, scope="family_sessions")
    family = signup(demo, created["invitation_code"], "pat-family").json()["access_token"]
    state = latest(sync_all(demo, family)[0])
    items = {i: c["data"] for (t, i), c in state.items() if t == "schedule_item"}
    assert list(items) == [item["id"]]
    assert items[item["id"]]["title"] == "Family session"
    assert items[item["id"]]["location"] == "Room 1"


def test_revocation_is_effective_on_the_next_request_and_audited(demo: ClinicServer) -> None:
    patient = demo.patient_token()
    created = share(demo, patient, scope="details")
    family = signup(demo, created["invitation_code"], "pat-revoked").json()["access_token"]
    changes, cursor = sync_all(demo, family)
    assert any(c["type"] == "schedule_item" and c["data"]["title"] for c in changes)
    share_id = created["share"]["id"]
    assert (
        httpx.delete(f"{demo.url}/v1/shares/{share_id}", headers=auth(patient), timeout=10).status_code == 204
    )
    response = sync_page(demo, family, cursor)
    assert (response.status_code, response.json()["code"]) == (403, "share.revoked")
    patient_view = latest(sync_all(demo, patient)[0])
    assert ("share", share_id) not in patient_view
    audit = httpx.get(
        f"{demo.url}/v1/staff/audit",
        params={"patient_id": demo.patient_id("alex")},
        headers=auth(demo.staff_token()),
        timeout=10,
    ).json()
    assert "family.sync" in {e["action"] for e in audit}
    assert "share.revoke" in {e["action"] for e in audit}


def test_expired_share_is_403_share_expired(demo: ClinicServer) -> None:
    created = share(demo, demo.patient_token(), expires_in=timedelta(seconds=3))
    family = signup(demo, created["invitation_code"], "pat-expiring").json()["access_token"]
    assert sync_page(demo, family).status_code == 200
    time.sleep(3.2)
    response = sync_page(demo, family)
    assert (response.status_code, response.json()["code"]) == (403, "share.expired")


def test_a_second_share_keeps_working_when_one_ends(demo: ClinicServer) -> None:
    alex_share = share(demo, demo.patient_token())
    morgan_share = share(demo, demo.patient_token("morgan", "waypoint-demo-2"))
    family = signup(demo, alex_share["invitation_code"], "pat-two").json()["access_token"]
    accepted = httpx.post(
        f"{demo.url}/v1/family/invitations/accept",
        json={"invitation_code": morgan_share["invitation_code"]},
        headers=auth(family),
        timeout=10,
    )
    assert accepted.status_code == 200
    assert accepted.json()["data"]["patient_display_name"] == "Morgan Blake"
    changes, cursor = sync_all(demo, family, limit=50)
    names = {c["data"]["patient_display_name"] for c in changes if c["type"] == "shared_patient"}
    assert names == {"Alex Rivera", "Morgan Blake"}
    httpx.delete(
        f"{demo.url}/v1/shares/{alex_share['share']['id']}", headers=auth(demo.patient_token()), timeout=10
    )
    later, _ = sync_all(demo, family, cursor)
    tombstones = {(c["type"], c["id"]) for c in later if c["deleted"]}
    assert ("shared_patient", alex_share["share"]["id"]) in tombstones
    alex_items = {
        c["id"]
        for c in changes
        if c["type"] == "schedule_item" and c["data"]["share_id"] == alex_share["share"]["id"]
    }
    assert alex_items <= {i for t, i in tombstones if t == "schedule_item"}
