"""Staff endpoints: patients, codes, schedule, pattern, assignments, feedback, RSVPs, devices, check-ins,
trends, flags, audit."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from clinic.routers.deps import AUTHED, CurrentStaff, Svc
from clinic.schemas import (
    AssignmentCreate,
    AssignmentTemplate,
    Attendance,
    AttendanceRequest,
    AuditEntry,
    Device,
    EnrolmentCode,
    FeedbackRequest,
    FlagAck,
    Id,
    ItemCreate,
    ItemPatch,
    PatientCreate,
    PatientCreated,
    PatternRequest,
    Rsvp,
    StaffAssignment,
    StaffCheckin,
    StaffFlag,
    StaffItem,
    StaffPatient,
    StaffTrends,
    When,
)

router = APIRouter(prefix="/v1/staff", tags=["staff"], responses=AUTHED)


def _links(status: int, source: str, **targets: tuple[str, str, str]) -> dict[int | str, dict[str, Any]]:
    """OpenAPI links from this answer's `source` (a JSON pointer) to the operations that take it.

    targets: link name → (path, method, parameter). Clients may follow them; stateful fuzzing does
    (tests/clinic/test_openapi_fuzz.py).
    """
    links = {
        name: {
            "operationRef": "#/paths/" + path.replace("~", "~0").replace("/", "~1") + "/" + method,
            "parameters": {parameter: f"$response.body#{source}"},
        }
        for name, (path, method, parameter) in targets.items()
    }
    return {status: {"links": links}}


_PATIENT = "/v1/staff/patients/{patient_id}"
_PATIENT_LINKS = {
    "schedule": (f"{_PATIENT}/schedule", "get", "patient_id"),
    "add_item": (f"{_PATIENT}/schedule", "post", "patient_id"),
    "apply_pattern": (f"{_PATIENT}/schedule/pattern", "post", "patient_id"),
    "assignments": (f"{_PATIENT}/assignments", "get", "patient_id"),
    "add_assignment": (f"{_PATIENT}/assignments", "post", "patient_id"),
    "rsvps": (f"{_PATIENT}/rsvps", "get", "patient_id"),
    "devices": (f"{_PATIENT}/devices", "get", "patient_id"),
    "enrolment_code": (f"{_PATIENT}/enrolment-codes", "post", "patient_id"),
    "discharge": (f"{_PATIENT}/discharge", "post", "patient_id"),
    "checkins": (f"{_PATIENT}/checkins", "get", "patient_id"),
    "trends": (f"{_PATIENT}/trends", "get", "patient_id"),
}
_ITEM_LINKS = {
    "change_item": ("/v1/staff/schedule/{item_id}", "patch", "item_id"),
    "attendance": ("/v1/staff/schedule/{item_id}/attendance", "put", "item_id"),
}
_ASSIGNMENT_LINKS = {"feedback": ("/v1/staff/assignments/{assignment_id}/feedback", "post", "assignment_id")}


@router.get("/assignment-templates", response_model=list[AssignmentTemplate])
def assignment_templates(who: CurrentStaff, svc: Svc) -> list[AssignmentTemplate]:
    """The clinic's assignment templates (title, modality, markdown instructions) to start one from."""
    return svc.staff.assignment_templates(who)


@router.get("/patients", response_model=list[StaffPatient], responses=_links(200, "/0/id", **_PATIENT_LINKS))
def patients(who: CurrentStaff, svc: Svc) -> list[StaffPatient]:
    """Patients of the caller's clinic."""
    return svc.staff.patients(who)


@router.post(
    "/patients",
    status_code=201,
    response_model=PatientCreated,
    responses=_links(201, "/id", **_PATIENT_LINKS),
)
def create_patient(body: PatientCreate, who: CurrentStaff, svc: Svc) -> PatientCreated:
    """Create a patient with an enrolment (optionally the IOP pattern) and a first enrolment code."""
    return svc.staff.create_patient(who, body)


@router.post("/patients/{patient_id}/enrolment-codes", status_code=201, response_model=EnrolmentCode)
def enrolment_code(patient_id: Id, who: CurrentStaff, svc: Svc) -> EnrolmentCode:
    """A one-time enrolment code (72 h)."""
    return svc.staff.enrolment_code(who, patient_id)


@router.get(
    "/patients/{patient_id}/devices",
    response_model=list[Device],
    responses=_links(200, "/0/id", revoke=("/v1/staff/devices/{device_id}/revoke", "post", "device_id")),
)
def devices(patient_id: Id, who: CurrentStaff, svc: Svc) -> list[Device]:
    """The patient's signed-in devices."""
    return svc.staff.devices(who, patient_id)


@router.post("/devices/{device_id}/revoke", status_code=204)
def revoke_device(device_id: Id, who: CurrentStaff, svc: Svc) -> Response:
    """Sign a device out: its next request gets 401 auth.device_revoked."""
    svc.staff.revoke_device(who, device_id)
    return Response(status_code=204)


@router.get(
    "/patients/{patient_id}/schedule",
    response_model=list[StaffItem],
    responses=_links(200, "/0/id", **_ITEM_LINKS),
)
def schedule(
    patient_id: Id,
    who: CurrentStaff,
    svc: Svc,
    start: Annotated[When | None, Query()] = None,
    end: Annotated[When | None, Query()] = None,
) -> list[StaffItem]:
    """Schedule items (drug tests included), optionally between `start` and `end`."""
    return svc.staff.schedule(who, patient_id, start, end)


