"""Typed records the clinic sends (docs/api.md, "Record types"), parsed once at the edge.

Each record type is a frozen dataclass with `parse` (a wire object → the record, or
ResponseFormatError) and `to_json` (the record → its wire object; `parse` reads it back). The
store seals a record as it was received and reads it back through the same `parse`.

Parsing keeps the defaults the app's reads always used: an absent optional field takes its
default, a naive optional time is not trusted (None). What the app cannot show a record without —
a session's start, an alert's time, a known enum value — used to fail when the record was read;
it is a format error here, before anything is stored. A record type this app does not know is
kept as an UnknownRecord (stored, never read): a newer clinic may send it.
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import ClassVar, TypeVar

from app.api.errors import ResponseFormatError
from app.domain.model import (
    JSON,
    AssignmentStatus,
    CrisisLines,
    RsvpResponse,
    SessionKind,
    SessionStatus,
    ShareScope,
)

E = TypeVar("E", bound=enum.Enum)


def _bad(what: str, key: str, why: str) -> ResponseFormatError:
    return ResponseFormatError(f"{what}: `{key}` {why}")  # names the field, never its value


def _text(raw: JSON, key: str, default: str = "") -> str:
    return str(raw.get(key, default))


def _opt(raw: JSON, key: str) -> str | None:
    value = raw.get(key)
    return value if isinstance(value, str) else None


def _int(raw: JSON, key: str, default: int, what: str) -> int:
    value = raw.get(key) or default
    if isinstance(value, bool):
        raise _bad(what, key, "must be an integer")
    try:
        return int(value)
    except (TypeError, ValueError) as exc:
        raise _bad(what, key, "must be an integer") from exc


def _when(raw: JSON, key: str, what: str) -> datetime | None:
    """An ISO 8601 time with offset; absent, not a string or naive: None (a naive time is not trusted)."""
    value = raw.get(key)
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as exc:
        raise _bad(what, key, "is not an ISO 8601 time") from exc
    return parsed if parsed.tzinfo is not None else None


def _required_when(raw: JSON, key: str, what: str) -> datetime:
    value = _when(raw, key, what)
    if value is None:
        raise _bad(what, key, "must be a time with an offset")
    return value


def _enum(kind: type[E], raw: JSON, key: str, default: str, what: str) -> E:
    try:
        return kind(raw.get(key, default))
    except ValueError as exc:
        raise _bad(what, key, "has an unknown value") from exc


def _required_text(raw: JSON, key: str, what: str) -> str:
    if key not in raw:
        raise _bad(what, key, "is missing")
    return str(raw[key])


def _items(raw: JSON, key: str, what: str) -> tuple[str, ...]:
    value = raw.get(key) or ()
    if not isinstance(value, list | tuple):
        raise _bad(what, key, "must be a list")
    return tuple(str(x) for x in value)


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


@dataclass(frozen=True, slots=True)
class ClinicRecord:
    TYPE: ClassVar[str] = "clinic"
    name: str
    timezone: str
    phone: str
    response_minutes: int = 30
    lines: CrisisLines = dataclasses.field(default_factory=CrisisLines)
    answer_channel: str = "call"  # "call" | "text": how the care team answers a support alert
    answer_phone: str | None = None

    @classmethod
    def parse(cls, raw: JSON) -> ClinicRecord:
        lines = raw.get("lines") or {}
        if not isinstance(lines, dict):
            raise _bad(cls.TYPE, "lines", "must be an object")
        known = {k: str(v) for k, v in lines.items() if k in CrisisLines.__slots__}
        return cls(
            name=_text(raw, "name"),
            timezone=_text(raw, "timezone", "UTC"),
            phone=_text(raw, "phone"),
            response_minutes=_int(raw, "response_minutes", 30, cls.TYPE),
            lines=CrisisLines(**known),
            # A channel this app does not know is shown as the default: a call.
            answer_channel="text" if raw.get("answer_channel") == "text" else "call",
            answer_phone=_opt(raw, "answer_phone"),
        )

    def to_json(self) -> JSON:
        return {
            "name": self.name,
            "timezone": self.timezone,
            "phone": self.phone,
            "response_minutes": self.response_minutes,
            "lines": dataclasses.asdict(self.lines),
            "answer_channel": self.answer_channel,
            "answer_phone": self.answer_phone,
        }


@dataclass(frozen=True, slots=True)
class PatientRecord:
    TYPE: ClassVar[str] = "patient"
    display_name: str
    counselor_name: str | None = None
    counselor_phone: str | None = None

    @classmethod
    def parse(cls, raw: JSON) -> PatientRecord:
        return cls(_text(raw, "display_name"), _opt(raw, "counselor_name"), _opt(raw, "counselor_phone"))

    def to_json(self) -> JSON:
        return {
            "display_name": self.display_name,
            "counselor_name": self.counselor_name,
            "counselor_phone": self.counselor_phone,
        }


@dataclass(frozen=True, slots=True)
class EnrolmentRecord:
    TYPE: ClassVar[str] = "enrolment"
    program_name: str
    start_date: date
    planned_weeks: int = 12
    days_per_week: int = 3

    @classmethod
    def parse(cls, raw: JSON) -> EnrolmentRecord:
        try:
            start = date.fromisoformat(_required_text(raw, "start_date", cls.TYPE))
        except ValueError as exc:
            raise _bad(cls.TYPE, "start_date", "is not an ISO 8601 date") from exc
        return cls(
            program_name=_text(raw, "program_name"),
            start_date=start,
            planned_weeks=_int(raw, "planned_weeks", 12, cls.TYPE),
            days_per_week=_int(raw, "days_per_week", 3, cls.TYPE),
        )

    def to_json(self) -> JSON:
        return {
            "program_name": self.program_name,
            "start_date": self.start_date.isoformat(),
            "planned_weeks": self.planned_weeks,
            "days_per_week": self.days_per_week,
        }


@dataclass(frozen=True, slots=True)
class ScheduleItemRecord:
    """A session; on a family member's device it carries the `share_id` that disclosed it."""

    TYPE: ClassVar[str] = "schedule_item"
    kind: SessionKind
    starts_at: datetime
    ends_at: datetime
    status: SessionStatus = SessionStatus.SCHEDULED
    title: str | None = None
    location: str | None = None
    video_url: str | None = None
    staff_name: str | None = None
    moved_from: datetime | None = None
    note: str | None = None
    share_id: str | None = None

    @classmethod
    def parse(cls, raw: JSON) -> ScheduleItemRecord:
        try:
            kind = SessionKind(str(raw.get("kind")))
        except ValueError:
            kind = SessionKind.SESSION  # a kind this app does not know yet is shown as a session
        return cls(
            kind=kind,
            starts_at=_required_when(raw, "starts_at", cls.TYPE),
            ends_at=_required_when(raw, "ends_at", cls.TYPE),
            status=_enum(SessionStatus, raw, "status", "scheduled", cls.TYPE),
            title=_opt(raw, "title"),
            location=_opt(raw, "location"),
            video_url=_opt(raw, "video_url"),
            staff_name=_opt(raw, "staff_name"),
            moved_from=_when(raw, "moved_from", cls.TYPE),
            note=_opt(raw, "note"),
            share_id=_opt(raw, "share_id"),
        )

    def to_json(self) -> JSON:
        data: JSON = {
            "kind": self.kind.value,
            "title": self.title,
            "starts_at": self.starts_at.isoformat(),
            "ends_at": self.ends_at.isoformat(),
            "location": self.location,
            "video_url": self.video_url,
            "staff_name": self.staff_name,
            "status": self.status.value,
            "moved_from": _iso(self.moved_from),
            "note": self.note,
        }
        if self.share_id is not None:
            data["share_id"] = self.share_id
        return data


