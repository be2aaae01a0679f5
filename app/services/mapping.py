"""Typed records (app.api.records) → domain dataclasses, with datetimes in the clinic's timezone."""

from __future__ import annotations

from datetime import datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from app.api.mutations import RsvpSet
from app.api.records import (
    AssignmentRecord,
    AttendanceRecord,
    ClinicRecord,
    CopingPlanRecord,
    EnrolmentRecord,
    PatientRecord,
    RsvpRecord,
    ScheduleItemRecord,
    SharedPatientRecord,
    ShareRecord,
    SupportAlertRecord,
)
from app.domain.model import (
    AlertState,
    Assignment,
    Attendance,
    Clinic,
    CopingPlan,
    Enrolment,
    Patient,
    Rsvp,
    ScheduleItem,
    Share,
    SharedPatient,
    SupportAlert,
)
from app.domain.zones import usable_zone


def zone(clinic: Clinic | None) -> tzinfo | None:
    if clinic is None:
        return None
    try:
        return ZoneInfo(clinic.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def local(value: datetime, tz: tzinfo | None) -> datetime:
    """An aware time shown in the clinic's zone when it is known."""
    return value.astimezone(tz) if tz is not None else value


def _local(value: datetime | None, tz: tzinfo | None) -> datetime | None:
    return None if value is None else local(value, tz)


def clinic(id_: str, r: ClinicRecord) -> Clinic:
    return Clinic(
        id_, r.name, r.timezone, r.phone, r.response_minutes, r.lines, r.answer_channel, r.answer_phone
    )


def patient(id_: str, r: PatientRecord) -> Patient:
    return Patient(id_, r.display_name, r.counselor_name, r.counselor_phone)


def enrolment(id_: str, r: EnrolmentRecord) -> Enrolment:
    return Enrolment(id_, r.program_name, r.start_date, r.planned_weeks, r.days_per_week)


def schedule_item(id_: str, r: ScheduleItemRecord, tz: tzinfo | None) -> ScheduleItem:
    return ScheduleItem(
        id=id_,
        kind=r.kind,
        starts_at=local(r.starts_at, tz),
        ends_at=local(r.ends_at, tz),
        status=r.status,
        title=r.title,
        location=r.location,
        video_url=r.video_url,
        staff_name=r.staff_name,
        moved_from=_local(r.moved_from, tz),
        note=r.note,
        share_id=r.share_id,
    )


def rsvp(r: RsvpRecord, tz: tzinfo | None) -> Rsvp:
    return Rsvp(r.schedule_item_id, r.response, r.note, _local(r.updated_at, tz))


def pending_rsvp(m: RsvpSet) -> Rsvp:
    """An answer still in the outbox."""
    return Rsvp(m.schedule_item_id, m.response, m.note, None, pending=True)


def attendance(r: AttendanceRecord) -> Attendance:
    return Attendance(r.schedule_item_id, r.status == "attended")


def assignment(id_: str, r: AssignmentRecord, tz: tzinfo | None) -> Assignment:
    return Assignment(
        id=id_,
        title=r.title,
        modality=r.modality,
        instructions=r.instructions,
        due_at=_local(r.due_at, tz),
        status=r.status,
        response=r.response,
        completed_at=_local(r.completed_at, tz),
        feedback=r.feedback,
        feedback_by=r.feedback_by,
        feedback_at=_local(r.feedback_at, tz),
    )


def coping_plan(r: CopingPlanRecord, *, pending: bool = False) -> CopingPlan:
    return CopingPlan(
        warning_signs=r.warning_signs,
        on_my_own=r.on_my_own,
        distractions=r.distractions,
        people_to_ask=r.people_to_ask,
        professionals=r.professionals,
        safe_surroundings=r.safe_surroundings,
        reasons=r.reasons,
        pending=pending,
    )


def coping_plan_record(plan: CopingPlan) -> CopingPlanRecord:
    return CopingPlanRecord(
        plan.warning_signs, plan.on_my_own, plan.distractions, plan.people_to_ask,
        plan.professionals, plan.safe_surroundings, plan.reasons,
    )  # fmt: skip


def support_alert(id_: str, r: SupportAlertRecord, tz: tzinfo | None) -> SupportAlert:
    return SupportAlert(
        id=id_,
        created_at=local(r.created_at, tz),
        state=AlertState.SEEN if r.status == "acknowledged" else AlertState.SENT,
        acknowledged_by=r.acknowledged_by,
        acknowledged_at=_local(r.acknowledged_at, tz),
        expected_response_by=_local(r.expected_response_by, tz),
        escalation_step=r.escalation_step,
    )


def share(id_: str, r: ShareRecord, tz: tzinfo | None, *, code: str | None = None) -> Share:
    return Share(
        id=id_,
        recipient_name=r.recipient_name,
        relationship=r.relationship,
        scope=r.scope,
        purpose=r.purpose,
        expires_at=local(r.expires_at, tz),
        status=r.status,
        invitation_code=code,
        invitation_expires_at=_local(r.invitation_expires_at, tz),
        accepted_at=_local(r.accepted_at, tz),
    )


def shared_patient(id_: str, r: SharedPatientRecord, tz: tzinfo | None) -> SharedPatient:
    return SharedPatient(
        share_id=id_,
        patient_display_name=r.patient_display_name,
        scope=r.scope,
        purpose=r.purpose,
        expires_at=local(r.expires_at, tz),
        notice=r.notice,
        timezone=usable_zone(r.timezone),
    )
