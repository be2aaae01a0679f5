"""Sign-in throttling per (username, client address), growing delays: a stranger cannot lock anyone out."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx

from tests.support.clinic_server import ClinicServer


def attempt(server: ClinicServer, address: str, username: str, password: str) -> httpx.Response:
    """POST /v1/auth/token from a given loopback source address (127.0.0.0/8 is all ours)."""
    transport = httpx.HTTPTransport(local_address=address)
    with httpx.Client(transport=transport, timeout=10) as client:
        body: dict[str, Any] = {"username": username, "password": password, "device_name": "x"}
        return client.post(f"{server.url}/v1/auth/token", json=body)


def test_a_stranger_guessing_cannot_lock_the_patient_out(demo: ClinicServer) -> None:
    stranger = [attempt(demo, "127.0.0.2", "morgan", f"guess-{n}").status_code for n in range(8)]
    assert stranger[:5] == [401] * 5
    assert set(stranger[5:]) == {429}
    # the stranger is still held back, even with the right password
    assert attempt(demo, "127.0.0.2", "morgan", "waypoint-demo-2").status_code == 429
    # the patient, from their own address, signs in at once
    mine = attempt(demo, "127.0.0.3", "morgan", "waypoint-demo-2")
    assert mine.status_code == 200, mine.text


def test_delays_grow_with_each_further_failure(demo: ClinicServer) -> None:
    address, user = "127.0.0.4", "alex"
    for n in range(5):
        assert attempt(demo, address, user, f"wrong-{n}").status_code == 401
    limited = attempt(demo, address, user, "wrong")
    assert limited.status_code == 429
    assert limited.json()["code"] == "rate_limited"
    first_wait = int(limited.headers["Retry-After"])
    assert first_wait >= 1
    deadline = time.monotonic() + first_wait + 10
    while (again := attempt(demo, address, user, "wrong-again")).status_code == 429:
        assert time.monotonic() < deadline, "the delay never ended"
        time.sleep(0.2)
    assert again.status_code == 401
    second = attempt(demo, address, user, "wrong")
    assert second.status_code == 429
    assert int(second.headers["Retry-After"]) > first_wait


def test_failed_sign_ins_are_audited_without_naming_anyone_in_the_log(demo: ClinicServer) -> None:
    for n in range(6):
        attempt(demo, "127.0.0.5", "mallory-unknown-user", f"pw-{n}")
    attempt(demo, "127.0.0.6", "morgan", "not-morgans-password")
    pid = demo.patient_id("morgan")
    actions = demo.audit_actions(pid)
    assert actions["auth.sign_in.failed"] >= 1
    log = demo.log_path.read_text()
    assert "mallory-unknown-user" not in log
    assert "not-morgans-password" not in log
    assert "sign-in failed" in log or "sign-in throttled" in log


def test_a_burst_of_parallel_guesses_gets_no_more_free_tries(demo: ClinicServer) -> None:
    """Attempts count when they start, not when their (slow) password check ends."""
    with ThreadPoolExecutor(20) as pool:
        statuses = list(
            pool.map(lambda n: attempt(demo, "127.0.0.7", "alex", f"burst-{n}").status_code, range(20))
        )
    assert statuses.count(401) <= 5, statuses
    assert statuses.count(429) >= 15