@dataclass(frozen=True, slots=True)
class RsvpRecord:
    TYPE: ClassVar[str] = "rsvp"
    schedule_item_id: str
    response: RsvpResponse
    note: str = ""
    updated_at: datetime | None = None

    @classmethod
    def parse(cls, raw: JSON) -> RsvpRecord:
        if "response" not in raw:
            raise _bad(cls.TYPE, "response", "is missing")
        return cls(
            schedule_item_id=_required_text(raw, "schedule_item_id", cls.TYPE),
            response=_enum(RsvpResponse, raw, "response", "", cls.TYPE),
            note=str(raw.get("note") or ""),
            updated_at=_when(raw, "updated_at", cls.TYPE),
        )

    def to_json(self) -> JSON:
        return {
            "schedule_item_id": self.schedule_item_id,
            "response": self.response.value,
            "note": self.note,
            "updated_at": _iso(self.updated_at),
        }


@dataclass(frozen=True, slots=True)
class AttendanceRecord:
    TYPE: ClassVar[str] = "attendance"
    schedule_item_id: str
    status: str | None  # "attended" | "absent"

    @classmethod
    def parse(cls, raw: JSON) -> AttendanceRecord:
        return cls(_required_text(raw, "schedule_item_id", cls.TYPE), _opt(raw, "status"))

    def to_json(self) -> JSON:
        return {"schedule_item_id": self.schedule_item_id, "status": self.status}


