"""Request and response bodies of the Clinic Sync API (what /openapi.json publishes)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    MISSING,
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    GetJsonSchemaHandler,
    StrictBool,
    StrictInt,
    TypeAdapter,
    ValidationInfo,
    field_validator,
)
from pydantic.json_schema import JsonSchemaValue

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
# Why the care team is flagged: an answer (used, contact, craving), a weekly score (phq2, gad2), or
# no daily check-in for the clinic's missed_checkin_days.
FlagReason = Literal["used", "contact", "craving", "phq2", "gad2", "missed_checkins"]


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


# -- mutations: one payload and one mutation model per type; MUTATIONS is the registry ----------

Entry = Annotated[str, Field(max_length=500), NoNul]
Entries = Annotated[list[Entry], Field(max_length=50)]
BaseVersion = Annotated[int, Field(ge=0, le=2**62)]


class Payload(Body):
    """A mutation's payload; fields it does not know are ignored (an older server, a newer app)."""


class RsvpSet(Payload):
    schedule_item_id: Annotated[str, Field(max_length=64), NoNul]
    response: Literal["going", "late", "cannot"]
    note: Annotated[str, Field(max_length=500), NoNul] = ""


class AssignmentComplete(Payload):
    assignment_id: Annotated[str, Field(max_length=64), NoNul]
    response: Annotated[str, Field(max_length=20000), NoNul] = ""


class AssignmentReopen(Payload):
    assignment_id: Annotated[str, Field(max_length=64), NoNul]


class CopingPlanUpdate(Payload):
    warning_signs: Entries = []
    on_my_own: Entries = []
    distractions: Entries = []
    people_to_ask: Entries = []
    professionals: Entries = []
    safe_surroundings: Entries = []
    reasons: Entries = []


class SupportAlertRaise(Payload):
    created_at: When


# An answer: scale and choice → int, yes_no → bool, text → str (checked against the item's kind).
AnswerValue = Annotated[StrictBool | StrictInt | Text2000, Field(union_mode="left_to_right")]
ItemId = Annotated[str, Field(min_length=1, max_length=64), NoNul]


class CheckinSubmit(Payload):
    """A check-in; the same checkin_id again (the same period) amends it."""

    checkin_id: Id
    questionnaire_id: Annotated[str, Field(min_length=1, max_length=64), NoNul]
    period: Day = Field(description="daily: the clinic day answered; weekly: the Monday of that week")
    answered_at: When
    answers: Annotated[dict[ItemId, AnswerValue], Field(max_length=50)]


class MutationIn(Body):
    """One mutation as received: parsed into its typed form per mutation (see `Mutation`), so an
    unknown type or a bad payload rejects that mutation, not the batch."""

    id: Id
    type: Text64_1
    base_version: BaseVersion | None = None
    payload: dict[str, Any] = {}


class MutationBase(Body):
    id: Id
    type: str
    base_version: BaseVersion | None = None
    payload: Payload


class RsvpSetMutation(MutationBase):
    type: Literal["rsvp.set"]
    payload: RsvpSet


class AssignmentCompleteMutation(MutationBase):
    type: Literal["assignment.complete"]
    payload: AssignmentComplete


class AssignmentReopenMutation(MutationBase):
    type: Literal["assignment.reopen"]
    payload: AssignmentReopen


class CopingPlanUpdateMutation(MutationBase):
    type: Literal["coping_plan.update"]
    payload: CopingPlanUpdate = CopingPlanUpdate()


class SupportAlertRaiseMutation(MutationBase):
    type: Literal["support_alert.raise"]
    payload: SupportAlertRaise


class CheckinSubmitMutation(MutationBase):
    type: Literal["checkin.submit"]
    payload: CheckinSubmit


