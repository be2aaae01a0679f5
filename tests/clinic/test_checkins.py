"""Daily check-ins and weekly questionnaires (issue 12, clinic side): what a patient may send, how
an amendment and a taken period are answered, the flags answers raise (one per check-in, every
reason), staff acknowledging them back into the patient's record, and the staff stream carrying
flags on the alerts' sequence."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from tests.clinic.helpers import auth, latest, mutate, mutation, raise_alert, sync_all
from tests.support.clinic_server import ClinicServer
from tests.support.polling import wait_until

CLINIC_ZONE = ZoneInfo("America/New_York")  # the demo clinic's
CALM = {"craving": 2, "mood": 7, "confidence": 8, "used": False, "contact": False}


@dataclass
class Patient:
    id: str
    token: str
    questionnaires: dict[str, str]  # key → the questionnaire record's id


def clinic_today() -> date:
    return datetime.now(CLINIC_ZONE).date()


def new_patient(server: ClinicServer, username: str, start: date | None = None) -> Patient:
    """A patient of the demo clinic, signed in once (so with a device)."""
    body = {
        "display_name": f"Test {username}",
        "username": username,
        "password": "checkin-pass-1",
        "start_date": (start or clinic_today() - timedelta(days=14)).isoformat(),
    }
    created = httpx.post(
        f"{server.url}/v1/staff/patients", json=body, headers=auth(server.staff_token()), timeout=10
    )
    assert created.status_code == 201, created.text
    token = str(server.sign_in(username, "checkin-pass-1")["access_token"])
    return Patient(str(created.json()["id"]), token, questionnaire_ids(server, token))


def questionnaire_ids(server: ClinicServer, token: str) -> dict[str, str]:
    changes, _ = sync_all(server, token)
    return {c["data"]["key"]: c["id"] for c in changes if c["type"] == "questionnaire" and not c["deleted"]}


def submit(
    server: ClinicServer,
    patient: Patient,
    answers: dict[str, Any],
    *,
    key: str = "daily",
    period: date | None = None,
    checkin_id: str | None = None,
    answered_at: str | None = None,
    mutation_id: str | None = None,
    raw: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """One checkin.submit through POST /v1/mutations; its result. `raw`: payload fields to replace
    (None: leave the field out)."""
    payload: dict[str, Any] = {
        "checkin_id": checkin_id or str(uuid.uuid4()),
        "questionnaire_id": patient.questionnaires[key],
        "period": str(period or clinic_today()),
        "answered_at": answered_at or datetime.now(UTC).isoformat(),
        "answers": answers,
    }
    for field, value in (raw or {}).items():
        if value is None:
            payload.pop(field)
        else:
            payload[field] = value
    return mutate(server, patient.token, mutation("checkin.submit", payload, id_=mutation_id))[0]


def staff_get(server: ClinicServer, path: str, **params: Any) -> Any:
    response = httpx.get(f"{server.url}{path}", params=params, headers=auth(server.staff_token()), timeout=10)
    assert response.status_code == 200, response.text
    return response.json()


def staff_checkins(server: ClinicServer, patient: Patient, **params: Any) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = staff_get(server, f"/v1/staff/patients/{patient.id}/checkins", **params)
    return result


def flags_of(server: ClinicServer, patient_id: str) -> list[dict[str, Any]]:
    return [f for f in staff_get(server, "/v1/staff/flags") if f["patient_id"] == patient_id]


def ack(server: ClinicServer, flag_id: str, note: str | None = None) -> dict[str, Any]:
    response = httpx.post(
        f"{server.url}/v1/staff/flags/{flag_id}/ack",
        json={} if note is None else {"note": note},
        headers=auth(server.staff_token()),
        timeout=10,
    )
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


def checkin_records(server: ClinicServer, token: str) -> dict[str, dict[str, Any]]:
    changes, _ = sync_all(server, token)
    return {k[1]: v for k, v in latest(changes).items() if k[0] == "checkin"}


# -- validation: bad input is a rejected mutation with a reason, and nothing is stored -----------

BAD: list[tuple[str, dict[str, Any], str]] = [
    ("unknown questionnaire", {"questionnaire_id": "no-such-questionnaire"}, "checkin.questionnaire_unknown"),
    ("unknown item", {"answers": {**CALM, "weather": 3}}, "checkin.answers_invalid"),
    (
        "hostile item id",
        {"answers": {**CALM, "craving'; DROP TABLE checkins;--": 1}},
        "checkin.answers_invalid",
    ),
    (
        "required item missing",
        {"answers": {k: v for k, v in CALM.items() if k != "mood"}},
        "checkin.answers_invalid",
    ),
    ("scale as text", {"answers": {**CALM, "craving": "9"}}, "checkin.answers_invalid"),
    ("scale as yes", {"answers": {**CALM, "craving": True}}, "checkin.answers_invalid"),
    ("scale above range", {"answers": {**CALM, "craving": 11}}, "checkin.answers_invalid"),
    ("scale below range", {"answers": {**CALM, "mood": -1}}, "checkin.answers_invalid"),
    ("huge number", {"answers": {**CALM, "confidence": 10**30}}, "checkin.answers_invalid"),
    ("scale as a fraction", {"answers": {**CALM, "craving": 9.5}}, "mutation.invalid"),
    ("yes/no as a number", {"answers": {**CALM, "used": 1}}, "checkin.answers_invalid"),
    ("yes/no as text", {"answers": {**CALM, "contact": "yes"}}, "checkin.answers_invalid"),
    ("text as a number", {"answers": {**CALM, "note": 5}}, "checkin.answers_invalid"),
    ("text too long", {"answers": {**CALM, "note": "x" * 2001}}, "mutation.invalid"),
    ("text with NUL", {"answers": {**CALM, "note": "a\x00b"}}, "mutation.invalid"),
    ("answers a list", {"answers": [1, 2, 3]}, "mutation.invalid"),
    ("answer an object", {"answers": {**CALM, "note": {"$gt": ""}}}, "mutation.invalid"),
    ("too many answers", {"answers": {f"item{n}": 1 for n in range(51)}}, "mutation.invalid"),
    ("period two days ahead", {"period": 2}, "checkin.period_invalid"),
    ("period eight days old", {"period": -8}, "checkin.period_invalid"),
    ("period not a date", {"period": "2026-13-45"}, "mutation.invalid"),
    ("period missing", {"period": None}, "mutation.invalid"),
    ("weekly period not a Monday", {"key": "phq2", "period": "tuesday"}, "checkin.period_invalid"),
    (
        "weekly choice not offered",
        {"key": "phq2", "answers": {"phq2_1": 4, "phq2_2": 0}},
        "checkin.answers_invalid",
    ),
    (
        "weekly item of another questionnaire",
        {"key": "phq2", "answers": {"gad2_1": 1, "gad2_2": 1}},
        "checkin.answers_invalid",
    ),
    ("checkin id with spaces", {"checkin_id": "not an id"}, "mutation.invalid"),
    ("checkin id too long", {"checkin_id": "a" * 65}, "mutation.invalid"),
    ("answered_at without offset", {"answered_at": "2026-11-30T10:00:00"}, "mutation.invalid"),
]


@pytest.fixture(scope="module")
def quiet(demo: ClinicServer) -> Patient:
    """A patient whose every check-in in this module is refused: nothing of theirs may be stored."""
    return new_patient(demo, "checkin-refused")


@pytest.mark.parametrize(("case", "change", "code"), BAD, ids=[b[0] for b in BAD])
def test_bad_check_ins_are_rejected_with_a_reason_and_nothing_is_stored(
    demo: ClinicServer, quiet: Patient, case: str, change: dict[str, Any], code: str
) -> None:
    raw = dict(change)
    key = raw.pop("key", "daily")
    answers = raw.pop("answers", CALM if key == "daily" else {"phq2_1": 1, "phq2_2": 1})
    monday = clinic_today() - timedelta(days=clinic_today().weekday())
    period = raw.get("period", 0 if key == "daily" else "monday")
    if period == "monday":
        raw["period"] = str(monday)
    elif isinstance(period, int):
        raw["period"] = str(clinic_today() + timedelta(days=period))
    elif period == "tuesday":  # this week's (a Monday: not one)
        raw["period"] = str(monday + timedelta(days=1))
    result = submit(demo, quiet, answers, key=key, raw=raw)
    assert result["status"] == "rejected", case
    assert result["code"] == code, result
    assert result["reason"]
    assert staff_checkins(demo, quiet) == []
    assert checkin_records(demo, quiet.token) == {}
    assert flags_of(demo, quiet.id) == []


def test_another_patients_questionnaire_is_unknown(demo: ClinicServer, quiet: Patient) -> None:
    other = new_patient(demo, "checkin-other")
    theirs = Patient(quiet.id, quiet.token, other.questionnaires)
    result = submit(demo, theirs, CALM)
    assert (result["status"], result["code"]) == ("rejected", "checkin.questionnaire_unknown")
    assert staff_checkins(demo, quiet) == []
    assert staff_checkins(demo, other) == []


# -- storing, amending, periods ----------------------------------------------------------------


def test_a_check_in_is_stored_amended_by_its_id_and_one_per_period(demo: ClinicServer) -> None:
    patient = new_patient(demo, "checkin-amend")
    checkin_id, mutation_id = str(uuid.uuid4()), str(uuid.uuid4())
    first = submit(
        demo,
        patient,
        {**CALM, "note": "Slept well 💙"},
        checkin_id=checkin_id,
        mutation_id=mutation_id,
        answered_at="2026-11-30T12:00:00Z",
    )
    assert first["status"] == "applied", first
    record = first["change"]
    assert (record["type"], record["id"]) == ("checkin", checkin_id)
    assert record["data"]["questionnaire_id"] == patient.questionnaires["daily"]
    assert record["data"]["period"] == clinic_today().isoformat()
    assert record["data"]["answers"] == {**CALM, "note": "Slept well 💙"}
    assert record["data"]["score"] is None
    assert record["data"]["flag"] is None
    # the outbox retrying the same mutation: the first answer again
    again = submit(
        demo,
        patient,
        {**CALM, "note": "Slept well 💙"},
        checkin_id=checkin_id,
        mutation_id=mutation_id,
        answered_at="2026-11-30T12:00:00Z",
    )
    assert again["status"] == "duplicate"
    assert again["change"] == record
    # the same day amended: answers replaced, updated_at moves, submitted_at stays
    amended = submit(
        demo, patient, {**CALM, "mood": 4}, checkin_id=checkin_id, answered_at="2026-11-30T15:30:00Z"
    )
    assert amended["status"] == "applied", amended
    data = amended["change"]["data"]
    assert data["answers"] == {**CALM, "mood": 4}
    assert data["submitted_at"] == record["data"]["submitted_at"]
    assert datetime.fromisoformat(data["updated_at"]) > datetime.fromisoformat(data["submitted_at"])
    assert amended["change"]["version"] > record["version"]
    # another id for the same period: 409 checkin.period_taken, nothing changes
    taken = submit(demo, patient, {**CALM, "craving": 9})
    assert (taken["status"], taken["code"]) == ("rejected", "checkin.period_taken")
    # the same id for another period: refused too
    moved = submit(demo, patient, CALM, checkin_id=checkin_id, period=clinic_today() - timedelta(days=1))
    assert (moved["status"], moved["code"]) == ("rejected", "checkin.id_taken")
    (stored,) = staff_checkins(demo, patient)
    assert stored["id"] == checkin_id
    assert stored["answers"] == {**CALM, "mood": 4}
    assert stored["questionnaire_key"] == "daily"
    assert checkin_records(demo, patient.token)[checkin_id]["data"] == data
    assert flags_of(demo, patient.id) == []
    # yesterday and tomorrow (clock slack) are periods of their own
    for days in (-1, 1):
        other = submit(demo, patient, CALM, period=clinic_today() + timedelta(days=days))
        assert other["status"] == "applied", other
    assert len(staff_checkins(demo, patient)) == 3


def test_a_check_in_id_of_another_patient_neither_leaks_nor_blocks(demo: ClinicServer) -> None:
    first, second = new_patient(demo, "checkin-id-a"), new_patient(demo, "checkin-id-b")
    shared_id = str(uuid.uuid4())
    assert submit(demo, first, CALM, checkin_id=shared_id)["status"] == "applied"
    theirs = submit(demo, second, {**CALM, "craving": 5}, checkin_id=shared_id)
    assert theirs["status"] == "applied", theirs
    assert theirs["change"]["id"] != shared_id
    assert theirs["change"]["data"]["answers"]["craving"] == 5
    assert staff_checkins(demo, first)[0]["answers"] == CALM  # untouched


def test_weekly_questionnaires_are_scored_and_flag_at_three(demo: ClinicServer) -> None:
    patient = new_patient(demo, "checkin-weekly")
    monday = clinic_today() - timedelta(days=clinic_today().weekday())
    phq2 = submit(demo, patient, {"phq2_1": 2, "phq2_2": 1}, key="phq2", period=monday)
    gad2 = submit(demo, patient, {"gad2_1": 1, "gad2_2": 1}, key="gad2", period=monday)
    assert phq2["status"] == gad2["status"] == "applied"
    assert phq2["change"]["data"]["score"] == 3
    assert phq2["change"]["data"]["flag"]["reasons"] == ["phq2"]
    assert gad2["change"]["data"]["score"] == 2
    assert gad2["change"]["data"]["flag"] is None
    (flag,) = flags_of(demo, patient.id)
    assert (flag["reasons"], flag["severity"], flag["checkin_id"]) == (
        ["phq2"],
        "medium",
        phq2["change"]["id"],
    )


def test_the_patients_questionnaires_are_the_clinics_in_three_languages(demo: ClinicServer) -> None:
    changes, _ = sync_all(demo, demo.patient_token())
    records = {c["data"]["key"]: c["data"] for c in changes if c["type"] == "questionnaire"}
    assert set(records) == {"daily", "phq2", "gad2"}
    daily = records["daily"]
    assert daily["cadence"] == "daily"
    assert len(daily["due_weekdays"]) == 7
    assert [i["id"] for i in daily["items"]] == ["craving", "mood", "confidence", "used", "contact", "note"]
    items = {i["id"]: i for i in daily["items"]}
    assert (items["craving"]["min"], items["craving"]["max"], items["craving"]["flag_at"]) == (0, 10, 8)
    assert items["used"]["flag_at"] == items["contact"]["flag_at"] == 1
    assert items["note"]["required"] is False
    assert items["mood"]["flag_at"] is None
    assert items["used"]["text"]["en"] == "Have you used alcohol or drugs since your last check-in?"
    for record in records.values():
        for item in record["items"]:
            assert set(item["text"]) == {"en", "es", "pt_BR"}
    phq2 = records["phq2"]
    assert (phq2["cadence"], phq2["due_weekdays"], phq2["flag_total_at"]) == ("weekly", ["thu"], 3)
    assert [i["text"]["en"] for i in phq2["items"]] == [
        "Little interest or pleasure in doing things",
        "Feeling down, depressed, or hopeless",
    ]
    assert [i["text"]["en"] for i in records["gad2"]["items"]] == [
        "Feeling nervous, anxious or on edge",
        "Not being able to stop or control worrying",
    ]
    assert [(c["value"], c["text"]["en"]) for c in phq2["items"][0]["choices"]] == [
        (0, "Not at all"),
        (1, "Several days"),
        (2, "More than half the days"),
        (3, "Nearly every day"),
    ]
    assert "Spitzer" in phq2["attribution"]
    assert "Pfizer" in records["gad2"]["attribution"]
    assert not {c["type"] for c in changes} & {"flag"}  # flags are the care team's, never synced


# -- flags ----------------------------------------------------------------------------------------


def test_craving_and_contact_raise_one_flag_streamed_once_and_acked_back_to_the_patient(
    demo: ClinicServer,
) -> None:
    patient = new_patient(demo, "checkin-flagged")
    with demo.open_alert_stream(poll=30) as stream:
        wait_until(lambda: stream.connections, 5, message="the stream did not open")
        result = submit(demo, patient, {**CALM, "craving": 9, "contact": True})
        assert result["status"] == "applied", result
        assert result["change"]["data"]["flag"] == {
            "reasons": ["contact", "craving"],
            "status": "open",
            "acknowledged_by": None,
            "acknowledged_at": None,
        }
        event = stream.wait_for(lambda e: e["data"].get("patient_id") == patient.id, timeout=5)
        assert event is not None
        assert event["event"] == "flag"
        flag = event["data"]
        assert (flag["reasons"], flag["severity"], flag["status"]) == (["contact", "craving"], "high", "open")
        assert flag["checkin_id"] == result["change"]["id"]
        assert flag["patient_name"] == "Test checkin-flagged"
        assert event["id"] == str(flag["version"])
        seen = ack(demo, flag["id"], note="Called at 10:15; on the way to a meeting.")
        acked = stream.wait_for(
            lambda e: e["data"].get("id") == flag["id"] and e["data"]["status"] == "acknowledged", timeout=5
        )
        assert acked is not None
        ours = [e for e in stream.events if e["data"].get("patient_id") == patient.id]
        assert [(e["event"], e["data"]["status"]) for e in ours] == [
            ("flag", "open"),
            ("flag", "acknowledged"),
        ]
    assert (seen["status"], seen["acknowledged_by"]) == ("acknowledged", "Sam Ortiz")
    assert seen["note"] == "Called at 10:15; on the way to a meeting."
    assert seen["version"] > flag["version"]
    assert ack(demo, flag["id"], note="again") == seen  # acking again changes nothing
    record = checkin_records(demo, patient.token)[result["change"]["id"]]
    assert record["data"]["flag"]["status"] == "acknowledged"
    assert record["data"]["flag"]["acknowledged_by"] == "Sam Ortiz"
    assert record["data"]["flag"]["acknowledged_at"] == seen["acknowledged_at"]
    assert "note" not in record["data"]["flag"]  # the team's note is the team's
    actions = demo.audit_actions(patient.id)
    assert actions["flag.ack"] == 1


def test_amendments_add_reasons_to_an_open_flag_and_raise_a_new_one_after_ack(demo: ClinicServer) -> None:
    patient = new_patient(demo, "checkin-amend-flag")
    checkin_id = str(uuid.uuid4())
    assert submit(demo, patient, {**CALM, "used": True}, checkin_id=checkin_id)["status"] == "applied"
    (first,) = flags_of(demo, patient.id)
    assert first["reasons"] == ["used"]
    # open: the amendment's new reason joins the same flag
    submit(demo, patient, {**CALM, "used": True, "craving": 8}, checkin_id=checkin_id)
    (same,) = flags_of(demo, patient.id)
    assert (same["id"], same["reasons"]) == (first["id"], ["used", "craving"])
    # nothing new: nothing changes; a reason no longer fired is kept
    submit(demo, patient, {**CALM, "used": True}, checkin_id=checkin_id)
    (kept,) = flags_of(demo, patient.id)
    assert (kept["reasons"], kept["version"]) == (["used", "craving"], same["version"])
    ack(demo, first["id"])
    # acknowledged: the same reasons again raise nothing; a new one raises a new flag
    submit(demo, patient, {**CALM, "used": True, "craving": 9}, checkin_id=checkin_id)
    assert [f["id"] for f in flags_of(demo, patient.id)] == [first["id"]]
    latest_answer = submit(demo, patient, {**CALM, "used": True, "contact": True}, checkin_id=checkin_id)
    flags = flags_of(demo, patient.id)
    assert [(f["status"], f["reasons"]) for f in flags] == [
        ("open", ["used", "contact"]),
        ("acknowledged", ["used", "craving"]),
    ]
    assert latest_answer["change"]["data"]["flag"]["status"] == "open"  # the newest flag
    assert latest_answer["change"]["data"]["flag"]["reasons"] == ["used", "contact"]


def test_ack_of_an_unknown_or_other_clinics_flag_is_404(demo: ClinicServer) -> None:
    response = httpx.post(
        f"{demo.url}/v1/staff/flags/{uuid.uuid4()}/ack", json={}, headers=auth(demo.staff_token()), timeout=10
    )
    assert (response.status_code, response.json()["code"]) == (404, "not_found")
    too_long = httpx.post(
        f"{demo.url}/v1/staff/flags/{uuid.uuid4()}/ack",
        json={"note": "x" * 2001},
        headers=auth(demo.staff_token()),
        timeout=10,
    )
    assert too_long.status_code in {400, 422}


def test_last_event_id_resumes_alerts_and_flags_on_one_sequence(demo: ClinicServer) -> None:
    patient = new_patient(demo, "checkin-resume")
    alex = demo.patient_token()
    first_alert = str(uuid.uuid4())
    assert raise_alert(demo, alex, first_alert).status_code == 201
    start = next(a for a in demo.support_alerts() if a["id"] == first_alert)["version"]
    flag_one = submit(demo, patient, {**CALM, "used": True}, period=clinic_today() - timedelta(days=2))
    second_alert = str(uuid.uuid4())
    assert raise_alert(demo, alex, second_alert).status_code == 201
    flag_two = submit(demo, patient, {**CALM, "contact": True}, period=clinic_today() - timedelta(days=1))
    assert flag_one["status"] == flag_two["status"] == "applied"
    events = demo.stream_alerts(timeout=1.5, last_event_id=str(start))
    kinds = [(e["event"], e["data"].get("checkin_id") or e["data"]["id"]) for e in events]
    assert kinds == [
        ("flag", flag_one["change"]["id"]),
        ("support_alert", second_alert),
        ("flag", flag_two["change"]["id"]),
    ]
    ids = [int(e["id"]) for e in events]
    assert ids == sorted(ids)
    assert ids[0] > start
    resumed = demo.stream_alerts(timeout=1.5, last_event_id=events[0]["id"])
    assert [e["id"] for e in resumed] == [e["id"] for e in events[1:]]
    # without Last-Event-ID: the open alerts and open flags, each once
    fresh = demo.stream_alerts(timeout=1.5)
    flagged = [e for e in fresh if e["event"] == "flag" and e["data"]["patient_id"] == patient.id]
    assert len(flagged) == 2
    assert all(e["data"]["status"] == "open" for e in flagged)
    assert all(e["data"]["status"] in {"open", "received"} for e in fresh)
    for alert_id in (first_alert, second_alert):
        demo.ack_alert(alert_id)


# -- staff reads -------------------------------------------------------------------------------


def test_staff_page_a_patients_check_ins_and_read_their_trends_audited(demo: ClinicServer) -> None:
    alex = demo.patient_id("alex")
    patient = Patient(alex, "", {})
    seen: list[dict[str, Any]] = []
    before: str | None = None
    while True:
        params: dict[str, Any] = {"limit": 7, **({"before": before} if before else {})}
        page = staff_checkins(demo, patient, **params)
        seen += page
        if len(page) < 7:
            break
        before = page[-1]["id"]
    assert len({c["id"] for c in seen}) == len(seen)
    periods = [c["period"] for c in seen]
    assert periods == sorted(periods, reverse=True)
    daily = [c for c in seen if c["questionnaire_key"] == "daily"]
    assert len(daily) >= 23  # four weeks less a few skipped days (the demo's)
    acked = [c for c in daily if c["flag"] is not None]
    assert [c["flag"]["status"] for c in acked] == ["acknowledged"]
    assert {c["questionnaire_key"] for c in seen} >= {"daily", "phq2", "gad2"}
    trends = staff_get(demo, f"/v1/staff/patients/{alex}/trends", weeks=4)
    assert len(trends["weeks"]) == 4
    mondays = [date.fromisoformat(w["week_start"]) for w in trends["weeks"]]
    assert all(m.weekday() == 0 for m in mondays)
    assert mondays[-1] <= clinic_today()
    assert {d["date"] for d in trends["days"]} <= {c["period"] for c in daily}
    assert max(d["craving"] for d in trends["days"]) == 8  # the hard weekend
    first_week, last_week = trends["weeks"][0], trends["weeks"][-2]
    assert first_week["craving"] > last_week["craving"]  # craving eases over the month
    unknown = httpx.get(
        f"{demo.url}/v1/staff/patients/{alex}/checkins",
        params={"before": "no-such-checkin"},
        headers=auth(demo.staff_token()),
        timeout=10,
    )
    assert unknown.status_code == 404
    actions = demo.audit_actions(alex)
    assert actions["staff.checkins.read"] >= 4
    assert actions["staff.trends.read"] == 1


def test_the_longest_ids_and_non_ascii_answers_fit_every_column(demo: ClinicServer) -> None:
    """PostgreSQL enforces VARCHAR lengths that SQLite ignores: 64-character ids must fit."""
    patient = new_patient(demo, "checkin-long-ids")
    checkin_id, mutation_id = "c" * 64, "m" * 64
    note = "Ana María 💙 家族 line\u2028separator"
    first = submit(demo, patient, {**CALM, "note": note}, checkin_id=checkin_id, mutation_id=mutation_id)
    assert first["status"] == "applied", first
    assert first["change"]["data"]["answers"]["note"] == note
    # another patient's 64-character id: stored under the derived id (64 hex characters)
    other = new_patient(demo, "checkin-long-ids-2")
    theirs = submit(demo, other, CALM, checkin_id=checkin_id, mutation_id=mutation_id)
    assert theirs["status"] == "applied", theirs
    assert len(theirs["change"]["id"]) == 64