@router.post(
    "/patients/{patient_id}/schedule",
    status_code=201,
    response_model=StaffItem,
    responses=_links(201, "/id", **_ITEM_LINKS),
)
def add_item(patient_id: Id, body: ItemCreate, who: CurrentStaff, svc: Svc) -> StaffItem:
    """Add one schedule item."""
    return svc.staff.add_item(who, patient_id, body)


@router.patch("/schedule/{item_id}", response_model=StaffItem, responses=_links(200, "/id", **_ITEM_LINKS))
def change_item(item_id: Id, body: ItemPatch, who: CurrentStaff, svc: Svc) -> StaffItem:
    """Change, cancel (`status: cancelled`), move (new times) or delete (`deleted: true`) an item."""
    return svc.staff.change_item(who, item_id, body)


@router.put("/schedule/{item_id}/attendance", response_model=Attendance)
def attendance(item_id: Id, body: AttendanceRequest, who: CurrentStaff, svc: Svc) -> Attendance:
    """Record attendance (syncs to the patient as an `attendance` record)."""
    return svc.staff.set_attendance(who, item_id, body.status)


@router.post("/patients/{patient_id}/discharge", status_code=204)
def discharge(patient_id: Id, who: CurrentStaff, svc: Svc) -> Response:
    """Discharge: the enrolment and sessions still to come arrive as tombstones; shares end."""
    svc.staff.discharge(who, patient_id)
    return Response(status_code=204)


@router.post(
    "/patients/{patient_id}/schedule/pattern",
    status_code=201,
    response_model=list[StaffItem],
    responses=_links(201, "/0/id", **_ITEM_LINKS),
)
def apply_pattern(patient_id: Id, body: PatternRequest, who: CurrentStaff, svc: Svc) -> list[StaffItem]:
    """Apply the IOP weekly pattern (check-in, group, class, lunch; weekly visits), DST-correct."""
    return svc.staff.apply_pattern(who, patient_id, body)


@router.get(
    "/patients/{patient_id}/assignments",
    response_model=list[StaffAssignment],
    responses=_links(200, "/0/id", **_ASSIGNMENT_LINKS),
)
def assignments(patient_id: Id, who: CurrentStaff, svc: Svc) -> list[StaffAssignment]:
    """Assignments with their status and the patient's response."""
    return svc.staff.assignments(who, patient_id)


@router.post(
    "/patients/{patient_id}/assignments",
    status_code=201,
    response_model=StaffAssignment,
    responses=_links(201, "/id", **_ASSIGNMENT_LINKS),
)
def add_assignment(patient_id: Id, body: AssignmentCreate, who: CurrentStaff, svc: Svc) -> StaffAssignment:
    """Give the patient an assignment (instructions in markdown)."""
    return svc.staff.add_assignment(who, patient_id, body)


@router.post("/assignments/{assignment_id}/feedback", response_model=StaffAssignment)
def feedback(assignment_id: Id, body: FeedbackRequest, who: CurrentStaff, svc: Svc) -> StaffAssignment:
    """Counsellor feedback on an assignment."""
    return svc.staff.feedback(who, assignment_id, body.feedback)


@router.get("/patients/{patient_id}/rsvps", response_model=list[Rsvp])
def rsvps(patient_id: Id, who: CurrentStaff, svc: Svc) -> list[Rsvp]:
    """The patient's RSVPs."""
    return svc.staff.rsvps(who, patient_id)


@router.get(
    "/patients/{patient_id}/checkins",
    response_model=list[StaffCheckin],
    responses=_links(200, "/0/id", next_page=(f"{_PATIENT}/checkins", "get", "before")),
)
def checkins(
    patient_id: Id,
    who: CurrentStaff,
    svc: Svc,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    before: Annotated[Id | None, Query()] = None,
) -> list[StaffCheckin]:
    """The patient's check-ins (daily and weekly), newest period first, each with its flag; page with
    `before` = the id of the last one seen."""
    return svc.checkins.checkins(who, patient_id, limit, before)


@router.get("/patients/{patient_id}/trends", response_model=StaffTrends)
def trends(
    patient_id: Id,
    who: CurrentStaff,
    svc: Svc,
    weeks: Annotated[int, Query(ge=1, le=26)] = 4,
) -> StaffTrends:
    """Daily craving, mood and confidence over the last `weeks` clinic weeks, with weekly averages."""
    return svc.checkins.trends(who, patient_id, weeks)


@router.get(
    "/flags",
    response_model=list[StaffFlag],
    responses=_links(200, "/0/id", ack=("/v1/staff/flags/{flag_id}/ack", "post", "flag_id")),
)
def flags(who: CurrentStaff, svc: Svc) -> list[StaffFlag]:
    """Flags raised by check-ins and the missed-check-in rule: open first, then newest first."""
    return svc.flags.list_flags(who)


@router.post("/flags/{flag_id}/ack", response_model=StaffFlag)
def acknowledge_flag(flag_id: Id, who: CurrentStaff, svc: Svc, body: FlagAck | None = None) -> StaffFlag:
    """Acknowledge a flag, with an optional note; the patient's check-in then shows who saw it.
    A flag already acknowledged is answered as it is."""
    return svc.flags.acknowledge(who, flag_id, None if body is None else body.note)


@router.get("/audit", response_model=list[AuditEntry])
def audit(
    who: CurrentStaff,
    svc: Svc,
    patient_id: Annotated[Id | None, Query()] = None,
    before: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> list[AuditEntry]:
    """Audit log, newest first (clinic admins); page with `before` = the last id seen."""
    return svc.staff.audit(who, patient_id, before, limit)
