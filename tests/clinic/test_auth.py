"""Sign-in, enrolment codes, refresh rotation with reuse detection, logout, rate limiting."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest

from tests.clinic.conftest import ServerFactory
from tests.clinic.helpers import auth, sync_page
from tests.support.clinic_server import ClinicServer


def post(server: ClinicServer, path: str, body: object, token: str | None = None) -> httpx.Response:
    return httpx.post(f"{server.url}{path}", json=body, headers=auth(token) if token else {}, timeout=10)


def test_password_sign_in_gives_short_lived_patient_tokens(demo: ClinicServer) -> None:
    tokens = demo.sign_in("alex", "waypoint-demo")
    assert tokens["role"] == "patient"
    assert tokens["display_name"] == "Alex Rivera"
    assert tokens["token_type"] == "bearer"
    assert 0 < tokens["expires_in"] <= 900
    assert sync_page(demo, tokens["access_token"]).status_code == 200


def test_wrong_password_is_401_invalid_credentials(demo: ClinicServer) -> None:
    response = post(demo, "/v1/auth/token", {"username": "alex", "password": "nope", "device_name": "x"})
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == "auth.invalid_credentials"


def test_enrolment_code_works_once(demo: ClinicServer) -> None:
    code = demo.enrolment_code("alex")
    first = post(demo, "/v1/auth/enrol", {"code": code.lower(), "device_name": "Phone"})
    assert first.status_code == 200
    assert first.json()["role"] == "patient"
    again = post(demo, "/v1/auth/enrol", {"code": code, "device_name": "Phone"})
    assert (again.status_code, again.json()["code"]) == (400, "auth.code_used")
    bogus = post(demo, "/v1/auth/enrol", {"code": "AAA-AAA-AAA", "device_name": "Phone"})
    assert (bogus.status_code, bogus.json()["code"]) == (400, "auth.code_invalid")


def test_refresh_rotates_and_reuse_after_the_grace_window_revokes_the_device(
    tmp_path: Path, new_server: ServerFactory
) -> None:
    with new_server(tmp_path, env={"WAYPOINT_REFRESH_GRACE_SECONDS": "1"}) as server:
        _rotate_and_reuse(server)


def _rotate_and_reuse(demo: ClinicServer) -> None:
    first = demo.sign_in("alex", "waypoint-demo")
    second = post(demo, "/v1/auth/refresh", {"refresh_token": first["refresh_token"]})
    assert second.status_code == 200
    new = second.json()
    assert new["refresh_token"] != first["refresh_token"]
    assert sync_page(demo, new["access_token"]).status_code == 200
    time.sleep(1.2)  # past the refresh grace window
    reused = post(demo, "/v1/auth/refresh", {"refresh_token": first["refresh_token"]})
    assert (reused.status_code, reused.json()["code"]) == (401, "auth.device_revoked")
    # The whole device is signed out: its newest tokens too.
    after = sync_page(demo, new["access_token"])
    assert (after.status_code, after.json()["code"]) == (401, "auth.device_revoked")
    newer = post(demo, "/v1/auth/refresh", {"refresh_token": new["refresh_token"]})
    assert newer.json()["code"] == "auth.device_revoked"


def test_logout_revokes_this_device_only(demo: ClinicServer) -> None:
    a = demo.sign_in("alex", "waypoint-demo", device_name="a")
    b = demo.sign_in("alex", "waypoint-demo", device_name="b")
    assert post(demo, "/v1/auth/logout", None, a["access_token"]).status_code == 204
    assert sync_page(demo, a["access_token"]).json()["code"] == "auth.device_revoked"
    assert sync_page(demo, b["access_token"]).status_code == 200


@pytest.mark.parametrize(
    ("header", "code"),
    [(None, "auth.token_missing"), ("Bearer not-a-token", "auth.token_invalid")],
)
def test_bearer_problems(demo: ClinicServer, header: str | None, code: str) -> None:
    headers = {"Authorization": header} if header else {}
    response = httpx.get(f"{demo.url}/v1/sync", headers=headers, timeout=10)
    assert (response.status_code, response.json()["code"]) == (401, code)


def test_expired_access_token_is_401_token_expired_and_refresh_works(
    tmp_path: Path, new_server: ServerFactory
) -> None:
    with new_server(tmp_path, extra_args=["--access-ttl-seconds", "1"]) as server:
        tokens = server.sign_in("alex", "waypoint-demo")
        assert tokens["expires_in"] == 1
        time.sleep(1.2)
        response = sync_page(server, tokens["access_token"])
        assert (response.status_code, response.json()["code"]) == (401, "auth.token_expired")
        refreshed = post(server, "/v1/auth/refresh", {"refresh_token": tokens["refresh_token"]})
        assert refreshed.status_code == 200
        assert sync_page(server, refreshed.json()["access_token"]).status_code == 200


def test_repeated_wrong_passwords_are_rate_limited(demo: ClinicServer) -> None:
    body = {"username": "morgan", "password": "wrong-password", "device_name": "x"}
    statuses = [post(demo, "/v1/auth/token", body).status_code for _ in range(6)]
    assert statuses[:5] == [401] * 5
    assert statuses[5] == 429
    limited = post(demo, "/v1/auth/token", {**body, "password": "waypoint-demo-2"})
    assert limited.status_code == 429
    assert limited.json()["code"] == "rate_limited"
    assert int(limited.headers["Retry-After"]) > 0


def test_a_401_carries_a_bearer_challenge(demo: ClinicServer) -> None:
    missing = httpx.get(f"{demo.url}/v1/sync", timeout=10)
    assert missing.headers["WWW-Authenticate"] == 'Bearer realm="waypoint"'
    bad = httpx.get(f"{demo.url}/v1/sync", headers={"Authorization": "Bearer nope"}, timeout=10)
    assert bad.headers["WWW-Authenticate"].startswith('Bearer realm="waypoint", error="invalid_token"')
    wrong = post(demo, "/v1/auth/token", {"username": "alex", "password": "nope", "device_name": "x"})
    assert wrong.headers["WWW-Authenticate"].startswith('Bearer realm="waypoint"')
