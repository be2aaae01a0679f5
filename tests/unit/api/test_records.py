"""Typed records at the edge: each type parses, a malformed one is a format error, an unknown one is kept."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest

from app.api.errors import ResponseFormatError
from app.api.models import Change, MutationResult, SyncPage
from app.api.records import (
    KNOWN,
    RECORD_TYPES,
    AssignmentRecord,
    AttendanceRecord,
    CheckinFlagData,
    CheckinRecord,
    ClinicRecord,
    CopingPlanRecord,
    EnrolmentRecord,
    PatientRecord,
    QuestionnaireRecord,
    RsvpRecord,
    ScheduleItemRecord,
    SharedPatientRecord,
    ShareRecord,
    SupportAlertRecord,
    UnknownRecord,
    parse_as,
    parse_record,
)
from app.domain.model import (
    AssignmentStatus,
    CrisisLines,
    RsvpResponse,
    SessionKind,
    SessionStatus,
    ShareScope,
)
from tests.support.checkin_data import DAILY

EST = timezone(timedelta(hours=-5))
NINE = "2026-03-02T09:00:00-05:00"
TEN = "2026-03-02T10:00:00-05:00"

# What the reference clinic sends for each record type (clinic/services/render.py, docs/api.md).
WIRE: dict[str, dict[str, Any]] = {
    "clinic": {
        "name": "Riverside",
        "timezone": "America/New_York",
        "phone": "5550100",
        "response_minutes": 20,
        "lines": {
            "lifeline": "988",
            "samhsa": "18006624357",
            "crisis_text_number": "741741",
            "crisis_text_keyword": "HOME",
            "emergency": "911",
        },
        "answer_channel": "call",
        "answer_phone": "5550199",
    },
    "patient": {"display_name": "Alex", "counselor_name": "Dana Reyes", "counselor_phone": "5550101"},
    "enrolment": {"program_name": "IOP", "start_date": "2026-02-16", "planned_weeks": 10, "days_per_week": 3},
    "schedule_item": {
        "kind": "process_group",
        "title": "Process group",
        "starts_at": NINE,
        "ends_at": TEN,
        "location": "Room 2",
        "video_url": None,
        "staff_name": "Sam",
        "status": "moved",
        "moved_from": "2026-03-01T09:00:00-05:00",
        "note": "Moved a day",
    },
    "rsvp": {"schedule_item_id": "s1", "response": "late", "note": "bus", "updated_at": NINE},
    "attendance": {"schedule_item_id": "s1", "status": "attended"},
    "assignment": {
        "title": "Trigger log",
        "modality": "CBT",
        "instructions": "Write",
        "due_at": TEN,
        "status": "done",
        "response": "Wrote it",
        "completed_at": NINE,
        "feedback": "Good",
        "feedback_by": "Dana",
        "feedback_at": TEN,
    },
    "coping_plan": {
        "warning_signs": ["payday"],
        "on_my_own": ["walk"],
        "distractions": [],
        "people_to_ask": ["Jo"],
        "professionals": ["Dana"],
        "safe_surroundings": [],
        "reasons": ["my kids"],
    },
    "support_alert": {
        "created_at": NINE,
        "status": "acknowledged",
        "acknowledged_by": "Dana",
        "acknowledged_at": TEN,
        "expected_response_by": TEN,
    },
    "share": {
        "recipient_name": "Jo",
        "relationship": "partner",
        "scope": "details",
        "purpose": "rides",
        "expires_at": TEN,
        "status": "active",
        "invitation_expires_at": None,
        "accepted_at": NINE,
    },
    "shared_patient": {
        "patient_display_name": "Alex",
        "scope": "times",
        "purpose": "rides",
        "expires_at": TEN,
        "notice": "Do not redisclose.",
        "timezone": "America/New_York",
    },
    "questionnaire": DAILY,
    "checkin": {
        "questionnaire_id": "q-daily",
        "period": "2026-03-02",
        "answers": {"craving": 9, "mood": 4, "confidence": 5, "used": False, "contact": True, "note": ""},
        "score": None,
        "submitted_at": NINE,
        "updated_at": TEN,
        "flag": {
            "reasons": ["craving", "contact"],
            "status": "acknowledged",
            "acknowledged_by": "Sam",
            "acknowledged_at": TEN,
        },
    },
}


def test_every_record_type_the_clinic_sends_has_a_typed_model() -> None:
    assert set(RECORD_TYPES) == set(WIRE)
    assert {kind.TYPE for kind in KNOWN} == set(WIRE)


def test_each_record_is_parsed_into_its_typed_form() -> None:
    nine, ten = datetime.fromisoformat(NINE), datetime.fromisoformat(TEN)
    assert parse_record("clinic", WIRE["clinic"]) == ClinicRecord(
        "Riverside", "America/New_York", "5550100", 20, CrisisLines(), "call", "5550199"
    )
    assert parse_record("patient", WIRE["patient"]) == PatientRecord("Alex", "Dana Reyes", "5550101")
    assert parse_record("enrolment", WIRE["enrolment"]) == EnrolmentRecord("IOP", date(2026, 2, 16), 10, 3)
    assert parse_record("schedule_item", WIRE["schedule_item"]) == ScheduleItemRecord(
        SessionKind.PROCESS_GROUP, nine, ten, SessionStatus.MOVED, "Process group", "Room 2", None, "Sam",
        datetime(2026, 3, 1, 9, tzinfo=EST), "Moved a day",
    )  # fmt: skip
    assert parse_record("rsvp", WIRE["rsvp"]) == RsvpRecord("s1", RsvpResponse.LATE, "bus", nine)
    assert parse_record("attendance", WIRE["attendance"]) == AttendanceRecord("s1", "attended")
    assert parse_record("assignment", WIRE["assignment"]) == AssignmentRecord(
        "Trigger log", "CBT", "Write", ten, AssignmentStatus.DONE, "Wrote it", nine, "Good", "Dana", ten
    )
    assert parse_record("coping_plan", WIRE["coping_plan"]) == CopingPlanRecord(
        ("payday",), ("walk",), (), ("Jo",), ("Dana",), (), ("my kids",)
    )
    assert parse_record("support_alert", WIRE["support_alert"]) == SupportAlertRecord(
        nine, "acknowledged", "Dana", ten, ten
    )
    assert parse_record("share", WIRE["share"]) == ShareRecord(
        "Jo", "partner", ShareScope.DETAILS, "rides", ten, "active", None, nine
    )
    assert parse_record("shared_patient", WIRE["shared_patient"]) == SharedPatientRecord(
        "Alex", ShareScope.TIMES, "rides", ten, "Do not redisclose.", "America/New_York"
    )


def test_a_questionnaire_and_a_check_in_are_parsed_into_their_typed_form() -> None:
    q = parse_record("questionnaire", WIRE["questionnaire"])
    assert isinstance(q, QuestionnaireRecord)
    assert (q.key, q.cadence, q.flag_total_at, len(q.due_weekdays)) == ("daily", "daily", None, 7)
    craving = q.items[0]
    assert (craving.id, craving.kind, craving.min, craving.max, craving.flag_at) == (
        "craving",
        "scale",
        0,
        10,
        8,
    )
    assert craving.text["es"].startswith("¿Qué tan fuerte")
    assert q.items[-1].required is False
    assert parse_record("checkin", WIRE["checkin"]) == CheckinRecord(
        "q-daily", date(2026, 3, 2), WIRE["checkin"]["answers"], datetime.fromisoformat(NINE),
        datetime.fromisoformat(TEN), None,
        CheckinFlagData(("craving", "contact"), "acknowledged", "Sam", datetime.fromisoformat(TEN)),
    )  # fmt: skip


@pytest.mark.parametrize(
    ("type_", "change"),
    [
        ("questionnaire", {"cadence": "hourly"}),
        ("questionnaire", {"items": "craving"}),
        ("questionnaire", {"items": [{"id": "x", "kind": "slider", "text": {}}]}),
        ("checkin", {"period": "yesterday"}),
        ("checkin", {"answers": {"craving": [9]}}),
        ("checkin", {"submitted_at": None}),
    ],
)
def test_a_malformed_questionnaire_or_check_in_is_a_format_error(type_: str, change: dict[str, Any]) -> None:
    with pytest.raises(ResponseFormatError):
        parse_record(type_, {**WIRE[type_], **change})


@pytest.mark.parametrize("type_", sorted(WIRE))
def test_a_record_reads_back_from_its_json_form(type_: str) -> None:
    record = parse_record(type_, WIRE[type_])
    assert not isinstance(record, UnknownRecord)
    assert parse_record(type_, record.to_json()) == record


def test_absent_optional_fields_take_the_defaults_the_app_always_used() -> None:
    clinic = parse_as(ClinicRecord, {"name": "Riverside", "lines": {"lifeline": "988", "other": "1"}})
    assert (clinic.timezone, clinic.response_minutes, clinic.lines) == ("UTC", 30, CrisisLines())
    assert (clinic.answer_channel, clinic.answer_phone) == ("call", None)  # a clinic from before issue 16
    item = parse_as(
        ScheduleItemRecord,
        {"kind": "yoga", "starts_at": NINE, "ends_at": TEN, "moved_from": "2026-03-01T09:00"},
    )
    assert (item.kind, item.status, item.title, item.moved_from) == (
        SessionKind.SESSION,  # a kind this app does not know yet
        SessionStatus.SCHEDULED,
        None,
        None,  # a naive optional time is not trusted
    )
    assignment = parse_as(AssignmentRecord, {"title": "Log"})
    assert (assignment.status, assignment.response, assignment.due_at) == (AssignmentStatus.TODO, "", None)
    assert parse_as(CopingPlanRecord, {}) == CopingPlanRecord()
    assert parse_as(EnrolmentRecord, {"start_date": "2026-02-16"}).planned_weeks == 12
    assert parse_as(SharedPatientRecord, {"scope": "times", "expires_at": TEN}).timezone is None


SECRET = "Dana-said-relapse"  # a value that must never appear in an error message


@pytest.mark.parametrize(
    ("type_", "data", "field"),
    [
        ("schedule_item", {"kind": "check_in", "ends_at": TEN}, "starts_at"),
        ("schedule_item", {"starts_at": "2026-03-02T09:00:00", "ends_at": TEN}, "starts_at"),
        ("schedule_item", {"starts_at": SECRET, "ends_at": TEN}, "starts_at"),
        ("schedule_item", {"starts_at": NINE, "ends_at": TEN, "status": SECRET}, "status"),
        ("schedule_item", {"starts_at": NINE, "ends_at": TEN, "moved_from": SECRET}, "moved_from"),
        ("rsvp", {"schedule_item_id": "s1"}, "response"),
        ("rsvp", {"schedule_item_id": "s1", "response": SECRET}, "response"),
        ("rsvp", {"response": "going"}, "schedule_item_id"),
        ("attendance", {"status": "attended"}, "schedule_item_id"),
        ("enrolment", {"program_name": "IOP"}, "start_date"),
        ("enrolment", {"start_date": SECRET}, "start_date"),
        ("enrolment", {"start_date": "2026-02-16", "planned_weeks": SECRET}, "planned_weeks"),
        ("clinic", {"lines": [SECRET]}, "lines"),
        ("clinic", {"response_minutes": True}, "response_minutes"),
        ("assignment", {"status": SECRET}, "status"),
        ("coping_plan", {"reasons": SECRET}, "reasons"),
        ("support_alert", {"status": "received"}, "created_at"),
        ("share", {"scope": "everything", "expires_at": TEN}, "scope"),
        ("share", {"scope": "times"}, "expires_at"),
        ("shared_patient", {"scope": "times", "expires_at": "2026-03-02"}, "expires_at"),
    ],
)
def test_a_malformed_record_is_a_format_error_naming_the_field_not_its_value(
    type_: str, data: dict[str, Any], field: str
) -> None:
    with pytest.raises(ResponseFormatError) as caught:
        parse_record(type_, data)
    assert f"`{field}`" in str(caught.value)
    assert SECRET not in str(caught.value)


@pytest.mark.parametrize("data", [[], "x", 3])
def test_record_data_that_is_not_an_object_is_a_format_error(data: object) -> None:
    with pytest.raises(ResponseFormatError):
        parse_record("schedule_item", data)


def test_a_record_of_another_type_is_not_taken_for_the_asked_type() -> None:
    with pytest.raises(ResponseFormatError):
        parse_as(ShareRecord, WIRE["shared_patient"] | {"scope": "everything"})


def page(*changes: dict[str, Any]) -> dict[str, Any]:
    return {"changes": list(changes), "cursor": "c2", "has_more": False}


def test_a_sync_page_carries_typed_records_and_keeps_each_as_received() -> None:
    newer = WIRE["rsvp"] | {"mood": "ok"}  # a field a newer clinic adds
    parsed = SyncPage.parse(page({"type": "rsvp", "id": "s1", "version": 4, "data": newer}))
    (change,) = parsed.changes
    assert change.data == RsvpRecord("s1", RsvpResponse.LATE, "bus", datetime.fromisoformat(NINE))
    assert change.wire == newer  # what the store seals: nothing the clinic sent is lost


def test_an_unknown_record_type_is_kept_untouched_for_a_later_version() -> None:
    data = {"question": "How was today?", "scale": [1, 5]}
    parsed = SyncPage.parse(page({"type": "check_in_prompt", "id": "q1", "version": 1, "data": data}))
    (change,) = parsed.changes
    assert change.data == UnknownRecord("check_in_prompt", data)
    assert change.wire == data


def test_a_tombstone_has_no_record() -> None:
    parsed = SyncPage.parse(
        page({"type": "schedule_item", "id": "s1", "version": 9, "deleted": True, "data": None})
    )
    assert parsed.changes[0].data is None


def test_one_malformed_record_makes_the_page_a_format_error() -> None:
    good = {"type": "rsvp", "id": "s1", "version": 4, "data": WIRE["rsvp"]}
    bad = {"type": "schedule_item", "id": "s2", "version": 5, "data": {"starts_at": NINE}}
    with pytest.raises(ResponseFormatError):
        SyncPage.parse(page(good, bad))


def test_a_mutation_result_carries_the_typed_server_record() -> None:
    change = {"type": "support_alert", "id": "k1", "version": 3, "data": WIRE["support_alert"]}
    result = MutationResult.parse({"id": "k1", "status": "applied", "change": change})
    assert isinstance(result.change, Change)
    assert isinstance(result.change.data, SupportAlertRecord)
    assert result.change.data.created_at == datetime(2026, 3, 2, 14, tzinfo=UTC)
