"""The authorization matrix: every endpoint × every role gets exactly what it may, nothing else."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from tests.clinic.conftest import ServerFactory
from tests.clinic.device_keys import DeviceKey, StreamReader, sign_in_with_key, signed_alert
from tests.clinic.helpers import auth, mutate, mutation, raise_alert, sync_all
from tests.clinic.test_sharing import share, signup
from tests.support.clinic_server import REPO, ClinicServer

ROLES = [
    "patient_a",
    "patient_b",
    "family_times",
    "family_details",
    "family_sessions",
    "family_revoked",
    "family_expired",
    "staff_a",
    "staff_other",
    "no_token",
    "expired_token",
    "revoked_device",
]
PATIENT, FAMILY = {"patient_a", "patient_b"}, {"family_times", "family_details", "family_sessions"}
ENDED = {"family_revoked", "family_expired"}
STAFF = {"staff_a", "staff_other"}
UNAUTHENTICATED = {
    "no_token": "auth.token_missing",
    "expired_token": "auth.token_expired",
    "revoked_device": "auth.device_revoked",
}


@dataclass
class World:
    server: ClinicServer
    expiring: ClinicServer
    tokens: dict[str, str | None] = field(default_factory=dict)
    ids: dict[str, str] = field(default_factory=dict)


def _admin(server: ClinicServer, *args: str) -> str:
    db = ["--database-url", server.database_url] if server.database_url else ["--db", str(server.db_path)]
    cmd = [sys.executable, "-m", "clinic", "admin", *db, *args]
    return subprocess.run(
        cmd, cwd=REPO, check=True, capture_output=True, text=True, timeout=60
    ).stdout.strip()


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, new_server: ServerFactory) -> Iterator[World]:
    with (
        new_server(tmp_path_factory.mktemp("matrix")) as server,
        new_server(tmp_path_factory.mktemp("expiring"), extra_args=["--access-ttl-seconds", "1"]) as expiring,
    ):
        w = World(server, expiring)
        other_clinic = _admin(server, "create-clinic", "Other Recovery", "--phone", "+1-413-555-0199")
        _admin(
            server,
            "create-staff",
            "--clinic-id",
            other_clinic,
            "--username",
            "other-staff",
            "--password",
            "other-staff-pass",
            "--display-name",
            "Olive Other",
        )
        alex = server.patient_token()
        morgan = server.patient_token("morgan", "waypoint-demo-2")
        w.tokens.update(patient_a=alex, patient_b=morgan, staff_a=server.staff_token(), no_token=None)
        w.tokens["staff_other"] = server.sign_in("other-staff", "other-staff-pass")["access_token"]
        for role, scope in (
            ("family_times", "times"),
            ("family_details", "details"),
            ("family_sessions", "family_sessions"),
            ("family_revoked", "times"),
        ):
            created = share(server, alex, scope)
            w.tokens[role] = signup(server, created["invitation_code"], role.replace("_", "-")).json()[
                "access_token"
            ]
            w.ids[f"share_{role}"] = created["share"]["id"]
        expiring_share = share(server, alex, expires_in=timedelta(seconds=2))
        w.tokens["family_expired"] = signup(server, expiring_share["invitation_code"], "fam-exp").json()[
            "access_token"
        ]
        httpx.delete(
            f"{server.url}/v1/shares/{w.ids['share_family_revoked']}", headers=auth(alex), timeout=10
        )
        w.ids["pending_share"] = share(server, alex)["share"]["id"]
        for name in ("feed", "doomed_feed"):
            feed = httpx.post(f"{server.url}/v1/calendar-feeds", json={}, headers=auth(alex), timeout=10)
            w.ids[name] = feed.json()["id"]
        pid = server.patient_id("alex")
        w.ids["patient"] = pid
        w.ids["item"] = next(i["id"] for i in server.schedule(pid) if i["kind"] == "lunch")
        w.ids["assignment"] = server.assignments(pid)[0]["id"]
        created = httpx.post(
            f"{server.url}/v1/staff/patients",
            json={"display_name": "Dee", "start_date": "2026-01-05"},
            headers=auth(w.tokens["staff_a"] or ""),
            timeout=10,
        )
        w.ids["leaving"] = created.json()["id"]
        w.ids["alert"] = str(uuid.uuid4())
        raise_alert(server, alex, w.ids["alert"])
        _check_in_with_a_flag(w, alex)
        spare = server.sign_in("alex", "waypoint-demo", device_name="spare")
        revoked = server.sign_in("alex", "waypoint-demo", device_name="lost phone")
        devices = httpx.get(
            f"{server.url}/v1/staff/patients/{pid}/devices",
            headers=auth(w.tokens["staff_a"] or ""),
            timeout=10,
        ).json()
        by_name = {d["name"]: d["id"] for d in devices}
        w.ids["spare_device"] = by_name["spare"]
        httpx.post(
            f"{server.url}/v1/staff/devices/{by_name['lost phone']}/revoke",
            headers=auth(w.tokens["staff_a"] or ""),
            timeout=10,
        )
        w.tokens["revoked_device"] = revoked["access_token"]
        assert spare["access_token"]
        w.tokens["expired_token"] = expiring.patient_token()
        time.sleep(2.2)  # the expiring token and the 2-second share both run out
        yield w


CHECKIN_NOTE = "A hard evening; please call me"


def _check_in_with_a_flag(w: World, alex: str) -> None:
    """Alex's daily check-in (after the shares were accepted) raising a flag: ids in w.ids."""
    changes, _ = sync_all(w.server, alex)
    daily = next(c for c in changes if c["type"] == "questionnaire" and c["data"]["key"] == "daily")
    answers = {"craving": 9, "mood": 3, "confidence": 4, "used": False, "contact": True, "note": CHECKIN_NOTE}
    payload = {
        "checkin_id": str(uuid.uuid4()),
        "questionnaire_id": daily["id"],
        "period": datetime.now(UTC).date().isoformat(),  # within the clinic's day ± 1
        "answered_at": datetime.now(UTC).isoformat(),
        "answers": answers,
    }
    (result,) = mutate(w.server, alex, mutation("checkin.submit", payload))
    assert result["status"] == "applied", result
    w.ids.update(questionnaire=daily["id"], checkin=result["change"]["id"])
    flags = httpx.get(f"{w.server.url}/v1/staff/flags", headers=auth(w.tokens["staff_a"] or ""), timeout=10)
    w.ids["flag"] = next(f["id"] for f in flags.json() if f["checkin_id"] == w.ids["checkin"])


