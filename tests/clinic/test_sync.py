"""GET /v1/sync: what the demo patient sees, drug tests, cursors, small no-change answers, paging."""

from __future__ import annotations

import threading
import uuid
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx

from tests.clinic.conftest import ServerFactory
from tests.clinic.helpers import auth, latest, mutate, mutation, sync_all, sync_page
from tests.support.clinic_server import ClinicServer

NY = ZoneInfo("America/New_York")


def test_first_sync_has_the_demo_week(demo: ClinicServer) -> None:
    changes, _ = sync_all(demo, demo.patient_token())
    state = latest(changes)
    types = {t for t, _ in state}
    assert {"clinic", "patient", "enrolment", "schedule_item", "assignment", "coping_plan"} <= types
    (clinic,) = [c["data"] for (t, _), c in state.items() if t == "clinic"]
    assert clinic["name"] == "Baystate Recovery"
    assert clinic["timezone"] == "America/New_York"
    assert clinic["lines"]["lifeline"] == "988"
    # How the care team answers an alert: by phone, from the clinic's number unless it set another.
    assert (clinic["answer_channel"], clinic["answer_phone"]) == ("call", clinic["phone"])
    assert "answer_phone" not in clinic["lines"]
    (enrolment,) = [c["data"] for (t, _), c in state.items() if t == "enrolment"]
    today = datetime.now(NY).date()
    start = date.fromisoformat(enrolment["start_date"])
    assert start.weekday() == 0
    assert (today - start).days // 7 + 1 == 5
    assert enrolment["planned_weeks"] == 12
    titles = {c["data"]["title"] for (t, _), c in state.items() if t == "assignment"}
    assert titles == {"Trigger log", "Letter to future me"}
    assert all(not c["deleted"] for c in changes)


def test_sessions_are_local_times_across_daylight_saving(demo: ClinicServer) -> None:
    changes, _ = sync_all(demo, demo.patient_token())
    check_ins = [
        c["data"] for c in changes if c["type"] == "schedule_item" and c["data"]["kind"] == "check_in"
    ]
    assert len(check_ins) == 36  # Mon/Wed/Thu for 12 weeks
    for item in check_ins:
        starts = datetime.fromisoformat(item["starts_at"])
        assert starts.utcoffset() == starts.astimezone(NY).utcoffset()
        assert starts.astimezone(NY).time() == time(9, 0)
    offsets = {datetime.fromisoformat(i["starts_at"]).utcoffset() for i in check_ins}
    assert offsets <= {timedelta(hours=-4), timedelta(hours=-5)}


def test_future_drug_test_is_never_sent(demo: ClinicServer) -> None:
    staff_view = demo.schedule(demo.patient_id("alex"))
    tests = [i for i in staff_view if i["kind"] == "drug_test"]
    now = datetime.now(NY)
    future_ids = {i["id"] for i in tests if datetime.fromisoformat(i["ends_at"]) > now}
    past_ids = {i["id"] for i in tests if datetime.fromisoformat(i["ends_at"]) <= now}
    assert future_ids
    assert past_ids
    changes, _ = sync_all(demo, demo.patient_token())
    sent = {c["id"] for c in changes}
    assert not future_ids & sent
    assert past_ids <= sent


def test_drug_test_arrives_once_it_has_happened(demo: ClinicServer) -> None:
    token = demo.patient_token("morgan", "waypoint-demo-2")
    _, cursor = sync_all(demo, token)
    soon = datetime.now(NY) + timedelta(seconds=2)
    item = {
        "kind": "drug_test",
        "title": "Screen",
        "starts_at": (soon - timedelta(minutes=5)).isoformat(),
        "ends_at": soon.isoformat(),
    }
    pid = demo.patient_id("morgan")
    created = httpx.post(
        f"{demo.url}/v1/staff/patients/{pid}/schedule",
        json=item,
        headers=auth(demo.staff_token()),
        timeout=10,
    )
    assert created.status_code == 201
    before, cursor = sync_all(demo, token, cursor)
    assert created.json()["id"] not in {c["id"] for c in before}
    import time as clock

    clock.sleep(2.2)
    after, _ = sync_all(demo, token, cursor)
    assert created.json()["id"] in {c["id"] for c in after}