@dataclass(frozen=True, slots=True)
class AssignmentRecord:
    TYPE: ClassVar[str] = "assignment"
    title: str
    modality: str
    instructions: str
    due_at: datetime | None
    status: AssignmentStatus = AssignmentStatus.TODO
    response: str = ""
    completed_at: datetime | None = None
    feedback: str | None = None
    feedback_by: str | None = None
    feedback_at: datetime | None = None

    @classmethod
    def parse(cls, raw: JSON) -> AssignmentRecord:
        return cls(
            title=_text(raw, "title"),
            modality=_text(raw, "modality"),
            instructions=_text(raw, "instructions"),
            due_at=_when(raw, "due_at", cls.TYPE),
            status=_enum(AssignmentStatus, raw, "status", "todo", cls.TYPE),
            response=str(raw.get("response") or ""),
            completed_at=_when(raw, "completed_at", cls.TYPE),
            feedback=_opt(raw, "feedback"),
            feedback_by=_opt(raw, "feedback_by"),
            feedback_at=_when(raw, "feedback_at", cls.TYPE),
        )

    def to_json(self) -> JSON:
        return {
            "title": self.title,
            "modality": self.modality,
            "instructions": self.instructions,
            "due_at": _iso(self.due_at),
            "status": self.status.value,
            "response": self.response,
            "completed_at": _iso(self.completed_at),
            "feedback": self.feedback,
            "feedback_by": self.feedback_by,
            "feedback_at": _iso(self.feedback_at),
        }


COPING_KEYS = (
    "warning_signs",
    "on_my_own",
    "distractions",
    "people_to_ask",
    "professionals",
    "safe_surroundings",
    "reasons",
)


@dataclass(frozen=True, slots=True)
class CopingPlanRecord:
    """The coping plan (id: the patient's id); also the payload of `coping_plan.update`."""

    TYPE: ClassVar[str] = "coping_plan"
    warning_signs: tuple[str, ...] = ()
    on_my_own: tuple[str, ...] = ()
    distractions: tuple[str, ...] = ()
    people_to_ask: tuple[str, ...] = ()
    professionals: tuple[str, ...] = ()
    safe_surroundings: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()

    @classmethod
    def parse(cls, raw: JSON) -> CopingPlanRecord:
        return cls(*(_items(raw, key, cls.TYPE) for key in COPING_KEYS))

    def to_json(self) -> JSON:
        return {key: list(getattr(self, key)) for key in COPING_KEYS}


