"""Device-signed support alerts: accepted when the session has lapsed, refused when anything is forged."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from tests.clinic.device_keys import (
    DeviceKey,
    alert_body,
    sign_in_with_key,
    signed_alert,
    stamp,
)
from tests.clinic.helpers import auth, raise_alert
from tests.clinic.test_sharing import share, signup
from tests.support.clinic_server import ClinicServer


def staff_alert(server: ClinicServer, alert_id: str) -> dict[str, Any]:
    return next(a for a in server.support_alerts() if a["id"] == alert_id)


def put_key(server: ClinicServer, token: str, key: str) -> httpx.Response:
    return httpx.put(
        f"{server.url}/v1/devices/current/key", json={"device_key": key}, headers=auth(token), timeout=10
    )


def test_sign_in_answers_the_device_id_and_registers_the_key(demo: ClinicServer) -> None:
    key = DeviceKey()
    tokens = sign_in_with_key(demo, "alex", "waypoint-demo", key)
    assert tokens["device_id"]
    devices = {
        d["id"]
        for d in httpx.get(
            f"{demo.url}/v1/staff/patients/{demo.patient_id('alex')}/devices",
            headers=auth(demo.staff_token()),
            timeout=10,
        ).json()
    }
    assert tokens["device_id"] in devices
    # the key is registered: the same key again is fine, another one is a conflict
    assert put_key(demo, tokens["access_token"], key.public).status_code == 204
    other = put_key(demo, tokens["access_token"], DeviceKey().public)
    assert (other.status_code, other.json()["code"]) == (409, "device.key_exists")


def test_enrolment_registers_a_key_too(demo: ClinicServer) -> None:
    key = DeviceKey()
    body = {"code": demo.enrolment_code("alex"), "device_name": "new phone", "device_key": key.public}
    tokens = httpx.post(f"{demo.url}/v1/auth/enrol", json=body, timeout=10).json()
    httpx.post(f"{demo.url}/v1/auth/logout", headers=auth(tokens["access_token"]), timeout=10)
    response = signed_alert(demo, key, tokens["device_id"])
    assert response.status_code == 201, response.text


@pytest.mark.parametrize(
    "key",
    [
        "short",
        "A" * 44,
        "A" * 42 + "B",
        "!" * 43,
        "A" * 42 + "=",
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\u00e9",
    ],
)
def test_a_malformed_device_key_is_a_400(demo: ClinicServer, key: str) -> None:
    body = {"username": "alex", "password": "waypoint-demo", "device_name": "x", "device_key": key}
    response = httpx.post(f"{demo.url}/v1/auth/token", json=body, timeout=10)
    assert (response.status_code, response.json()["code"]) == (400, "request.invalid")
    tokens = demo.sign_in("alex", "waypoint-demo")
    put = put_key(demo, tokens["access_token"], key)
    assert (put.status_code, put.json()["code"]) == (400, "request.invalid")


def test_a_device_signed_in_before_keys_registers_one_later(demo: ClinicServer) -> None:
    tokens = demo.sign_in("alex", "waypoint-demo", device_name="old install")
    key = DeviceKey()
    assert put_key(demo, tokens["access_token"], key.public).status_code == 204
    httpx.post(f"{demo.url}/v1/auth/logout", headers=auth(tokens["access_token"]), timeout=10)
    assert signed_alert(demo, key, tokens["device_id"]).status_code == 201


def test_only_patients_register_device_keys(demo: ClinicServer) -> None:
    staff = put_key(demo, demo.staff_token(), DeviceKey().public)
    assert (staff.status_code, staff.json()["code"]) == (403, "auth.forbidden")


def test_a_valid_session_is_session_authenticated(demo: ClinicServer) -> None:
    key = DeviceKey()
    tokens = sign_in_with_key(demo, "alex", "waypoint-demo", key)
    alert_id = str(uuid.uuid4())
    response = signed_alert(demo, key, tokens["device_id"], alert_id=alert_id, token=tokens["access_token"])
    assert response.status_code == 201
    plain = str(uuid.uuid4())
    assert raise_alert(demo, tokens["access_token"], plain).status_code == 201
    for ident in (alert_id, plain):
        view = staff_alert(demo, ident)
        assert (view["authenticated_by"], view["session_state"]) == ("session", "active")


def test_a_signed_alert_from_a_revoked_device_is_accepted_and_marked_revoked(demo: ClinicServer) -> None:
    key = DeviceKey()
    tokens = sign_in_with_key(demo, "alex", "waypoint-demo", key, device_name="stolen?")
    revoked = httpx.post(
        f"{demo.url}/v1/staff/devices/{tokens['device_id']}/revoke",
        headers=auth(demo.staff_token()),
        timeout=10,
    )
    assert revoked.status_code == 204
    alert_id = str(uuid.uuid4())
    body = alert_body()
    first = signed_alert(
        demo, key, tokens["device_id"], alert_id=alert_id, token=tokens["access_token"], body=body
    )
    assert first.status_code == 201, first.text
    again = signed_alert(demo, key, tokens["device_id"], alert_id=alert_id, body=body)
    assert (again.status_code, again.json()) == (200, first.json())
    view = staff_alert(demo, alert_id)
    assert (view["authenticated_by"], view["session_state"]) == ("device_key", "revoked")
    assert view["patient_name"] == "Alex Rivera"
    actions = demo.audit_actions(demo.patient_id("alex"))
    assert actions["support_alert.raise.device_key.revoked"] >= 1


def test_a_signed_alert_without_a_token_is_accepted_as_expired(demo: ClinicServer) -> None:
    key = DeviceKey()
    tokens = sign_in_with_key(demo, "morgan", "waypoint-demo-2", key)
    for token in (None, "not-a-token"):
        alert_id = str(uuid.uuid4())
        response = signed_alert(demo, key, tokens["device_id"], alert_id=alert_id, token=token)
        assert response.status_code == 201, response.text
        view = staff_alert(demo, alert_id)
        assert (view["authenticated_by"], view["session_state"], view["patient_name"]) == (
            "device_key",
            "expired",
            "Morgan Blake",
        )


def test_a_signed_alert_with_an_expired_token_is_accepted_as_expired(tmp_path: Any, new_server: Any) -> None:
    with new_server(tmp_path, extra_args=["--access-ttl-seconds", "1"]) as server:
        key = DeviceKey()
        tokens = sign_in_with_key(server, "alex", "waypoint-demo", key)
        deadline = datetime.now(UTC) + timedelta(seconds=10)
        while (
            httpx.get(f"{server.url}/v1/sync", headers=auth(tokens["access_token"]), timeout=10).status_code
            == 200
        ):
            assert datetime.now(UTC) < deadline
        alert_id = str(uuid.uuid4())
        response = signed_alert(
            server, key, tokens["device_id"], alert_id=alert_id, token=tokens["access_token"]
        )
        assert response.status_code == 201, response.text
        view = staff_alert(server, alert_id)
        assert (view["authenticated_by"], view["session_state"]) == ("device_key", "expired")


FORGERIES: dict[str, tuple[dict[str, Any], str]] = {
    "bad_signature": ({"signed_id": "another-id"}, "auth.token_missing"),
    "wrong_body": ({"signed_body": b'{"created_at": "2020-01-01T00:00:00Z"}'}, "auth.token_missing"),
    "stale": ({"signed_at": timedelta(minutes=-11)}, "auth.signature_invalid"),
    "future": ({"signed_at": timedelta(minutes=11)}, "auth.signature_invalid"),
    "bad_time": ({"signed_at": "yesterday"}, "auth.token_missing"),
}


@pytest.mark.parametrize("case", list(FORGERIES))
def test_a_forged_or_stale_signature_is_refused(demo: ClinicServer, case: str) -> None:
    key = DeviceKey()
    tokens = sign_in_with_key(demo, "alex", "waypoint-demo", key)
    overrides, code = FORGERIES[case]
    if isinstance(offset := overrides.get("signed_at"), timedelta):
        overrides = {"signed_at": stamp(datetime.now(UTC) + offset)}
    alert_id = str(uuid.uuid4())
    response = signed_alert(demo, key, tokens["device_id"], alert_id=alert_id, **overrides)
    assert (response.status_code, response.json()["code"]) == (401, code)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert alert_id not in {a["id"] for a in demo.support_alerts()}


def test_another_devices_id_unknown_device_and_family_device_are_refused(demo: ClinicServer) -> None:
    mine, theirs = DeviceKey(), DeviceKey()
    alex = sign_in_with_key(demo, "alex", "waypoint-demo", mine)
    morgan = sign_in_with_key(demo, "morgan", "waypoint-demo-2", theirs)
    # signed with alex's key but claiming morgan's device
    other = signed_alert(demo, mine, morgan["device_id"])
    assert (other.status_code, other.json()["code"]) == (401, "auth.token_missing")
    unknown = signed_alert(demo, mine, str(uuid.uuid4()))
    assert (unknown.status_code, unknown.json()["code"]) == (401, "auth.token_missing")
    # an expired bearer keeps its own code when the signature fails
    revoked = signed_alert(demo, mine, morgan["device_id"], token="not-a-token")
    assert revoked.json()["code"] == "auth.token_invalid"
    # a family member's device (which cannot even register a key) is never a patient's
    created = share(demo, alex["access_token"])
    family = signup(demo, created["invitation_code"], "fam-" + uuid.uuid4().hex[:8]).json()
    assert "device_id" in family
    put = put_key(demo, family["access_token"], DeviceKey().public)
    assert put.status_code == 403
    forged = signed_alert(demo, mine, family["device_id"])
    assert (forged.status_code, forged.json()["code"]) == (401, "auth.token_missing")


def test_a_replayed_signed_alert_is_the_same_alert(demo: ClinicServer) -> None:
    key = DeviceKey()
    tokens = sign_in_with_key(demo, "alex", "waypoint-demo", key)
    httpx.post(f"{demo.url}/v1/auth/logout", headers=auth(tokens["access_token"]), timeout=10)
    alert_id, body, when = str(uuid.uuid4()), alert_body(), stamp()
    responses = [
        signed_alert(demo, key, tokens["device_id"], alert_id=alert_id, body=body, signed_at=when)
        for _ in range(3)
    ]
    assert [r.status_code for r in responses] == [201, 200, 200]
    assert [a["id"] for a in demo.support_alerts()].count(alert_id) == 1


def test_openapi_describes_device_keys_signed_alerts_and_their_fields(demo: ClinicServer) -> None:
    spec = httpx.get(f"{demo.url}/openapi.json", timeout=10).json()
    put = spec["paths"]["/v1/devices/current/key"]["put"]
    assert {"204", "401", "403", "409"} <= set(put["responses"])
    alert = spec["paths"]["/v1/support-alerts"]["post"]
    names = {p["name"] for p in alert["parameters"]}
    assert {"Idempotency-Key", "Waypoint-Device-Id", "Waypoint-Signed-At", "Waypoint-Signature"} <= names
    assert "WWW-Authenticate" in alert["responses"]["401"]["headers"]
    schemas = spec["components"]["schemas"]
    assert {"authenticated_by", "session_state"} <= set(schemas["StaffAlert"]["required"])
    assert "device_id" in schemas["TokenResponse"]["required"]
    assert "device_key" in schemas["TokenRequest"]["properties"]
    assert "device_key" in schemas["EnrolRequest"]["properties"]
    stream = spec["paths"]["/v1/staff/support-alerts/stream"]["get"]["responses"]["200"]
    assert "auth_lapsed" in stream["description"]