def _soon(hours: int = 0) -> str:
    return (datetime.now(UTC) + timedelta(days=2, hours=hours)).isoformat()


Rules = dict[str, int | tuple[int, str]]  # role or group → status, or (status, problem code)


def endpoints(ids: dict[str, str]) -> dict[str, tuple[str, str, Any, Rules]]:
    """name → (method, path, json body, expected status per role group)."""
    pid = ids["patient"]
    staff_a_only: Rules = {"staff_a": 0, "staff_other": 404}
    feed_needs_share: tuple[int, str] = (400, "feed.share_id_required")
    no_share: tuple[int, str] = (400, "feed.share_id_not_allowed")
    later = _soon()
    return {
        "sync": ("GET", "/v1/sync", None, {"patient_a": 200, "patient_b": 200, "family": 200, "ended": 403}),
        "mutations": (
            "POST",
            "/v1/mutations",
            {
                "mutations": [
                    {
                        "id": "m-" + uuid.uuid4().hex,
                        "type": "rsvp.set",
                        "payload": {"schedule_item_id": ids["item"], "response": "going"},
                    }
                ]
            },
            {"patient_a": 200, "patient_b": 200},
        ),
        "raise_alert": (
            "POST",
            "/v1/support-alerts",
            {"created_at": datetime.now(UTC).isoformat()},
            {"patient_a": 201, "patient_b": 201},
        ),
        "device_key": (
            "PUT",
            "/v1/devices/current/key",
            {"device_key": DeviceKey().public},
            {"patient_a": 204, "patient_b": 204},
        ),
        "create_share": (
            "POST",
            "/v1/shares",
            {"recipient_name": "X", "relationship": "friend", "purpose": "rides", "expires_at": later},
            {"patient_a": 201, "patient_b": 201},
        ),
        "list_shares": ("GET", "/v1/shares", None, {"patient_a": 200, "patient_b": 200}),
        "revoke_share": (
            "DELETE",
            f"/v1/shares/{ids['pending_share']}",
            None,
            {"patient_a": 204, "patient_b": 404},
        ),
        "accept": (
            "POST",
            "/v1/family/invitations/accept",
            {"invitation_code": "AAA-BBB-CCC"},
            {"family": 400, "ended": 400},
        ),
        "staff_patients": ("GET", "/v1/staff/patients", None, {"staff_a": 200, "staff_other": 200}),
        "create_patient": (
            "POST",
            "/v1/staff/patients",
            {"display_name": "New", "start_date": "2026-01-05"},
            {"staff_a": 201, "staff_other": 201},
        ),
        "enrolment_code": (
            "POST",
            f"/v1/staff/patients/{pid}/enrolment-codes",
            None,
            {**staff_a_only, "staff_a": 201},
        ),
        "devices": ("GET", f"/v1/staff/patients/{pid}/devices", None, {**staff_a_only, "staff_a": 200}),
        "revoke_device": (
            "POST",
            f"/v1/staff/devices/{ids['spare_device']}/revoke",
            None,
            {**staff_a_only, "staff_a": 204},
        ),
        "schedule": ("GET", f"/v1/staff/patients/{pid}/schedule", None, {**staff_a_only, "staff_a": 200}),
        "add_item": (
            "POST",
            f"/v1/staff/patients/{pid}/schedule",
            {"kind": "activity", "title": "Walk", "starts_at": later, "ends_at": _soon(hours=1)},
            {**staff_a_only, "staff_a": 201},
        ),
        "change_item": (
            "PATCH",
            f"/v1/staff/schedule/{ids['item']}",
            {"note": "Bring a water bottle"},
            {**staff_a_only, "staff_a": 200},
        ),
        "pattern": (
            "POST",
            f"/v1/staff/patients/{pid}/schedule/pattern",
            {"weeks": 1, "start_date": "2027-01-04"},
            {**staff_a_only, "staff_a": 201},
        ),
        "attendance": (
            "PUT",
            f"/v1/staff/schedule/{ids['item']}/attendance",
            {"status": "attended"},
            {**staff_a_only, "staff_a": 200},
        ),
        "discharge": (
            "POST",
            f"/v1/staff/patients/{ids['leaving']}/discharge",
            None,
            {**staff_a_only, "staff_a": 204},
        ),
        "assignments": (
            "GET",
            f"/v1/staff/patients/{pid}/assignments",
            None,
            {**staff_a_only, "staff_a": 200},
        ),
        "add_assignment": (
            "POST",
            f"/v1/staff/patients/{pid}/assignments",
            {"title": "T", "modality": "CBT"},
            {**staff_a_only, "staff_a": 201},
        ),
        "feedback": (
            "POST",
            f"/v1/staff/assignments/{ids['assignment']}/feedback",
            {"feedback": "Nice"},
            {**staff_a_only, "staff_a": 200},
        ),
        "rsvps": ("GET", f"/v1/staff/patients/{pid}/rsvps", None, {**staff_a_only, "staff_a": 200}),
        # Clinic data, no patient's: each clinic's staff read their own clinic's templates.
        "assignment_templates": (
            "GET",
            "/v1/staff/assignment-templates",
            None,
            {"staff_a": 200, "staff_other": 200},
        ),
        "alerts": ("GET", "/v1/staff/support-alerts", None, {"staff_a": 200, "staff_other": 200}),
        "ack": (
            "POST",
            f"/v1/staff/support-alerts/{ids['alert']}/ack",
            {"outcome": "safe", "note": "Called"},  # as the staff console sends it
            {**staff_a_only, "staff_a": 200},
        ),
        "stream": ("GET", "/v1/staff/support-alerts/stream", None, {"staff_a": 200, "staff_other": 200}),
        "live_stream": (
            "GET",
            "/v1/stream",
            None,
            {"patient_a": 200, "patient_b": 200, "family": 200, "ended": 403},
        ),
        "audit": ("GET", "/v1/staff/audit", None, {"staff_a": 200, "staff_other": 200}),
        "flags": ("GET", "/v1/staff/flags", None, {"staff_a": 200, "staff_other": 200}),
        "flag_ack": (
            "POST",
            f"/v1/staff/flags/{ids['flag']}/ack",
            {"note": "Called back"},
            {**staff_a_only, "staff_a": 200},
        ),
        "checkins": ("GET", f"/v1/staff/patients/{pid}/checkins", None, {**staff_a_only, "staff_a": 200}),
        "trends": ("GET", f"/v1/staff/patients/{pid}/trends", None, {**staff_a_only, "staff_a": 200}),
        # Calendar feeds: a patient's own (no share_id), a family member's of one of their live shares.
        "create_feed": (
            "POST",
            "/v1/calendar-feeds",
            {"titles": "neutral"},
            {"patient_a": 201, "patient_b": 201, **dict.fromkeys(("family", "ended"), feed_needs_share)},
        ),
        "create_family_feed": (
            "POST",
            "/v1/calendar-feeds",
            {"share_id": ids["share_family_times"]},
            {
                **dict.fromkeys(("patient_a", "patient_b"), no_share),
                "family_times": 201,
                "family": 404,
                "ended": 404,
            },
        ),
        "list_feeds": (
            "GET",
            "/v1/calendar-feeds",
            None,
            {"patient_a": 200, "patient_b": 200, "family": 200, "ended": 200},
        ),
        "update_feed": (
            "PATCH",
            f"/v1/calendar-feeds/{ids['feed']}",
            {"alarm": "1h"},
            {"patient_a": 200, "patient_b": 404, "family": 404, "ended": 404},
        ),
        "revoke_feed": (
            "DELETE",
            f"/v1/calendar-feeds/{ids['doomed_feed']}",
            None,
            {"patient_a": 204, "patient_b": 404, "family": 404, "ended": 404},
        ),
        "download_feed": (
            "POST",
            "/v1/calendar-feeds/download",
            {},
            {"patient_a": 201, "patient_b": 201, **dict.fromkeys(("family", "ended"), feed_needs_share)},
        ),
    }


