"""Decrypted store records → domain dataclasses, with datetimes in the clinic's timezone."""

from __future__ import annotations

from datetime import date, datetime, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from app.domain.model import (
    Assignment,
    AssignmentStatus,
    Attendance,
    Clinic,
    CopingPlan,
    CrisisLines,
    Enrolment,
    Patient,
    Rsvp,
    RsvpResponse,
    ScheduleItem,
    SessionKind,
    SessionStatus,
    Share,
    SharedPatient,
    ShareScope,
)
from app.domain.zones import usable_zone

JSON = dict[str, Any]


def zone(clinic: Clinic | None) -> tzinfo | None:
    if clinic is None:
        return None
    try:
        return ZoneInfo(clinic.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def when(value: object, tz: tzinfo | None) -> datetime | None:
    """Parse an ISO datetime with offset; shown in the clinic's zone when it is known."""
    if not isinstance(value, str):
        return None
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        return None  # the contract promises offsets; a naive time is not trusted
    return parsed.astimezone(tz) if tz is not None else parsed


def _req(value: datetime | None) -> datetime:
    if value is None:
        raise ValueError("missing datetime")
    return value


def _s(value: object) -> str | None:
    return value if isinstance(value, str) else None


def clinic(id_: str, d: JSON) -> Clinic:
    lines = d.get("lines") or {}
    return Clinic(
        id=id_,
        name=str(d.get("name", "")),
        timezone=str(d.get("timezone", "UTC")),
        phone=str(d.get("phone", "")),
        response_minutes=int(d.get("response_minutes") or 30),
        lines=CrisisLines(**{k: str(v) for k, v in lines.items() if k in CrisisLines.__slots__}),
    )


def patient(id_: str, d: JSON) -> Patient:
    return Patient(
        id_, str(d.get("display_name", "")), _s(d.get("counselor_name")), _s(d.get("counselor_phone"))
    )


def enrolment(id_: str, d: JSON) -> Enrolment:
    return Enrolment(
        id=id_,
        program_name=str(d.get("program_name", "")),
        start_date=date.fromisoformat(str(d["start_date"])),
        planned_weeks=int(d.get("planned_weeks") or 12),
        days_per_week=int(d.get("days_per_week") or 3),
    )


def schedule_item(id_: str, d: JSON, tz: tzinfo | None) -> ScheduleItem:
    try:
        kind = SessionKind(str(d.get("kind")))
    except ValueError:
        kind = SessionKind.SESSION
    return ScheduleItem(
        id=id_,
        kind=kind,
        starts_at=_req(when(d.get("starts_at"), tz)),
        ends_at=_req(when(d.get("ends_at"), tz)),
        status=SessionStatus(d.get("status", "scheduled")),
        title=_s(d.get("title")),
        location=_s(d.get("location")),
        video_url=_s(d.get("video_url")),
        staff_name=_s(d.get("staff_name")),
        moved_from=when(d.get("moved_from"), tz),
        note=_s(d.get("note")),
        share_id=_s(d.get("share_id")),
    )


def rsvp(d: JSON, tz: tzinfo | None, *, pending: bool = False) -> Rsvp:
    return Rsvp(
        schedule_item_id=str(d["schedule_item_id"]),
        response=RsvpResponse(d["response"]),
        note=str(d.get("note") or ""),
        updated_at=when(d.get("updated_at"), tz),
        pending=pending,
    )


def attendance(d: JSON) -> Attendance:
    return Attendance(str(d["schedule_item_id"]), d.get("status") == "attended")


def assignment(id_: str, d: JSON, tz: tzinfo | None) -> Assignment:
    return Assignment(
        id=id_,
        title=str(d.get("title", "")),
        modality=str(d.get("modality", "")),
        instructions=str(d.get("instructions", "")),
        due_at=when(d.get("due_at"), tz),
        status=AssignmentStatus(d.get("status", "todo")),
        response=str(d.get("response") or ""),
        completed_at=when(d.get("completed_at"), tz),
        feedback=_s(d.get("feedback")),
        feedback_by=_s(d.get("feedback_by")),
        feedback_at=when(d.get("feedback_at"), tz),
    )


def coping_plan(d: JSON, *, pending: bool = False) -> CopingPlan:
    def items(key: str) -> tuple[str, ...]:
        return tuple(str(x) for x in d.get(key) or ())

    return CopingPlan(
        warning_signs=items("warning_signs"),
        on_my_own=items("on_my_own"),
        distractions=items("distractions"),
        people_to_ask=items("people_to_ask"),
        professionals=items("professionals"),
        safe_surroundings=items("safe_surroundings"),
        reasons=items("reasons"),
        pending=pending,
    )


def coping_plan_json(plan: CopingPlan) -> JSON:
    keys = ("warning_signs", "on_my_own", "distractions", "people_to_ask", "professionals",
            "safe_surroundings", "reasons")  # fmt: skip
    return {k: list(getattr(plan, k)) for k in keys}


def share(id_: str, d: JSON, tz: tzinfo | None, *, code: str | None = None) -> Share:
    return Share(
        id=id_,
        recipient_name=str(d.get("recipient_name", "")),
        relationship=str(d.get("relationship", "")),
        scope=ShareScope(d.get("scope", "times")),
        purpose=str(d.get("purpose", "")),
        expires_at=_req(when(d.get("expires_at"), tz)),
        status=str(d.get("status", "pending")),
        invitation_code=code,
        invitation_expires_at=when(d.get("invitation_expires_at"), tz),
        accepted_at=when(d.get("accepted_at"), tz),
    )


def shared_patient(id_: str, d: JSON, tz: tzinfo | None) -> SharedPatient:
    return SharedPatient(
        share_id=id_,
        patient_display_name=str(d.get("patient_display_name", "")),
        scope=ShareScope(d.get("scope", "times")),
        purpose=str(d.get("purpose", "")),
        expires_at=_req(when(d.get("expires_at"), tz)),
        notice=str(d.get("notice", "")),
        timezone=usable_zone(d.get("timezone")),
    )
