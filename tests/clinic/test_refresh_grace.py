"""Refresh grace: a lost refresh reply costs nothing; a refresh token reused later signs the device out."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest

from tests.clinic.conftest import ServerFactory
from tests.clinic.helpers import sync_page
from tests.support.clinic_server import ClinicServer

GRACE = 2.0


@pytest.fixture(scope="module")
def short_grace(
    new_server: ServerFactory, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ClinicServer]:
    env = {"WAYPOINT_REFRESH_GRACE_SECONDS": str(int(GRACE))}
    with new_server(tmp_path_factory.mktemp("grace"), env=env) as server:
        yield server


def refresh(server: ClinicServer, token: str) -> httpx.Response:
    return httpx.post(f"{server.url}/v1/auth/refresh", json={"refresh_token": token}, timeout=10)


def test_a_replayed_refresh_within_the_grace_window_returns_the_same_pair(demo: ClinicServer) -> None:
    first = demo.sign_in("alex", "waypoint-demo", device_name="flaky")
    lost = refresh(demo, first["refresh_token"])  # the clinic answered; the reply never arrived
    assert lost.status_code == 200
    retried = refresh(demo, first["refresh_token"])
    assert retried.status_code == 200, retried.text
    pair = ("access_token", "refresh_token", "device_id", "account_id", "role")
    assert {k: retried.json()[k] for k in pair} == {k: lost.json()[k] for k in pair}
    assert retried.json()["device_id"] == first["device_id"]
    # the device was not signed out: the pair works, and rotates on
    assert sync_page(demo, retried.json()["access_token"]).status_code == 200
    onward = refresh(demo, retried.json()["refresh_token"])
    assert onward.status_code == 200
    assert sync_page(demo, onward.json()["access_token"]).status_code == 200


def test_a_replay_after_the_successor_was_rotated_again_is_a_reuse(demo: ClinicServer) -> None:
    """The client demonstrably got the successor, so the old token in other hands is theft."""
    first = demo.sign_in("alex", "waypoint-demo", device_name="rotated twice")
    second = refresh(demo, first["refresh_token"]).json()
    third = refresh(demo, second["refresh_token"])
    assert third.status_code == 200
    replay = refresh(demo, first["refresh_token"])
    assert (replay.status_code, replay.json()["code"]) == (401, "auth.device_revoked")
    assert sync_page(demo, third.json()["access_token"]).json()["code"] == "auth.device_revoked"


def test_a_replay_after_the_grace_window_revokes_the_device(short_grace: ClinicServer) -> None:
    first = short_grace.sign_in("alex", "waypoint-demo", device_name="late replay")
    second = refresh(short_grace, first["refresh_token"])
    assert second.status_code == 200
    assert refresh(short_grace, first["refresh_token"]).json() == second.json()  # still within grace
    time.sleep(GRACE + 0.5)
    reused = refresh(short_grace, first["refresh_token"])
    assert (reused.status_code, reused.json()["code"]) == (401, "auth.device_revoked")
    after = sync_page(short_grace, second.json()["access_token"])
    assert (after.status_code, after.json()["code"]) == (401, "auth.device_revoked")


def test_a_replay_after_logout_is_refused(demo: ClinicServer) -> None:
    first = demo.sign_in("alex", "waypoint-demo", device_name="signed out")
    second = refresh(demo, first["refresh_token"]).json()
    out = httpx.post(
        f"{demo.url}/v1/auth/logout",
        headers={"Authorization": f"Bearer {second['access_token']}"},
        timeout=10,
    )
    assert out.status_code == 204
    replay = refresh(demo, first["refresh_token"])
    assert (replay.status_code, replay.json()["code"]) == (401, "auth.device_revoked")


def test_successors_are_not_stored_in_plaintext(clinic_server: ClinicServer) -> None:
    first = clinic_server.sign_in("alex", "waypoint-demo", device_name="at rest")
    second = refresh(clinic_server, first["refresh_token"]).json()
    assert refresh(clinic_server, first["refresh_token"]).json() == second
    files = [clinic_server.db_path, *clinic_server.db_path.parent.glob("clinic.sqlite3-*")]
    raw = b"".join(p.read_bytes() for p in files)
    for token in (first["refresh_token"], second["refresh_token"], second["access_token"]):
        assert token.encode() not in raw