def expected(rules: Rules, role: str) -> tuple[int, str | None]:
    if role in UNAUTHENTICATED:
        return 401, UNAUTHENTICATED[role]
    for key in (role, "family" if role in FAMILY else "", "ended" if role in ENDED else ""):
        if key in rules:
            rule = rules[key]
            if isinstance(rule, tuple):
                return rule
            status = rule
            code = {404: "not_found", 400: "auth.code_invalid"}.get(status)
            if status == 403:
                code = "share.revoked" if role == "family_revoked" else "share.expired"
            return status, code
    return 403, "auth.forbidden"


ENDPOINT_NAMES = list(
    endpoints(
        {
            k: "x"
            for k in (
                "patient",
                "item",
                "assignment",
                "alert",
                "pending_share",
                "spare_device",
                "leaving",
                "flag",
                "feed",
                "doomed_feed",
                "share_family_times",
            )
        }
    )
)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", ENDPOINT_NAMES)
def test_matrix(world: World, name: str, role: str) -> None:
    method, path, body, rules = endpoints(world.ids)[name]
    token = world.tokens[role]
    server = world.expiring if role == "expired_token" else world.server
    headers = auth(token) if token else {}
    if name == "raise_alert":
        headers["Idempotency-Key"] = str(uuid.uuid4())
    status, code = expected(rules, role)
    if name in ("stream", "live_stream"):
        with httpx.stream(method, f"{server.url}{path}", headers=headers, timeout=10) as response:
            assert response.status_code == status
            if status != 200:
                response.read()
                assert response.json()["code"] == code
        return
    response = httpx.request(method, f"{server.url}{path}", json=body, headers=headers, timeout=30)
    assert response.status_code == status, response.text
    if status >= 400:
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["code"] == code
    if status == 401:  # RFC 6750: a missing token gets the challenge alone, a bad one error="invalid_token"
        challenge = response.headers["WWW-Authenticate"]
        assert challenge.startswith('Bearer realm="waypoint"')
        assert ('error="invalid_token"' in challenge) == (role != "no_token")
    if role in ("patient_b", "staff_other") and response.content:
        assert world.ids["patient"] not in response.text
        assert "Alex Rivera" not in response.text
    if name == "mutations" and role == "patient_b":
        assert response.json()["results"][0]["status"] == "rejected"
    if name == "mutations" and role == "patient_a":
        assert response.json()["results"][0]["status"] == "applied"