def test_no_change_sync_is_one_small_response(demo: ClinicServer) -> None:
    token = demo.patient_token()
    _, cursor = sync_all(demo, token)
    response = sync_page(demo, token, cursor)
    assert response.status_code == 200
    assert response.json() == {"changes": [], "cursor": cursor, "has_more": False, "reset": False}
    assert len(response.content) < 1024


def test_malformed_cursor_is_400_and_foreign_cursor_resets(demo: ClinicServer) -> None:
    token = demo.patient_token()
    for bad in ("zzz", "%%%", "d3AxOmFiYzp4eXo6", "")[:3]:
        response = sync_page(demo, token, bad)
        assert (response.status_code, response.json()["code"]) == (400, "sync.cursor_invalid")
    import base64

    huge = base64.urlsafe_b64encode(b"wp1:deadbeef:" + b"9" * 30 + b":").decode()
    assert sync_page(demo, token, huge).json()["code"] == "sync.cursor_invalid"
    foreign = base64.urlsafe_b64encode(b"wp1:deadbeef:5:").decode().rstrip("=")
    response = sync_page(demo, token, foreign)
    assert response.status_code == 200
    assert response.json()["reset"] is True
    assert response.json()["changes"]


def test_another_patients_records_never_appear(demo: ClinicServer) -> None:
    alex, _ = sync_all(demo, demo.patient_token())
    morgan, _ = sync_all(demo, demo.patient_token("morgan", "waypoint-demo-2"))
    alex_ids = {(c["type"], c["id"]) for c in alex if c["type"] != "clinic"}
    morgan_ids = {(c["type"], c["id"]) for c in morgan if c["type"] != "clinic"}
    assert not alex_ids & morgan_ids
    assert "Alex Rivera" not in str(morgan)


def test_paging_under_concurrent_writes_loses_and_duplicates_nothing(
    tmp_path: Path, new_server: ServerFactory
) -> None:
    with new_server(tmp_path) as server:
        pid = server.patient_id("alex")
        token = server.patient_token()
        staff = server.staff_token()
        stop = threading.Event()
        written: list[str] = []

        def writer() -> None:
            day = datetime.now(NY).replace(hour=15, minute=0, second=0, microsecond=0)
            with httpx.Client(base_url=server.url, headers=auth(staff), timeout=30) as client:
                for n in range(60):
                    if stop.is_set():
                        return
                    starts = day + timedelta(days=n % 20, minutes=n)
                    body = {
                        "kind": "activity",
                        "title": f"Walk {n}",
                        "starts_at": starts.isoformat(),
                        "ends_at": (starts + timedelta(minutes=30)).isoformat(),
                    }
                    response = client.post(f"/v1/staff/patients/{pid}/schedule", json=body)
                    assert response.status_code == 201
                    written.append(response.json()["id"])
                    if n % 3 == 0:
                        change = {"title": f"Walk {n} (changed)"}
                        client.patch(f"/v1/staff/schedule/{written[n // 2]}", json=change)

        thread = threading.Thread(target=writer)
        thread.start()
        seen: list[dict[str, object]] = []
        cursor = None
        for _ in range(400):
            response = sync_page(server, token, cursor, limit=7)
            body = response.json()
            seen.extend(body["changes"])
            cursor = body["cursor"]
            if not body["has_more"] and not thread.is_alive():
                break
        stop.set()
        thread.join()
        rest, _ = sync_all(server, token, cursor, limit=7)
        seen.extend(rest)
        versions = [int(str(c["version"])) for c in seen]
        assert versions == sorted(versions)
        assert len(versions) == len(set(versions))  # nothing twice
        fresh, _ = sync_all(server, token)
        assert latest(seen) == latest(fresh)  # nothing lost
        assert set(written) <= {i for _, i in latest(seen)}
        assert (
            mutate(server, token, mutation("coping_plan.update", {"reasons": [str(uuid.uuid4())]}))[0][
                "status"
            ]
            == "applied"
        )