Mutation = Annotated[
    RsvpSetMutation
    | AssignmentCompleteMutation
    | AssignmentReopenMutation
    | CopingPlanUpdateMutation
    | SupportAlertRaiseMutation
    | CheckinSubmitMutation,
    Field(discriminator="type"),
]
# The registry of mutation types: type -> (mutation model, payload model).
MUTATIONS: dict[str, tuple[type[MutationBase], type[Payload]]] = {
    get_args(m.model_fields["type"].annotation)[0]: (m, m.model_fields["payload"].annotation)
    for m in get_args(get_args(Mutation)[0])
}
SUPPORT_ALERT_RAISE: str = get_args(SupportAlertRaiseMutation.model_fields["type"].annotation)[0]


class _DocumentedAs:
    """Publish `shape`'s JSON schema for a field that is parsed more leniently (per mutation)."""

    def __init__(self, shape: Any, **keywords: Any) -> None:
        self.adapter: TypeAdapter[Any] = TypeAdapter(shape)
        self.keywords = keywords

    def __get_pydantic_json_schema__(self, schema: Any, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        return {**handler(self.adapter.core_schema), **self.keywords}


class MutationBatch(Body):
    mutations: Annotated[list[MutationIn], Field(max_length=100), _DocumentedAs(list[Mutation], maxItems=100)]


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


# -- records: the `data` of each type of sync change (datetimes: RFC 3339 in the clinic's zone) -----


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ClinicData(Record):
    name: str
    timezone: str
    phone: str
    response_minutes: int
    lines: dict[str, str]
    # How the care team answers a support alert, and from which number (the patient looks for it).
    answer_channel: Literal["call", "text"] = "call"
    answer_phone: str | None = None


class PatientData(Record):
    display_name: str
    counselor_name: str | None
    counselor_phone: str | None


class EnrolmentData(Record):
    program_name: str
    start_date: str
    planned_weeks: int
    days_per_week: int


class ScheduleItemData(Record):
    """A patient's session; a family member's copy adds `share_id` (FamilyScheduleItemData)."""

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


class FamilyScheduleItemData(ScheduleItemData):
    """What a share discloses: with scope `times`, kind is `session` and the details are null."""

    share_id: str


class AssignmentData(Record):
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


class CopingPlanData(Record):
    warning_signs: list[str]
    on_my_own: list[str]
    distractions: list[str]
    people_to_ask: list[str]
    professionals: list[str]
    safe_surroundings: list[str]
    reasons: list[str]


class RsvpData(Record):
    schedule_item_id: str
    response: Literal["going", "late", "cannot"]
    note: str
    updated_at: str


class AttendanceData(Record):
    schedule_item_id: str
    status: Literal["attended", "absent"]


class SupportAlertData(Record):
    created_at: str
    status: Literal["received", "acknowledged"]
    acknowledged_by: str | None
    acknowledged_at: str | None
    expected_response_by: str
    escalation_step: int = Field(
        default=0,
        description="0 until nobody acknowledged in time; then the clinic's escalation step (1: on call)",
    )


class ShareData(Record):
    recipient_name: str
    relationship: str
    scope: Literal["times", "details", "family_sessions"]
    purpose: str
    expires_at: str
    status: str
    invitation_expires_at: str
    accepted_at: str | None


class SharedPatientData(Record):
    """What a family member is told about a live share, with the 42 CFR 2.32 notice."""

    patient_display_name: str
    scope: Literal["times", "details", "family_sessions"]
    purpose: str
    expires_at: str
    notice: str
    timezone: str


Texts = dict[str, str]  # language tag ("en", "es", "pt_BR") → text


class QuestionnaireChoice(Record):
    value: int
    text: Texts


class QuestionnaireItem(Record):
    id: str
    kind: Literal["scale", "yes_no", "choice", "text"]
    text: Texts
    min: int | None
    max: int | None
    low_label: Texts | None
    high_label: Texts | None
    choices: list[QuestionnaireChoice]
    required: bool
    flag_at: int | None = Field(
        description="scale: a value >= flag_at flags the care team; yes_no: 1 = yes flags; else null"
    )


class QuestionnaireData(Record):
    """A questionnaire the clinic asks this patient to answer (clinic data: no app release to change)."""

    key: str
    title: Texts
    attribution: str | None
    cadence: Literal["daily", "weekly"]
    due_weekdays: list[Weekday]
    items: list[QuestionnaireItem]
    flag_total_at: int | None = Field(
        description="scored questionnaires: a total >= this flags the care team"
    )


class CheckinFlag(Record):
    reasons: list[FlagReason]
    status: Literal["open", "acknowledged"]
    acknowledged_by: str | None
    acknowledged_at: str | None


class CheckinData(Record):
    """The patient's own answers (never disclosed to family), with what the clinic did about them."""

    questionnaire_id: str
    period: str
    answers: dict[str, bool | int | str]
    score: int | None
    submitted_at: str
    updated_at: str
    flag: CheckinFlag | None


class ChangeBase(BaseModel):
    type: str
    id: str
    version: int
    deleted: bool = Field(description="A tombstone: the record is gone (or no longer visible); data is null.")
    data: Record | None


class ClinicChange(ChangeBase):
    type: Literal["clinic"]
    data: ClinicData | None


class PatientChange(ChangeBase):
    type: Literal["patient"]
    data: PatientData | None


class EnrolmentChange(ChangeBase):
    type: Literal["enrolment"]
    data: EnrolmentData | None


class ScheduleItemChange(ChangeBase):
    type: Literal["schedule_item"]
    data: FamilyScheduleItemData | ScheduleItemData | None


class AssignmentChange(ChangeBase):
    type: Literal["assignment"]
    data: AssignmentData | None


class CopingPlanChange(ChangeBase):
    type: Literal["coping_plan"]
    data: CopingPlanData | None


class RsvpChange(ChangeBase):
    type: Literal["rsvp"]
    data: RsvpData | None


class AttendanceChange(ChangeBase):
    type: Literal["attendance"]
    data: AttendanceData | None


class SupportAlertChange(ChangeBase):
    type: Literal["support_alert"]
    data: SupportAlertData | None


class ShareChange(ChangeBase):
    type: Literal["share"]
    data: ShareData | None


class SharedPatientChange(ChangeBase):
    type: Literal["shared_patient"]
    data: SharedPatientData | None


class QuestionnaireChange(ChangeBase):
    type: Literal["questionnaire"]
    data: QuestionnaireData | None


class CheckinChange(ChangeBase):
    type: Literal["checkin"]
    data: CheckinData | None


AnyChange = (
    ClinicChange
    | PatientChange
    | EnrolmentChange
    | ScheduleItemChange
    | AssignmentChange
    | CopingPlanChange
    | RsvpChange
    | AttendanceChange
    | SupportAlertChange
    | ShareChange
    | SharedPatientChange
    | QuestionnaireChange
    | CheckinChange
)
Change = Annotated[AnyChange, Field(discriminator="type")]
CHANGES: dict[str, type[ChangeBase]] = {
    get_args(c.model_fields["type"].annotation)[0]: c for c in get_args(AnyChange)
}


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
    share: ShareChange
    invitation_code: str
    invitation_expires_at: str


# -- calendar feeds (docs/api.md, "Calendar feeds") ------------------------------------------------

FeedTitles = Literal["neutral", "real"]
FeedLang = Literal["en", "es", "pt_BR"]
FeedAlarm = Literal["none", "1h", "1d"]
# The word a patient picks for their events: 1..40 characters, no control characters, not blank.
NeutralTitle = Annotated[
    str,
    Field(min_length=1, max_length=40, pattern=r"^[^\x00-\x1f\x7f]*[^\s\x00-\x1f\x7f][^\x00-\x1f\x7f]*$"),
]


class CalendarFeedRequest(Body):
    titles: FeedTitles = "neutral"
    neutral_title: NeutralTitle | None = None
    lang: FeedLang = "en"
    alarm: FeedAlarm = "none"
    share_id: Id | None = None  # family accounts: one of their live shares; patients: null


class CalendarFeedUpdate(Body):
    """Only the fields sent change; `neutral_title: null` goes back to the default word."""

    titles: FeedTitles | None = None
    neutral_title: NeutralTitle | None = None
    lang: FeedLang | None = None
    alarm: FeedAlarm | None = None


class CalendarFeed(BaseModel):
    id: str
    created_at: str
    titles: FeedTitles
    neutral_title: str | None
    lang: FeedLang
    alarm: FeedAlarm
    share_id: str | None
    patient_display_name: str | None  # family feeds: whose schedule
    last_read_at: str | None  # when a calendar last fetched it


class CalendarFeedCreated(CalendarFeed):
    url: str  # the only time the URL (with its token) is returned


class CalendarDownload(BaseModel):
    url: str
    expires_at: str


# What came of a support alert, recorded when staff acknowledge it (the console's outcome buttons).
AlertOutcome = Literal["safe", "no_answer", "emergency", "other"]


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
    outcome: AlertOutcome | None = Field(description="what the staff member recorded on acknowledging")
    note: str | None = Field(description="the acknowledging staff member's note; staff only, never synced")
    escalation_step: int = Field(default=0, description="the escalation ladder's last step fired (0: none)")
    escalated_to: str | None = Field(default=None, description="whom that step alerted (the clinic's words)")


class StaffFlag(BaseModel):
    id: str
    patient_id: str
    patient_name: str
    reasons: list[FlagReason]
    severity: Literal["high", "medium"]
    created_at: str
    checkin_id: str | None
    status: Literal["open", "acknowledged"]
    acknowledged_by: str | None
    acknowledged_at: str | None
    note: str | None
    version: int
    escalation_step: int = Field(default=0, description="the escalation ladder's last step fired (0: none)")
    escalated_to: str | None = Field(default=None, description="whom that step alerted (the clinic's words)")


class AlertAck(StaffBody):
    """`POST /v1/staff/support-alerts/{id}/ack`: an optional body; none = acknowledged, no outcome."""

    outcome: AlertOutcome | None = Field(
        default=None,
        description="safe: called, safe; no_answer: called, no answer; emergency: sent to emergency care",
    )
    note: Text2000 | None = None


class FlagAck(StaffBody):
    note: Text2000 | None = None


class StaffCheckin(CheckinData):
    """A check-in as staff see it: the patient's record plus its id, questionnaire key and version."""

    id: str
    patient_id: str
    questionnaire_key: str
    version: int


class TrendDay(BaseModel):
    date: str
    craving: int | None
    mood: int | None
    confidence: int | None


class TrendWeek(BaseModel):
    week_start: str = Field(description="the Monday of the clinic week")
    checkins: int
    craving: float | None
    mood: float | None
    confidence: float | None


class StaffTrends(BaseModel):
    """Daily check-in answers over the last `weeks` clinic weeks (this one included), oldest first."""

    patient_id: str
    days: list[TrendDay]
    weeks: list[TrendWeek]


class StaffEnrolment(EnrolmentData):
    current_week: int


class StaffPatient(BaseModel):
    id: str
    display_name: str
    username: str | None
    enrolment: StaffEnrolment | None


class PatientCreated(BaseModel):
    id: str
    enrolment_code: str
    enrolment_code_expires_at: str


class EnrolmentCode(BaseModel):
    code: str
    expires_at: str


class StaffItem(ScheduleItemData):
    """A schedule item as staff see it: the patient's record plus who, which version, and sharing."""

    id: str
    patient_id: str
    version: int
    family_visible: bool
    attendance: Literal["attended", "absent"] | None = Field(
        default=None, description="what staff recorded for this session; null until they do"
    )


class AssignmentTemplate(BaseModel):
    """One of the clinic's assignment templates: the console pre-fills a new assignment from it."""

    id: str
    title: str
    modality: str
    instructions: str = Field(description="markdown")


class StaffAssignment(AssignmentData):
    """An assignment as staff see it: the patient's record plus who and which version."""

    id: str
    patient_id: str
    version: int


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