@pytest.mark.parametrize("role", sorted(FAMILY | ENDED))
def test_no_family_sync_page_carries_check_ins_questionnaires_or_flags(world: World, role: str) -> None:
    """42 CFR Part 2: a patient's check-ins never reach family, whatever the share's scope or cursor."""
    token = world.tokens[role] or ""
    pages: list[str] = []
    cursor: str | None = None
    for _ in range(100):
        params: dict[str, Any] = {"limit": 5, **({"cursor": cursor} if cursor else {})}
        response = httpx.get(f"{world.server.url}/v1/sync", params=params, headers=auth(token), timeout=10)
        pages.append(response.text)
        if response.status_code != 200 or not response.json()["has_more"]:
            break
        cursor = response.json()["cursor"]
    seen = "".join(pages)
    for secret in (world.ids["checkin"], world.ids["questionnaire"], world.ids["flag"], CHECKIN_NOTE):
        assert secret not in seen
    for word in ('"checkin"', '"questionnaire"', '"flag"', "craving", "PHQ-2"):
        assert word not in seen
    if role in FAMILY:
        types = {c["type"] for page in pages for c in json.loads(page)["changes"]}
        assert types <= {"shared_patient", "schedule_item"}


def test_the_check_in_reached_its_patient_and_the_flag_its_clinic(world: World) -> None:
    """The control for the test above: the data exists and is where it belongs."""
    alex = world.tokens["patient_a"] or ""
    changes, _ = sync_all(world.server, alex)
    mine = {c["id"]: c for c in changes if c["type"] == "checkin"}
    assert mine[world.ids["checkin"]]["data"]["answers"]["note"] == CHECKIN_NOTE
    flags = httpx.get(
        f"{world.server.url}/v1/staff/flags", headers=auth(world.tokens["staff_a"] or ""), timeout=10
    )
    assert world.ids["flag"] in {f["id"] for f in flags.json()}


