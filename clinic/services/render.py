"""Rows → the `data` of sync records (docs/api.md), with datetimes in the clinic's timezone."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast
from zoneinfo import ZoneInfo

from clinic.schemas import (
    CHANGES,
    AnyChange,
    AssignmentData,
    AttendanceData,
    CheckinData,
    CheckinFlag,
    ClinicData,
    CopingPlanData,
    EnrolmentData,
    FamilyScheduleItemData,
    PatientData,
    QuestionnaireData,
    Record,
    RsvpData,
    ScheduleItemData,
    ShareData,
    SharedPatientData,
    SupportAlertData,
)

COPING_KEYS = (
    "warning_signs",
    "on_my_own",
    "distractions",
    "people_to_ask",
    "professionals",
    "safe_surroundings",
    "reasons",
)

REDISCLOSURE_NOTICE = (
    "This information has been disclosed to you from records protected by federal confidentiality "
    "rules (42 CFR part 2). The federal rules prohibit you from making any further disclosure of "
    "information in this record that identifies a patient as having or having had a substance use "
    "disorder either directly, by reference to publicly available information, or through "
    "verification of such identification by another person unless further disclosure is expressly "
    "permitted by the written consent of the individual whose information is being disclosed or as "
    "otherwise permitted by 42 CFR part 2. A general authorization for the release of medical or "
    "other information is NOT sufficient for this purpose (see 42 CFR 2.31). The federal rules "
    "restrict any use of the information to investigate or prosecute with regard to a crime any "
    "patient with a substance use disorder, except as provided at 42 CFR 2.12(c)(5) and 2.65."
)


def iso(value: datetime | None, tz: ZoneInfo) -> str | None:
    return None if value is None else value.astimezone(tz).isoformat()


def at(value: datetime, tz: ZoneInfo) -> str:
    return value.astimezone(tz).isoformat()


def change(type_: str, record_id: str, version: int, data: Record | None) -> AnyChange:
    """The change of `type_` (its model from the registry); no data: a tombstone."""
    made = CHANGES[type_](type=type_, id=record_id, version=version, deleted=data is None, data=data)
    return cast(AnyChange, made)


ANSWER_KEYS = ("answer_channel", "answer_phone")  # kept in the clinic's `lines` JSON, sent apart


def clinic(row: Any) -> ClinicData:
    lines = {k: str(v) for k, v in dict(row.lines).items() if k not in ANSWER_KEYS}
    channel = row.lines.get("answer_channel")
    return ClinicData(
        name=row.name,
        timezone=row.timezone,
        phone=row.phone,
        response_minutes=row.response_minutes,
        lines=lines,
        # Unless the clinic set otherwise, its care team calls back from the clinic's own number.
        answer_channel="text" if channel == "text" else "call",
        answer_phone=row.lines.get("answer_phone") or row.phone,
    )


def patient(row: Any) -> PatientData:
    return PatientData(
        display_name=row.display_name,
        counselor_name=row.counselor_name,
        counselor_phone=row.counselor_phone,
    )


def enrolment(row: Any) -> EnrolmentData:
    return EnrolmentData(
        program_name=row.program_name,
        start_date=row.start_date.isoformat(),
        planned_weeks=row.planned_weeks,
        days_per_week=row.days_per_week,
    )


def schedule_item(row: Any, tz: ZoneInfo) -> ScheduleItemData:
    return ScheduleItemData(
        kind=row.kind,
        title=row.title,
        starts_at=at(row.starts_at, tz),
        ends_at=at(row.ends_at, tz),
        location=row.location,
        video_url=row.video_url,
        staff_name=row.staff_name,
        status=row.status,
        moved_from=iso(row.moved_from, tz),
        note=row.note,
    )


def family_schedule_item(row: Any, tz: ZoneInfo, scope: str, share_id: str) -> FamilyScheduleItemData:
    data = FamilyScheduleItemData(**schedule_item(row, tz).model_dump(), share_id=share_id)
    if scope == "times":
        hidden = dict(kind="session", title=None, location=None, video_url=None, staff_name=None, note=None)
        data = data.model_copy(update=hidden)
    return data


def assignment(row: Any, tz: ZoneInfo) -> AssignmentData:
    return AssignmentData(
        title=row.title,
        modality=row.modality,
        instructions=row.instructions,
        due_at=iso(row.due_at, tz),
        status=row.status,
        response=row.response,
        completed_at=iso(row.completed_at, tz),
        feedback=row.feedback,
        feedback_by=row.feedback_by,
        feedback_at=iso(row.feedback_at, tz),
    )


def coping_plan(data: dict[str, list[object]] | None) -> CopingPlanData:
    data = data or {}
    return CopingPlanData(**{key: [str(v) for v in data.get(key, [])] for key in COPING_KEYS})


def rsvp(row: Any, tz: ZoneInfo) -> RsvpData:
    return RsvpData(
        schedule_item_id=row.schedule_item_id,
        response=row.response,
        note=row.note,
        updated_at=at(row.updated_at, tz),
    )


def attendance(row: Any) -> AttendanceData:
    return AttendanceData(schedule_item_id=row.schedule_item_id, status=row.status)


def support_alert(row: Any, tz: ZoneInfo) -> SupportAlertData:
    return SupportAlertData(
        created_at=at(row.created_at, tz),
        status=row.status,
        acknowledged_by=row.acknowledged_by,
        acknowledged_at=iso(row.acknowledged_at, tz),
        expected_response_by=at(row.expected_response_by, tz),
        escalation_step=int(row.escalation_step),
    )


def share(row: Any, tz: ZoneInfo) -> ShareData:
    return ShareData(
        recipient_name=row.recipient_name,
        relationship=row.relationship,
        scope=row.scope,
        purpose=row.purpose,
        expires_at=at(row.expires_at, tz),
        status=row.status,
        invitation_expires_at=at(row.invitation_expires_at, tz),
        accepted_at=iso(row.accepted_at, tz),
    )


def shared_patient(row: Any, patient_name: str, tz: ZoneInfo) -> SharedPatientData:
    return SharedPatientData(
        patient_display_name=patient_name,
        scope=row.scope,
        purpose=row.purpose,
        expires_at=at(row.expires_at, tz),
        notice=REDISCLOSURE_NOTICE,
        timezone=tz.key,  # the family device shows times in the clinic's zone
    )


def questionnaire(row: Any) -> QuestionnaireData:
    """A patient's questionnaire: the clinic's definition with the weekdays it is due for them."""
    return QuestionnaireData.model_validate({**row.definition, "due_weekdays": list(row.due_weekdays)})


def checkin_flag(row: Any | None, tz: ZoneInfo) -> CheckinFlag | None:
    if row is None:
        return None
    return CheckinFlag(
        reasons=list(row.reasons),
        status=row.status,
        acknowledged_by=row.acknowledged_by,
        acknowledged_at=iso(row.acknowledged_at, tz),
    )


def checkin(row: Any, flag: Any | None, tz: ZoneInfo) -> CheckinData:
    """A check-in with its newest flag (None: no rule fired)."""
    return CheckinData(
        questionnaire_id=row.questionnaire_id,
        period=row.period.isoformat(),
        answers=dict(row.answers),
        score=row.score,
        submitted_at=at(row.submitted_at, tz),
        updated_at=at(row.updated_at, tz),
        flag=checkin_flag(flag, tz),
    )