@dataclass(frozen=True, slots=True)
class SupportAlertRecord:
    TYPE: ClassVar[str] = "support_alert"
    created_at: datetime
    status: str | None = None  # "received" | "acknowledged"
    acknowledged_by: str | None = None
    acknowledged_at: datetime | None = None
    expected_response_by: datetime | None = None
    escalation_step: int = 0  # nobody answered in time: the clinic's escalation step (1: on call)

    @classmethod
    def parse(cls, raw: JSON) -> SupportAlertRecord:
        step = raw.get("escalation_step", 0)
        return cls(
            created_at=_required_when(raw, "created_at", cls.TYPE),
            status=_opt(raw, "status"),
            acknowledged_by=_opt(raw, "acknowledged_by"),
            acknowledged_at=_when(raw, "acknowledged_at", cls.TYPE),
            expected_response_by=_when(raw, "expected_response_by", cls.TYPE),
            # an older clinic sends none; anything but a small count is read as none, not trusted
            escalation_step=step if type(step) is int and 0 <= step <= 100 else 0,
        )

    def to_json(self) -> JSON:
        return {
            "created_at": self.created_at.isoformat(),
            "status": self.status,
            "acknowledged_by": self.acknowledged_by,
            "acknowledged_at": _iso(self.acknowledged_at),
            "expected_response_by": _iso(self.expected_response_by),
            "escalation_step": self.escalation_step,
        }


@dataclass(frozen=True, slots=True)
class ShareRecord:
    TYPE: ClassVar[str] = "share"
    recipient_name: str
    relationship: str
    scope: ShareScope
    purpose: str
    expires_at: datetime
    status: str = "pending"
    invitation_expires_at: datetime | None = None
    accepted_at: datetime | None = None

    @classmethod
    def parse(cls, raw: JSON) -> ShareRecord:
        return cls(
            recipient_name=_text(raw, "recipient_name"),
            relationship=_text(raw, "relationship"),
            scope=_enum(ShareScope, raw, "scope", "times", cls.TYPE),
            purpose=_text(raw, "purpose"),
            expires_at=_required_when(raw, "expires_at", cls.TYPE),
            status=_text(raw, "status", "pending"),
            invitation_expires_at=_when(raw, "invitation_expires_at", cls.TYPE),
            accepted_at=_when(raw, "accepted_at", cls.TYPE),
        )

    def to_json(self) -> JSON:
        return {
            "recipient_name": self.recipient_name,
            "relationship": self.relationship,
            "scope": self.scope.value,
            "purpose": self.purpose,
            "expires_at": self.expires_at.isoformat(),
            "status": self.status,
            "invitation_expires_at": _iso(self.invitation_expires_at),
            "accepted_at": _iso(self.accepted_at),
        }


@dataclass(frozen=True, slots=True)
class SharedPatientRecord:
    """On a family member's device: one patient sharing with them (id: the share's id)."""

    TYPE: ClassVar[str] = "shared_patient"
    patient_display_name: str
    scope: ShareScope
    purpose: str
    expires_at: datetime
    notice: str = ""
    timezone: str | None = None  # the clinic's IANA zone; records from before it was sent lack it

    @classmethod
    def parse(cls, raw: JSON) -> SharedPatientRecord:
        return cls(
            patient_display_name=_text(raw, "patient_display_name"),
            scope=_enum(ShareScope, raw, "scope", "times", cls.TYPE),
            purpose=_text(raw, "purpose"),
            expires_at=_required_when(raw, "expires_at", cls.TYPE),
            notice=_text(raw, "notice"),
            timezone=_opt(raw, "timezone"),
        )

    def to_json(self) -> JSON:
        return {
            "patient_display_name": self.patient_display_name,
            "scope": self.scope.value,
            "purpose": self.purpose,
            "expires_at": self.expires_at.isoformat(),
            "notice": self.notice,
            "timezone": self.timezone,
        }


def _texts(raw: JSON, key: str, what: str, *, required: bool = True) -> dict[str, str] | None:
    """A per-language text (language tag → text); absent and optional: None."""
    value = raw.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, dict):
        raise _bad(what, key, "must be an object of texts")
    return {str(k): str(v) for k, v in value.items()}


def _opt_int(raw: JSON, key: str, what: str) -> int | None:
    value = raw.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise _bad(what, key, "must be an integer")
    return value