# -- open streams: a stream ends within 5 s of its credential lapsing, and sends nothing after ---


def _staff_session(server: ClinicServer, device_name: str) -> dict[str, Any]:
    return server.sign_in("staff", "waypoint-staff", device_name=device_name)


def _assert_lapsed(stream: StreamReader, lapsed_at: float, code: str, after_lapse: str) -> None:
    assert stream.wait_end(8), "the stream outlived its credential"
    assert stream.ended_at is not None
    assert stream.ended_at - lapsed_at < 5.0
    final = stream.events[-1]
    assert final["event"] == "auth_lapsed"
    assert final["data"]["code"] == code
    assert final["data"]["status"] == 401
    assert all(e["event"] in {"support_alert", "flag"} for e in stream.events[:-1])
    assert after_lapse not in {e["data"].get("id") for e in stream.events}


def test_stream_closes_when_its_token_is_logged_out(world: World) -> None:
    server = world.server
    session = _staff_session(server, "console-logout")
    stream = StreamReader(server.url, session["access_token"]).start()
    try:
        assert stream.status == 200
        out = httpx.post(f"{server.url}/v1/auth/logout", headers=auth(session["access_token"]), timeout=10)
        assert out.status_code == 204
        lapsed_at = time.monotonic()
        later = str(uuid.uuid4())
        assert raise_alert(server, world.tokens["patient_a"] or "", later).status_code == 201
        _assert_lapsed(stream, lapsed_at, "auth.device_revoked", later)
    finally:
        stream.close()


