"""The admin CLI: provisioning from a terminal, following and acknowledging alerts; logs without PHI."""

from __future__ import annotations

import json
import os
import pty
import re
import select
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx

from tests.clinic.helpers import raise_alert, sync_all
from tests.support.clinic_server import REPO, ClinicServer, free_port


def admin(db: Path | str, *args: str) -> str:
    """`db`: a SQLite file, or a database URL."""
    where = ["--database-url", db] if isinstance(db, str) else ["--db", str(db)]
    cmd = [sys.executable, "-m", "clinic", "admin", *where, *args]
    return subprocess.run(cmd, cwd=REPO, check=True, capture_output=True, text=True, timeout=60).stdout


def test_provision_a_clinic_from_the_terminal(tmp_path: Path) -> None:
    db = tmp_path / "c.sqlite3"
    clinic_id = admin(db, "create-clinic", "Hilltop Recovery", "--phone", "+1-555-0100").strip()
    admin(
        db,
        "create-staff",
        "--clinic-id",
        clinic_id,
        "--username",
        "kim",
        "--password",
        "kim-password",
        "--display-name",
        "Kim Admin",
    )
    out = admin(
        db,
        "create-patient",
        "--clinic-id",
        clinic_id,
        "--display-name",
        "Jo",
        "--start-date",
        "2026-11-02",
        "--weeks",
        "2",
        "--pattern",
    )
    code = out.split("enrolment code: ")[1].strip()
    server = ClinicServer(tmp_path, seed=None)
    server.db_path = db  # serve the database the CLI provisioned
    with server:
        enrolled = httpx.post(f"{server.url}/v1/auth/enrol", json={"code": code}, timeout=10).json()
        assert enrolled["display_name"] == "Jo"
        changes, _ = sync_all(server, enrolled["access_token"])
        # 2 weeks × Mon/Wed/Thu × 4 sessions, plus a psychiatrist and a PA visit each week
        assert len([c for c in changes if c["type"] == "schedule_item"]) == 2 * 3 * 4 + 2 * 2
        staff = server.sign_in("kim", "kim-password")
        assert staff["role"] == "staff"


def test_follow_and_acknowledge_alerts_from_the_terminal(demo: ClinicServer) -> None:
    db: Path | str = demo.database_url or demo.db_path
    alert_id = str(uuid.uuid4())
    raise_alert(demo, demo.patient_token(), alert_id)
    followed = admin(db, "follow-alerts", "--staff", "staff", "--seconds", "1")
    events = [json.loads(line) for line in followed.splitlines()]
    assert alert_id in {e["id"] for e in events}
    acked = json.loads(admin(db, "ack", alert_id, "--staff", "staff"))
    assert acked["acknowledged_by"] == "Sam Ortiz"


def test_server_log_has_no_phi_or_secrets(demo: ClinicServer) -> None:
    tokens = demo.sign_in("alex", "waypoint-demo")
    httpx.post(f"{demo.url}/v1/auth/token", json={"username": "alex", "password": "wrong-one"}, timeout=10)
    raise_alert(demo, tokens["access_token"], str(uuid.uuid4()))
    sync_all(demo, tokens["access_token"])
    log = demo.log_path.read_text()
    for secret in (
        "Alex Rivera",
        "waypoint-demo",
        "wrong-one",
        "Trigger log",
        "Jordan Lee",
        tokens["access_token"],
        tokens["refresh_token"],
    ):
        assert secret not in log


CODE = re.compile(r"\b[A-Z0-9]{3}-[A-Z0-9]{3}-[A-Z0-9]{3}\b")


def test_demo_enrolment_code_never_reaches_a_log_file(demo: ClinicServer) -> None:
    """`serve --seed demo` with its output in a file (the harness, scripts/demo) writes no live code."""
    code = demo.enrolment_code()  # what a code looks like, so the pattern below cannot be stale
    assert CODE.fullmatch(code)
    log = demo.log_path.read_text()
    assert "Demo clinic ready" in log  # the seed ran and said so
    assert not CODE.search(log), log


def test_demo_enrolment_code_is_shown_once_on_a_terminal(tmp_path: Path) -> None:
    primary, secondary = pty.openpty()
    port = free_port()
    cmd = [sys.executable, "-m", "clinic", "serve", "--db", str(tmp_path / "c.sqlite3"), "--seed", "demo"]
    process = subprocess.Popen(
        [*cmd, "--port", str(port), "--log-level", "warning"],
        cwd=REPO,
        stdin=subprocess.DEVNULL,
        stdout=secondary,
        stderr=subprocess.DEVNULL,
    )
    os.close(secondary)
    shown = b""
    try:
        deadline = time.monotonic() + 60
        while b"Clinic Sync API on" not in shown and time.monotonic() < deadline:
            ready, _, _ = select.select([primary], [], [], 1.0)
            if ready:
                shown += os.read(primary, 4096)
    finally:
        process.terminate()
        process.wait(10)
        os.close(primary)
    text = shown.decode()
    assert "Clinic Sync API on" in text, text
    codes = CODE.findall(text)
    assert len(codes) == 1, text
    enrolled = None
    server = ClinicServer(tmp_path, seed=None)
    server.db_path = tmp_path / "c.sqlite3"
    with server:
        enrolled = httpx.post(f"{server.url}/v1/auth/enrol", json={"code": codes[0]}, timeout=10)
    assert enrolled.status_code == 200, enrolled.text  # the code shown is a live one