@dataclass(frozen=True, slots=True)
class QuestionnaireItemData:
    id: str
    kind: str  # "scale" | "yes_no" | "choice" | "text"
    text: dict[str, str]
    min: int | None = None
    max: int | None = None
    low_label: dict[str, str] | None = None
    high_label: dict[str, str] | None = None
    choices: tuple[tuple[int, dict[str, str]], ...] = ()
    required: bool = True
    flag_at: int | None = None

    @classmethod
    def parse(cls, raw: object, what: str) -> QuestionnaireItemData:
        if not isinstance(raw, dict):
            raise _bad(what, "items", "must hold objects")
        kind = _required_text(raw, "kind", what)
        if kind not in ("scale", "yes_no", "choice", "text"):
            raise _bad(what, "kind", "has an unknown value")
        choices = raw.get("choices") or []
        if not isinstance(choices, list):
            raise _bad(what, "choices", "must be a list")
        parsed = []
        for choice in choices:
            if not isinstance(choice, dict):
                raise _bad(what, "choices", "must hold objects")
            value = _opt_int(choice, "value", what)
            if value is None:
                raise _bad(what, "value", "is missing")
            parsed.append((value, _texts(choice, "text", what) or {}))
        return cls(
            id=_required_text(raw, "id", what),
            kind=kind,
            text=_texts(raw, "text", what) or {},
            min=_opt_int(raw, "min", what),
            max=_opt_int(raw, "max", what),
            low_label=_texts(raw, "low_label", what, required=False),
            high_label=_texts(raw, "high_label", what, required=False),
            choices=tuple(parsed),
            required=bool(raw.get("required", True)),
            flag_at=_opt_int(raw, "flag_at", what),
        )

    def to_json(self) -> JSON:
        return {
            "id": self.id,
            "kind": self.kind,
            "text": dict(self.text),
            "min": self.min,
            "max": self.max,
            "low_label": None if self.low_label is None else dict(self.low_label),
            "high_label": None if self.high_label is None else dict(self.high_label),
            "choices": [{"value": v, "text": dict(t)} for v, t in self.choices],
            "required": self.required,
            "flag_at": self.flag_at,
        }


@dataclass(frozen=True, slots=True)
class QuestionnaireRecord:
    """A questionnaire the clinic assigns this patient (daily check-in, PHQ-2, GAD-2): clinic data."""

    TYPE: ClassVar[str] = "questionnaire"
    key: str
    title: dict[str, str]
    cadence: str  # "daily" | "weekly"
    due_weekdays: tuple[str, ...]
    items: tuple[QuestionnaireItemData, ...]
    attribution: str | None = None
    flag_total_at: int | None = None

    @classmethod
    def parse(cls, raw: JSON) -> QuestionnaireRecord:
        cadence = _required_text(raw, "cadence", cls.TYPE)
        if cadence not in ("daily", "weekly"):
            raise _bad(cls.TYPE, "cadence", "has an unknown value")
        items = raw.get("items")
        if not isinstance(items, list):
            raise _bad(cls.TYPE, "items", "must be a list")
        return cls(
            key=_required_text(raw, "key", cls.TYPE),
            title=_texts(raw, "title", cls.TYPE) or {},
            cadence=cadence,
            due_weekdays=_items(raw, "due_weekdays", cls.TYPE),
            items=tuple(QuestionnaireItemData.parse(i, cls.TYPE) for i in items),
            attribution=_opt(raw, "attribution"),
            flag_total_at=_opt_int(raw, "flag_total_at", cls.TYPE),
        )

    def to_json(self) -> JSON:
        return {
            "key": self.key,
            "title": dict(self.title),
            "attribution": self.attribution,
            "cadence": self.cadence,
            "due_weekdays": list(self.due_weekdays),
            "items": [i.to_json() for i in self.items],
            "flag_total_at": self.flag_total_at,
        }


@dataclass(frozen=True, slots=True)
class CheckinFlagData:
    reasons: tuple[str, ...]
    status: str  # "open" | "acknowledged"
    acknowledged_by: str | None = None
    acknowledged_at: datetime | None = None

    def to_json(self) -> JSON:
        return {
            "reasons": list(self.reasons),
            "status": self.status,
            "acknowledged_by": self.acknowledged_by,
            "acknowledged_at": _iso(self.acknowledged_at),
        }


