"""The escalation ladder against the real server (SQLite and PostgreSQL) and a real pager webhook
receiver on loopback: steps fire from stored times, once, audited, on the staff stream and in the
patient's record; pages are signed, carry no PHI, survive receiver downtime and a clinic restart,
and reach the receiver exactly once per step."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from clinic.database import sqlite_url
from clinic.services.escalation import Policy, PolicyError, ladder
from tests.clinic.conftest import ServerFactory
from tests.clinic.helpers import auth, latest, mutate, mutation, raise_alert, sync_all
from tests.clinic.webhook_receiver import Received, WebhookReceiver
from tests.support.clinic_server import REPO, ClinicServer
from tests.support.polling import wait_until

SECRET = "pager-secret-for-tests"
FAST = {"WAYPOINT_ESCALATION_SWEEP_SECONDS": "0.1", "WAYPOINT_WEBHOOK_RETRY_SECONDS": "0.1"}
NEW_YORK = ZoneInfo("America/New_York")


def set_policy(server: ClinicServer, policy: dict[str, Any]) -> None:
    db = ["--database-url", server.database_url] if server.database_url else ["--db", str(server.db_path)]
    cmd = [sys.executable, "-m", "clinic", "admin", *db, "set-escalation", json.dumps(policy)]
    env = {**os.environ, "WAYPOINT_WEBHOOK_SECRET": SECRET}
    subprocess.run(cmd, cwd=REPO, check=True, capture_output=True, text=True, timeout=60, env=env)


def policy(pager: WebhookReceiver, first: float = 2.0, second: float = 3.5) -> dict[str, Any]:
    return {
        "alert_steps": [
            {"after_seconds": first, "to": "On-call group"},
            {"after_seconds": second, "to": "Clinical supervisor"},
        ],
        "flag": {"to": "Counsellor's supervisor", "after_seconds": 1},
        "webhook_url": pager.url,
        "console_url": "https://console.clinic.test",
    }


def db_count(server: ClinicServer, query: str, **params: Any) -> int:
    engine = create_engine(server.database_url or sqlite_url(server.db_path), poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text(query), params).scalar_one())
    finally:
        engine.dispose()


def pages_for(pager: WebhookReceiver, subject_id: str, *, accepted: bool = True) -> list[Received]:
    found = pager.accepted() if accepted else pager.requests()
    return [r for r in found if r.json["subject_id"] == subject_id]


def pages(pager: WebhookReceiver, subject_id: str, count: int, timeout: float) -> list[Received]:
    """The accepted pages about `subject_id` once there are `count` of them."""

    def found() -> list[Received] | None:
        got = pages_for(pager, subject_id)
        return got if len(got) == count else None

    return wait_until(found, timeout)


def staff_alert(server: ClinicServer, alert_id: str) -> dict[str, Any]:
    return next(a for a in server.support_alerts() if a["id"] == alert_id)


@pytest.fixture(scope="module")
def pager() -> Iterator[WebhookReceiver]:
    with WebhookReceiver(SECRET) as receiver:
        yield receiver


@pytest.fixture(scope="module")
def clinic(
    new_server: ServerFactory, tmp_path_factory: pytest.TempPathFactory, pager: WebhookReceiver
) -> Iterator[ClinicServer]:
    with new_server(tmp_path_factory.mktemp("escalation"), env=FAST) as server:
        set_policy(server, policy(pager))
        yield server


def test_an_unanswered_alert_climbs_the_ladder_once_per_step_on_the_stream_in_the_record_and_paged(
    clinic: ClinicServer, pager: WebhookReceiver
) -> None:
    token = clinic.patient_token()
    pid = clinic.patient_id("alex")
    escalated_before = clinic.audit_actions(pid)["support_alert.escalated"]
    with clinic.open_alert_stream(poll=30) as stream:
        alert_id = str(uuid.uuid4())
        raised = time.monotonic()
        assert raise_alert(clinic, token, alert_id).status_code == 201

        def step(n: int) -> Any:
            return lambda e: e["data"]["id"] == alert_id and e["data"].get("escalation_step") == n

        first = stream.wait_for(step(1), timeout=10)
        assert first is not None, "step 1 never reached the staff stream"
        assert time.monotonic() - raised >= 1.9  # not before its time
        assert first["data"]["escalated_to"] == "On-call group"
        assert first["data"]["status"] == "received"
        second = stream.wait_for(step(2), timeout=10)
        assert second is not None
        assert second["data"]["escalated_to"] == "Clinical supervisor"

    changes, _ = sync_all(clinic, token)
    assert latest(changes)[("support_alert", alert_id)]["data"]["escalation_step"] == 2

    paged = pages(pager, alert_id, 2, 10)
    assert [p.json["step"] for p in paged] == [1, 2]
    assert [p.json["escalated_to"] for p in paged] == ["On-call group", "Clinical supervisor"]
    for page in paged:
        assert page.signed_by(SECRET)
        assert page.key == page.json["id"]
        assert page.json["kind"] == "support_alert"
        assert page.json["console_url"] == "https://console.clinic.test"
        assert abs(int(page.headers["waypoint-timestamp"]) - time.time()) < 30
        # minimum necessary: nothing that names or describes the patient
        assert "Alex" not in page.body.decode()
        assert pid not in page.body.decode()
        assert SECRET not in page.body.decode()
    assert len({p.key for p in paged}) == 2
    assert clinic.audit_actions(pid)["support_alert.escalated"] == escalated_before + 2
    assert db_count(clinic, "SELECT count(*) FROM escalations WHERE subject_id = :s", s=alert_id) == 2
    assert SECRET not in clinic.log_path.read_text()


def test_an_alert_acknowledged_in_time_never_escalates(clinic: ClinicServer, pager: WebhookReceiver) -> None:
    token = clinic.patient_token()
    answered, ignored = str(uuid.uuid4()), str(uuid.uuid4())
    clinic.staff_token()  # signed in before: the acknowledgement follows the alert at once
    assert raise_alert(clinic, token, answered).status_code == 201
    clinic.ack_alert(answered)
    assert raise_alert(clinic, token, ignored).status_code == 201
    # The ignored one raised after the answered one reaching step 2 means the answered one's times passed.
    wait_until(lambda: staff_alert(clinic, ignored)["escalation_step"] == 2, 10)
    wait_until(lambda: len(pages_for(pager, ignored)) == 2, 10)
    view = staff_alert(clinic, answered)
    assert (view["escalation_step"], view["escalated_to"]) == (0, None)
    assert pages_for(pager, answered, accepted=False) == []


def test_acknowledging_after_step_one_stops_the_ladder_there(
    clinic: ClinicServer, pager: WebhookReceiver
) -> None:
    token = clinic.patient_token()
    alert_id, later = str(uuid.uuid4()), str(uuid.uuid4())
    assert raise_alert(clinic, token, alert_id).status_code == 201
    wait_until(lambda: staff_alert(clinic, alert_id)["escalation_step"] == 1, 10)
    acked = clinic.ack_alert(alert_id)
    assert acked["escalation_step"] == 1  # the step stays on record
    assert raise_alert(clinic, token, later).status_code == 201
    wait_until(lambda: staff_alert(clinic, later)["escalation_step"] == 2, 10)  # well past step 2's time
    assert staff_alert(clinic, alert_id)["escalation_step"] == 1
    assert [p.json["step"] for p in pages_for(pager, alert_id, accepted=False)] == [1]


def test_a_receiver_answering_503_gets_the_same_page_again_until_it_accepts_it_once(
    clinic: ClinicServer, pager: WebhookReceiver
) -> None:
    token = clinic.patient_token()
    alert_id = str(uuid.uuid4())
    pager.answers_for[alert_id] = [503, 503, 503]  # not `answers`: an earlier test's page may still arrive
    assert raise_alert(clinic, token, alert_id).status_code == 201
    wait_until(lambda: len(pages_for(pager, alert_id)) == 2, 20)
    attempts = pages_for(pager, alert_id, accepted=False)
    assert sorted(r.status for r in attempts) == [200, 200, 503, 503, 503]
    for key in {r.key for r in attempts}:
        same = [r for r in attempts if r.key == key]
        assert len({r.body for r in same}) == 1  # the same page, re-signed per attempt
        assert all(r.signed_by(SECRET) for r in same)
        assert [r.status for r in same].count(200) == 1
        assert same[-1].status == 200  # nothing after it was accepted
    wait_until(
        lambda: db_count(clinic, "SELECT count(*) FROM webhook_deliveries WHERE delivered_at IS NULL") == 0, 5
    )


def test_pages_wait_out_a_receiver_that_is_down_and_a_clinic_restart_then_arrive_once_per_step(
    clinic: ClinicServer, pager: WebhookReceiver
) -> None:
    token = clinic.patient_token()
    alert_id = str(uuid.uuid4())
    pager.stop()  # connection refused
    try:
        assert raise_alert(clinic, token, alert_id).status_code == 201
        wait_until(lambda: staff_alert(clinic, alert_id)["escalation_step"] == 2, 10)
        clinic.stop()
        clinic.start()  # the outbox is in the database: the restarted clinic resumes it
    finally:
        pager.start()
    # Retries double while the receiver is down (0.1 s, 0.2 s, ... here), so the next one can be
    # as far off as the downtime was long: on a loaded machine, tens of seconds.
    paged = pages(pager, alert_id, 2, 120)
    assert sorted(p.json["step"] for p in paged) == [1, 2]
    time.sleep(1.0)  # several more sweeps and delivery rounds: nothing is fired or paged twice
    assert len(pages_for(pager, alert_id, accepted=False)) == 2
    assert db_count(clinic, "SELECT count(*) FROM escalations WHERE subject_id = :s", s=alert_id) == 2
    assert staff_alert(clinic, alert_id)["escalation_step"] == 2


def test_a_page_in_flight_when_the_clinic_stops_is_recorded_as_sent_not_left_to_its_lease(
    clinic: ClinicServer, pager: WebhookReceiver
) -> None:
    token = clinic.patient_token()
    alert_id = str(uuid.uuid4())
    in_flight = (
        "SELECT count(*) FROM webhook_deliveries d JOIN escalations e ON e.id = d.id"
        " WHERE e.subject_id = :s AND d.attempts > 0 AND d.delivered_at IS NULL"
    )
    pager.delay = 3.0  # the receiver holds step 1's page while the clinic is told to stop
    try:
        assert raise_alert(clinic, token, alert_id).status_code == 201
        wait_until(lambda: db_count(clinic, in_flight, s=alert_id) == 1, 10, interval=0.05)
        clinic.stop()
    finally:
        pager.delay = 0.0
    delivered = "SELECT count(*) FROM webhook_deliveries d JOIN escalations e ON e.id = d.id"
    delivered += " WHERE e.subject_id = :s AND d.delivered_at IS NOT NULL"
    assert db_count(clinic, delivered, s=alert_id) == 1, "the stopping clinic dropped the page it was sending"
    clinic.start()
    paged = pages(pager, alert_id, 2, 30)  # step 2 comes from the restarted clinic
    assert sorted(p.json["step"] for p in paged) == [1, 2]
    assert len(pages_for(pager, alert_id, accepted=False)) == 2  # step 1 was not sent again


def test_a_slow_pager_does_not_hold_back_the_next_step(clinic: ClinicServer, pager: WebhookReceiver) -> None:
    token = clinic.patient_token()
    alert_id = str(uuid.uuid4())
    pager.delay = 6.0  # each page takes 6 s to answer: longer than between the two steps
    try:
        raised = time.monotonic()
        assert raise_alert(clinic, token, alert_id).status_code == 201
        wait_until(lambda: staff_alert(clinic, alert_id)["escalation_step"] == 2, 10, interval=0.05)
        assert time.monotonic() - raised < 3.5 + 2.0  # step 2's time, not behind step 1's page
    finally:
        pager.delay = 0.0
    pages(pager, alert_id, 2, 30)


def _daily(server: ClinicServer, token: str) -> str:
    changes, _ = sync_all(server, token)
    return str(
        next(
            c["id"]
            for c in changes
            if c["type"] == "questionnaire" and c["data"] and c["data"]["key"] == "daily"
        )
    )


def test_an_unacknowledged_flag_escalates_to_the_counsellors_supervisor(
    clinic: ClinicServer, pager: WebhookReceiver
) -> None:
    token = clinic.patient_token("morgan", "waypoint-demo-2")
    today = datetime.now(NEW_YORK).date().isoformat()
    payload = {
        "checkin_id": str(uuid.uuid4()),
        "questionnaire_id": _daily(clinic, token),
        "period": today,
        "answered_at": datetime.now(UTC).isoformat(),
        "answers": {"craving": 3, "mood": 5, "confidence": 6, "used": True, "contact": False, "note": ""},
    }
    (result,) = mutate(clinic, token, mutation("checkin.submit", payload))
    assert result["status"] == "applied", result

    def flag() -> dict[str, Any] | None:
        flags = httpx.get(
            f"{clinic.url}/v1/staff/flags", headers=auth(clinic.staff_token()), timeout=10
        ).json()
        return next((f for f in flags if f["checkin_id"] == payload["checkin_id"]), None)

    escalated = wait_until(lambda: (f := flag()) is not None and f["escalation_step"] == 1 and f, 10)
    assert escalated["escalated_to"] == "Counsellor's supervisor"
    (page,) = pages(pager, escalated["id"], 1, 10)
    assert page.json["kind"] == "flag"
    assert page.json["step"] == 1
    assert "Morgan" not in page.body.decode()
    assert "used" not in page.body.decode()  # never the reason or an answer


# -- the policy itself ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raised", "due"),
    [
        # the evening before spring forward: 08:00 the next morning is EDT (UTC-4)
        (datetime(2026, 3, 7, 22, 0, tzinfo=NEW_YORK), datetime(2026, 3, 8, 12, 0, tzinfo=UTC)),
        # just after midnight: still the next clinic day's morning, not this one's
        (datetime(2026, 6, 10, 0, 30, tzinfo=NEW_YORK), datetime(2026, 6, 11, 12, 0, tzinfo=UTC)),
        # the evening before fall back: 08:00 is EST (UTC-5)
        (datetime(2026, 10, 31, 18, 0, tzinfo=NEW_YORK), datetime(2026, 11, 1, 13, 0, tzinfo=UTC)),
    ],
)
def test_a_flag_is_due_the_next_clinic_morning_across_daylight_saving(
    raised: datetime, due: datetime
) -> None:
    steps = ladder(Policy(), "flag", raised.astimezone(UTC), NEW_YORK)
    assert steps == [(1, "Counsellor's supervisor", due)]


def test_alert_steps_default_to_five_and_fifteen_minutes() -> None:
    since = datetime(2026, 11, 30, 3, 0, tzinfo=UTC)
    steps = ladder(Policy.parse(None), "support_alert", since, NEW_YORK)
    assert [(n, due - since) for n, _, due in steps] == [
        (1, timedelta(minutes=5)),
        (2, timedelta(minutes=15)),
    ]


@pytest.mark.parametrize(
    "raw",
    [
        {"webhook_url": "http://pager.example/hook", "webhook_secret": "s"},  # plain http off loopback
        {"webhook_url": "https://pager.example/hook"},  # no secret
        {"alert_steps": [{"after_seconds": 900, "to": "b"}, {"after_seconds": 300, "to": "a"}]},
        {"alert_steps": [{"after_seconds": 0, "to": "a"}]},
        {"alert_steps": [{"to": "a"}]},
    ],
)
def test_a_policy_that_cannot_work_is_refused_when_it_is_set(raw: dict[str, Any]) -> None:
    with pytest.raises(PolicyError):
        Policy.parse(raw, strict=True)


def test_the_secret_is_not_in_the_policys_repr() -> None:
    parsed = Policy.parse(
        {"webhook_url": "https://pager.example/hook", "webhook_secret": SECRET}, strict=True
    )
    assert SECRET not in repr(parsed)


def test_set_escalation_refuses_a_bad_policy_without_echoing_the_secret(tmp_path: Path) -> None:
    db = ["--db", str(tmp_path / "c.sqlite3")]
    bad = json.dumps({"webhook_url": "http://pager.example/hook"})
    cmd = [sys.executable, "-m", "clinic", "admin", *db, "seed-demo"]
    subprocess.run(cmd, cwd=REPO, check=True, capture_output=True, timeout=60)
    env = {**os.environ, "WAYPOINT_WEBHOOK_SECRET": SECRET}
    cmd = [sys.executable, "-m", "clinic", "admin", *db, "set-escalation", bad]
    done = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=60, env=env)
    assert done.returncode != 0
    assert "https" in done.stderr
    assert SECRET not in done.stdout + done.stderr


# -- two server processes on one PostgreSQL database ----------------------------------------------


@pytest.mark.postgres
def test_with_two_server_processes_each_step_fires_and_is_paged_exactly_once(
    postgres_server: Any, tmp_path: Path
) -> None:
    url = postgres_server.create_database()
    racing = {**FAST, "WAYPOINT_ESCALATION_SWEEP_SECONDS": "0.05"}  # both sweep all the time
    try:
        with (
            WebhookReceiver(SECRET) as pager,
            ClinicServer(tmp_path / "a", database_url=url, env=racing) as a,
            ClinicServer(tmp_path / "b", seed=None, database_url=url, env=racing) as b,
        ):
            set_policy(a, policy(pager, first=1.0, second=2.0))
            token = a.patient_token()
            alerts = [str(uuid.uuid4()) for _ in range(4)]
            for n, alert_id in enumerate(alerts):
                assert raise_alert((a, b)[n % 2], token, alert_id).status_code == 201
            for alert_id in alerts:
                pages(pager, alert_id, 2, 20)
            time.sleep(1.0)  # more racing sweeps and deliveries: nothing may be fired or paged again
            for alert_id in alerts:
                assert [p.json["step"] for p in pages_for(pager, alert_id, accepted=False)] in (
                    [1, 2],
                    [2, 1],
                )
                assert db_count(a, "SELECT count(*) FROM escalations WHERE subject_id = :s", s=alert_id) == 2
            pid = a.patient_id("alex")
            assert a.audit_actions(pid)["support_alert.escalated"] == 2 * len(alerts)
            fired_by = [
                line
                for server in (a, b)
                for line in server.log_path.read_text().splitlines()
                if "escalated kind=" in line
            ]
            assert len(fired_by) == 2 * len(alerts)  # one process logged each step, never both
    finally:
        postgres_server.drop_database(url)