def test_stream_closes_when_its_token_expires(world: World) -> None:
    server = world.expiring  # access tokens live 1 s
    session = _staff_session(server, "console-expiry")
    lapsed_at = time.monotonic() + session["expires_in"]
    stream = StreamReader(server.url, session["access_token"]).start()
    try:
        assert stream.status == 200
        while time.monotonic() < lapsed_at + 0.2:
            time.sleep(0.05)
        later = str(uuid.uuid4())
        assert raise_alert(server, server.patient_token(), later).status_code == 201
        _assert_lapsed(stream, lapsed_at, "auth.token_expired", later)
    finally:
        stream.close()


def test_stream_closes_when_its_device_is_revoked_by_staff(world: World) -> None:
    server = world.server
    console = _staff_session(server, "console-revoked")
    admin = _staff_session(server, "admin-desk")
    stream = StreamReader(server.url, console["access_token"]).start()
    try:
        assert stream.status == 200
        revoked = httpx.post(
            f"{server.url}/v1/staff/devices/{console['device_id']}/revoke",
            headers=auth(admin["access_token"]),
            timeout=10,
        )
        assert revoked.status_code == 204
        lapsed_at = time.monotonic()
        later = str(uuid.uuid4())
        assert raise_alert(server, world.tokens["patient_a"] or "", later).status_code == 201
        _assert_lapsed(stream, lapsed_at, "auth.device_revoked", later)
    finally:
        stream.close()


def test_a_live_stream_keeps_delivering_while_its_credential_holds(world: World) -> None:
    server = world.server
    session = _staff_session(server, "console-live")
    stream = StreamReader(server.url, session["access_token"]).start()
    try:
        time.sleep(2.5)  # longer than the re-check interval: a valid credential is not cut off
        alert_id = str(uuid.uuid4())
        assert raise_alert(server, world.tokens["patient_a"] or "", alert_id).status_code == 201
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and alert_id not in {e["data"].get("id") for e in stream.events}:
            time.sleep(0.05)
        assert alert_id in {e["data"].get("id") for e in stream.events}
        assert stream.ended_at is None
    finally:
        stream.close()


# -- device-signed support alerts × every role ---------------------------------------------------


@pytest.fixture(scope="module")
def keyed(world: World) -> dict[str, tuple[DeviceKey, str]]:
    """A keyed device of patient alex on each server: server url → (key, device id)."""
    found = {}
    for server in (world.server, world.expiring):
        key = DeviceKey()
        found[server.url] = (key, sign_in_with_key(server, "alex", "waypoint-demo", key)["device_id"])
    return found


@pytest.mark.parametrize("role", ROLES)
def test_signed_alert_matrix(world: World, keyed: dict[str, tuple[DeviceKey, str]], role: str) -> None:
    """A patient's bearer wins; other roles stay refused; lapsed credentials fall back to the signature."""
    server = world.expiring if role == "expired_token" else world.server
    key, device_id = keyed[server.url]
    alert_id = str(uuid.uuid4())
    response = signed_alert(server, key, device_id, alert_id=alert_id, token=world.tokens[role])
    if role in PATIENT:
        want: tuple[int, str | None] = (201, "session")
    elif role in UNAUTHENTICATED:
        want = (201, "device_key")
    else:
        want = (403, None)
    assert response.status_code == want[0], response.text
    if want[1] is None:
        assert response.json()["code"] == "auth.forbidden"
        return
    view = next(a for a in server.support_alerts() if a["id"] == alert_id)
    assert view["authenticated_by"] == want[1]
    assert view["session_state"] == ("active" if want[1] == "session" else "expired")
    assert view["patient_name"] == ("Morgan Blake" if role == "patient_b" else "Alex Rivera")