@dataclass(frozen=True, slots=True)
class CheckinRecord:
    """The patient's own answers for one period (id: the device-made checkin_id), with the clinic's flag."""

    TYPE: ClassVar[str] = "checkin"
    questionnaire_id: str
    period: date
    answers: dict[str, int | bool | str]
    submitted_at: datetime
    updated_at: datetime
    score: int | None = None
    flag: CheckinFlagData | None = None

    @classmethod
    def parse(cls, raw: JSON) -> CheckinRecord:
        try:
            period = date.fromisoformat(_required_text(raw, "period", cls.TYPE))
        except ValueError as exc:
            raise _bad(cls.TYPE, "period", "is not an ISO 8601 date") from exc
        answers = raw.get("answers")
        if not isinstance(answers, dict):
            raise _bad(cls.TYPE, "answers", "must be an object")
        if not all(isinstance(v, int | str) for v in answers.values()):  # bool is an int
            raise _bad(cls.TYPE, "answers", "must hold numbers, yes/no or text")
        flag = raw.get("flag")
        if flag is not None and not isinstance(flag, dict):
            raise _bad(cls.TYPE, "flag", "must be an object")
        return cls(
            questionnaire_id=_required_text(raw, "questionnaire_id", cls.TYPE),
            period=period,
            answers={str(k): v for k, v in answers.items()},
            submitted_at=_required_when(raw, "submitted_at", cls.TYPE),
            updated_at=_required_when(raw, "updated_at", cls.TYPE),
            score=_opt_int(raw, "score", cls.TYPE),
            flag=None
            if flag is None
            else CheckinFlagData(
                reasons=_items(flag, "reasons", cls.TYPE),
                status=_text(flag, "status", "open"),
                acknowledged_by=_opt(flag, "acknowledged_by"),
                acknowledged_at=_when(flag, "acknowledged_at", cls.TYPE),
            ),
        )

    def to_json(self) -> JSON:
        return {
            "questionnaire_id": self.questionnaire_id,
            "period": self.period.isoformat(),
            "answers": dict(self.answers),
            "score": self.score,
            "submitted_at": self.submitted_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
            "flag": None if self.flag is None else self.flag.to_json(),
        }


@dataclass(frozen=True, slots=True)
class UnknownRecord:
    """A record type this app does not know: kept as sent (stored, never read) for a later version."""

    type: str
    fields: JSON

    def to_json(self) -> JSON:
        return dict(self.fields)


KnownRecord = (
    ClinicRecord
    | PatientRecord
    | EnrolmentRecord
    | ScheduleItemRecord
    | RsvpRecord
    | AttendanceRecord
    | AssignmentRecord
    | CopingPlanRecord
    | SupportAlertRecord
    | ShareRecord
    | SharedPatientRecord
    | QuestionnaireRecord
    | CheckinRecord
)
Record = KnownRecord | UnknownRecord

KNOWN: tuple[type[KnownRecord], ...] = (
    ClinicRecord,
    PatientRecord,
    EnrolmentRecord,
    ScheduleItemRecord,
    RsvpRecord,
    AttendanceRecord,
    AssignmentRecord,
    CopingPlanRecord,
    SupportAlertRecord,
    ShareRecord,
    SharedPatientRecord,
    QuestionnaireRecord,
    CheckinRecord,
)
# The one registry of record types: the `type` on the wire → its parser.
RECORD_TYPES: dict[str, Callable[[JSON], KnownRecord]] = {kind.TYPE: kind.parse for kind in KNOWN}

R = TypeVar("R", bound=KnownRecord)


def parse_record(type_: str, data: object) -> Record:
    """The typed form of one record's `data`; ResponseFormatError when it does not fit its type."""
    if not isinstance(data, dict):
        raise ResponseFormatError(f"{type_}: `data` must be an object")
    parser = RECORD_TYPES.get(type_)
    return UnknownRecord(type_, data) if parser is None else parser(data)


def parse_as(kind: type[R], data: object) -> R:
    """Parse `data` as a record of `kind` (what the store holds under kind.TYPE)."""
    record = parse_record(kind.TYPE, data)
    if not isinstance(record, kind):
        raise ResponseFormatError(f"{kind.__name__}: not a known record type")
    return record
