"""The missed-check-in rule: a patient who has not checked in for the clinic's `missed_checkin_days`
(3 in the demo) clinic days is flagged once per missed stretch, by a background task that works
from stored data (a restart changes nothing) and, with two server processes on PostgreSQL, raises
the flag once, not once per process.

A patient's days are counted from the latest of their enrolment's start, their first device's day
and the day the questionnaire was assigned: the tests move the device and the assignment back in
time in the database, as if the patient had had the app for ten days.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.pool import NullPool

from clinic.database import sqlite_url
from tests.clinic.conftest import ServerFactory
from tests.clinic.helpers import auth
from tests.clinic.test_checkins import CALM, Patient, ack, clinic_today, flags_of, new_patient, submit
from tests.support.clinic_server import ClinicServer
from tests.support.polling import wait_until
from tests.support.postgres import PostgresServer

SWEEP = {"WAYPOINT_FLAG_SWEEP_SECONDS": "0.2"}
SEVERAL_SWEEPS = 1.5  # seconds: nothing more may be raised meanwhile (an absence cannot be awaited)


@contextmanager
def database(server: ClinicServer) -> Iterator[Engine]:
    engine = create_engine(server.database_url or sqlite_url(server.db_path), poolclass=NullPool)
    try:
        yield engine
    finally:
        engine.dispose()


def had_the_app_for(server: ClinicServer, patient_id: str, days: int) -> None:
    """The patient's devices and questionnaires date from `days` ago (one transaction)."""
    then = (datetime.now(UTC) - timedelta(days=days)).replace(tzinfo=None)  # stored as naive UTC
    with database(server) as engine, engine.begin() as conn:
        conn.execute(
            text("UPDATE devices SET created_at = :t WHERE account_id = :p"), {"t": then, "p": patient_id}
        )
        conn.execute(
            text("UPDATE patient_questionnaires SET assigned_at = :t WHERE patient_id = :p"),
            {"t": then, "p": patient_id},
        )


def missed(server: ClinicServer, patient_id: str) -> list[dict[str, Any]]:
    return [f for f in flags_of(server, patient_id) if f["reasons"] == ["missed_checkins"]]


def stored_flags(server: ClinicServer, patient_id: str) -> int:
    with database(server) as engine, engine.connect() as conn:
        query = text("SELECT COUNT(*) FROM flags WHERE patient_id = :p")
        return int(conn.execute(query, {"p": patient_id}).scalar_one())


def test_missed_check_ins_are_flagged_once_per_stretch_and_survive_a_restart(
    tmp_path: Path, new_server: ServerFactory
) -> None:
    with new_server(tmp_path, env=SWEEP) as server:
        lapsed = new_patient(server, "missed-lapsed")
        assert submit(server, lapsed, CALM, period=clinic_today() - timedelta(days=6))["status"] == "applied"
        steady = new_patient(server, "missed-steady")
        assert submit(server, steady, CALM, period=clinic_today() - timedelta(days=1))["status"] == "applied"
        newcomer = new_patient(server, "missed-new", start=clinic_today())  # enrolled today
        no_device = httpx.post(  # enrolled two weeks ago, never signed in
            f"{server.url}/v1/staff/patients",
            json={"display_name": "No Device", "start_date": str(clinic_today() - timedelta(days=14))},
            headers=auth(server.staff_token()),
            timeout=10,
        ).json()["id"]
        finished = httpx.post(  # a one-week programme that ended three weeks ago, not yet discharged
            f"{server.url}/v1/staff/patients",
            json={
                "display_name": "Finished",
                "username": "missed-finished",
                "password": "checkin-pass-1",
                "start_date": str(clinic_today() - timedelta(days=28)),
                "planned_weeks": 1,
            },
            headers=auth(server.staff_token()),
            timeout=10,
        ).json()["id"]
        server.sign_in("missed-finished", "checkin-pass-1")
        later = new_patient(server, "missed-later")
        had_the_app_for(server, finished, 21)
        for patient in (lapsed, steady, newcomer):
            had_the_app_for(server, patient.id, 10)
        # lapsed: days 5..1 ago without a check-in → one flag for the stretch that began 5 days ago
        (flag,) = wait_until(lambda: missed(server, lapsed.id), 10, message="no missed-check-in flag")
        assert (flag["severity"], flag["checkin_id"], flag["status"]) == ("medium", None, "open")
        assert flag["patient_name"] == "Test missed-lapsed"
        time.sleep(SEVERAL_SWEEPS)
        assert missed(server, lapsed.id) == [flag]
        for quiet_id in (steady.id, newcomer.id, no_device, finished):
            assert flags_of(server, quiet_id) == []
        server.stop()
        had_the_app_for(server, later.id, 10)  # the stretch became due while the clinic was down
        server.start()
        wait_until(lambda: missed(server, later.id), 10, message="not raised after the restart")
        time.sleep(SEVERAL_SWEEPS)
        assert missed(server, lapsed.id) == [flag]  # the restarted sweep found it already raised
        assert len(missed(server, later.id)) == 1
        assert stored_flags(server, lapsed.id) == 1
        # a check-in today ends the stretch; acknowledging the flag raises nothing new
        assert submit(server, lapsed, CALM)["status"] == "applied"
        ack(server, flag["id"], note="Spoke to them; phone was broken.")
        time.sleep(SEVERAL_SWEEPS)
        assert [f["status"] for f in missed(server, lapsed.id)] == ["acknowledged"]
        assert stored_flags(server, lapsed.id) == 1


@pytest.mark.postgres
def test_two_server_processes_raise_a_missed_check_in_flag_once(
    postgres_server: PostgresServer, tmp_path: Path
) -> None:
    url = postgres_server.create_database()
    fast = {"WAYPOINT_FLAG_SWEEP_SECONDS": "0.1"}  # both processes sweep ten times a second
    try:
        with (
            ClinicServer(tmp_path / "a", database_url=url, env=fast) as a,
            ClinicServer(tmp_path / "b", seed=None, database_url=url, env=fast) as b,
        ):
            patients: list[Patient] = [new_patient(a, f"missed-pair-{n}") for n in range(3)]
            with a.open_alert_stream(poll=30) as on_a, b.open_alert_stream(poll=30) as on_b:
                wait_until(lambda: on_a.connections and on_b.connections, 5, message="streams not open")
                for patient in patients:
                    had_the_app_for(a, patient.id, 10)
                wait_until(
                    lambda: all(missed(b, p.id) for p in patients), 10, message="no missed-check-in flags"
                )
                time.sleep(SEVERAL_SWEEPS)  # dozens more sweeps in each process
                for patient in patients:
                    assert len(missed(a, patient.id)) == 1
                    assert stored_flags(a, patient.id) == 1
                    for stream in (on_a, on_b):
                        events = [e for e in stream.events if e["data"].get("patient_id") == patient.id]
                        assert [e["event"] for e in events] == ["flag"]
    finally:
        postgres_server.drop_database(url)
