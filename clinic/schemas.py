"""Request and response bodies of the Clinic Sync API (what /openapi.json publishes)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal

from pydantic import (
    MISSING,
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
)

from clinic.roles import Role
from clinic.security import device_key_bytes

EARLIEST = datetime(1970, 1, 2, tzinfo=UTC)
LATEST = datetime(2200, 1, 1, tzinfo=UTC)


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("text may not contain NUL characters")
    return value


def _sane_datetime(value: datetime) -> datetime:
    if not EARLIEST <= value <= LATEST:
        raise ValueError("datetime out of range (1970-2200)")
    return value


def _sane_date(value: date) -> date:
    if not date(2000, 1, 1) <= value <= date(2100, 1, 1):
        raise ValueError("date out of range (2000-2100)")
    return value


NoNul = AfterValidator(_no_nul)
Text100 = Annotated[str, Field(min_length=0, max_length=100), NoNul]
Text100_1 = Annotated[str, Field(min_length=1, max_length=100), NoNul]
Text1000 = Annotated[str, Field(min_length=0, max_length=1000), NoNul]
Text1024_1 = Annotated[str, Field(min_length=1, max_length=1024), NoNul]
Text1024_8 = Annotated[str, Field(min_length=8, max_length=1024), NoNul]
Text128_1 = Annotated[str, Field(min_length=1, max_length=128), NoNul]
Text128_3 = Annotated[str, Field(min_length=3, max_length=128), NoNul]
Text200 = Annotated[str, Field(min_length=0, max_length=200), NoNul]
Text200_1 = Annotated[str, Field(min_length=1, max_length=200), NoNul]
Text2000 = Annotated[str, Field(min_length=0, max_length=2000), NoNul]
Text20000 = Annotated[str, Field(min_length=0, max_length=20000), NoNul]
Text300 = Annotated[str, Field(min_length=0, max_length=300), NoNul]
Text32 = Annotated[str, Field(min_length=0, max_length=32), NoNul]
Text32_1 = Annotated[str, Field(min_length=1, max_length=32), NoNul]
Text500_1 = Annotated[str, Field(min_length=1, max_length=500), NoNul]
Text5000_1 = Annotated[str, Field(min_length=1, max_length=5000), NoNul]
Text64_1 = Annotated[str, Field(min_length=1, max_length=64), NoNul]


Id = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]


def _device_key(value: str) -> str:
    if device_key_bytes(value) is None:
        raise ValueError("not a base64url-encoded 32-byte Ed25519 public key")
    return value


# An Ed25519 public key: its 32 raw bytes, base64url without padding.
DeviceKey = Annotated[
    str,
    Field(min_length=43, max_length=43, pattern=r"^[A-Za-z0-9_-]{43}$"),
    AfterValidator(_device_key),
]
When = Annotated[AwareDatetime, AfterValidator(_sane_datetime)]
Day = Annotated[date, AfterValidator(_sane_date)]
Kind = Literal[
    "check_in",
    "process_group",
    "individual_counselling",
    "education_class",
    "psychiatrist",
    "physician_assistant",
    "family_session",
    "drug_test",
    "lunch",
    "activity",
]
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


class Body(BaseModel):
    model_config = ConfigDict(extra="ignore")


class StaffBody(Body):
    """Staff writes refuse fields they do not know: a typo (`famly_visible`) must not pass silently."""

    model_config = ConfigDict(extra="forbid")


# -- requests -----------------------------------------------------------------------------------


class EnrolRequest(Body):
    code: Text32_1
    device_name: Text100 = "device"
    device_key: DeviceKey | None = None


class TokenRequest(Body):
    username: Text128_1
    password: Text1024_1
    device_name: Text100 = "device"
    device_key: DeviceKey | None = None


class DeviceKeyRequest(Body):
    device_key: DeviceKey


class RefreshRequest(Body):
    refresh_token: Text200_1


class MutationIn(Body):
    id: Id
    type: Text64_1
    base_version: Annotated[int, Field(ge=0, le=2**62)] | None = None
    payload: dict[str, Any] = {}


class MutationBatch(Body):
    mutations: Annotated[list[MutationIn], Field(max_length=100)]


class AlertRequest(Body):
    created_at: When


class ShareRequest(Body):
    recipient_name: Text200_1
    relationship: Text100_1
    scope: Literal["times", "details", "family_sessions"] = "times"
    purpose: Text500_1
    expires_at: When


class FamilySignup(Body):
    invitation_code: Text32_1
    username: Text128_3
    password: Text1024_8
    display_name: Text200_1
    device_name: Text100 = "device"


class AcceptRequest(Body):
    invitation_code: Text32_1


class PatientCreate(StaffBody):
    display_name: Text200_1
    username: Annotated[str, Field(min_length=3, max_length=128, pattern=r"^[A-Za-z0-9_.@-]+$")] | None = None
    password: Text1024_8 | None = None
    counselor_name: Text200 | None = None
    counselor_phone: Text32 | None = None
    program_name: Text200_1 = "Intensive Outpatient Program"
    start_date: Day
    planned_weeks: Annotated[int, Field(ge=1, le=52)] = 12
    days_per_week: Annotated[int, Field(ge=1, le=7)] = 3
    apply_pattern: bool = False


class ItemCreate(StaffBody):
    kind: Kind
    title: Text200_1
    starts_at: When
    ends_at: When
    location: Text300 | None = None
    video_url: Text1000 | None = None
    staff_name: Text200 | None = None
    note: Text2000 | None = None
    family_visible: bool = True

    # A field validator (not a model one) so the problem names `ends_at`. Edits are checked by this
    # same model, on the stored item with the patch applied (services/schedule.py).
    @field_validator("ends_at")
    @classmethod
    def _after_start(cls, ends_at: datetime, info: ValidationInfo) -> datetime:
        starts_at = info.data.get("starts_at")
        if starts_at is not None and ends_at <= starts_at:
            raise ValueError("ends_at must be after starts_at")
        return ends_at


class ItemPatch(StaffBody):
    """A partial edit: a field left out is kept (MISSING); `null` only where a field may be empty."""

    kind: Kind | MISSING = MISSING
    title: Text200_1 | MISSING = MISSING
    starts_at: When | MISSING = MISSING
    ends_at: When | MISSING = MISSING
    location: Text300 | MISSING | None = MISSING
    video_url: Text1000 | MISSING | None = MISSING
    staff_name: Text200 | MISSING | None = MISSING
    note: Text2000 | MISSING | None = MISSING
    family_visible: bool | MISSING = MISSING
    status: Literal["scheduled", "cancelled", "moved"] | MISSING = MISSING
    deleted: bool | MISSING = MISSING


class PatternRequest(StaffBody):
    start_date: Day | None = None
    weeks: Annotated[int, Field(ge=1, le=52)] | None = None
    days: Annotated[list[Weekday], Field(min_length=1, max_length=7)] | None = None
    visits: bool = True


class AssignmentCreate(StaffBody):
    title: Text200_1
    modality: Text100_1
    instructions: Text20000 = ""
    due_at: When | None = None


class AttendanceRequest(StaffBody):
    status: Literal["attended", "absent"]


class FeedbackRequest(StaffBody):
    feedback: Text5000_1


# -- responses ----------------------------------------------------------------------------------


class Problem(BaseModel):
    type: str = "about:blank"
    title: str
    status: int
    detail: str
    code: str


class Health(BaseModel):
    status: Literal["ok"]
    version: str


class TokenResponse(BaseModel):
    access_token: str
    refresh_token: str
    token_type: Literal["bearer"]
    expires_in: int
    role: Role
    account_id: str
    display_name: str
    device_id: str


class Change(BaseModel):
    type: str
    id: str
    version: int
    deleted: bool
    data: dict[str, Any] | None


class SyncResponse(BaseModel):
    changes: list[Change]
    cursor: str
    has_more: bool
    reset: bool


class MutationResult(BaseModel):
    id: str
    status: Literal["applied", "duplicate", "conflict", "rejected"]
    change: Change | None = None
    code: str | None = None
    reason: str | None = None


class MutationResponse(BaseModel):
    results: list[MutationResult]


class ShareCreated(BaseModel):
    share: Change
    invitation_code: str
    invitation_expires_at: str


class StaffAlert(BaseModel):
    id: str
    patient_id: str
    patient_name: str
    created_at: str
    status: Literal["received", "acknowledged"]
    acknowledged_by: str | None
    acknowledged_at: str | None
    expected_response_by: str
    version: int
    authenticated_by: Literal["session", "device_key"]
    session_state: Literal["active", "expired", "revoked"]


class StaffPatient(BaseModel):
    id: str
    display_name: str
    username: str | None
    enrolment: dict[str, Any] | None


class PatientCreated(BaseModel):
    id: str
    enrolment_code: str
    enrolment_code_expires_at: str


class EnrolmentCode(BaseModel):
    code: str
    expires_at: str


class StaffItem(BaseModel):
    id: str
    patient_id: str
    version: int
    kind: str
    title: str | None
    starts_at: str
    ends_at: str
    location: str | None
    video_url: str | None
    staff_name: str | None
    status: str
    moved_from: str | None
    note: str | None
    family_visible: bool


class StaffAssignment(BaseModel):
    id: str
    patient_id: str
    version: int
    title: str
    modality: str
    instructions: str
    due_at: str | None
    status: Literal["todo", "done"]
    response: str
    completed_at: str | None
    feedback: str | None
    feedback_by: str | None
    feedback_at: str | None


class Rsvp(BaseModel):
    schedule_item_id: str
    response: Literal["going", "late", "cannot"]
    note: str
    updated_at: str


class Attendance(BaseModel):
    schedule_item_id: str
    status: Literal["attended", "absent"]


class Device(BaseModel):
    id: str
    name: str
    created_at: str
    revoked_at: str | None


class AuditEntry(BaseModel):
    id: int
    actor_id: str | None
    actor_role: str
    patient_id: str | None
    action: str
    at: str
