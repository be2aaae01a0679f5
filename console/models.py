"""What the console reads from the staff API, parsed once at the edge into frozen values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

Kind = Literal["alert", "flag"]
Outcome = Literal["safe", "no_answer", "emergency", "other"]
OUTCOMES: tuple[Outcome, ...] = ("safe", "no_answer", "emergency", "other")


class ResponseFormatError(ValueError):
    """The clinic answered something that does not fit the staff wire contract."""


def _str(data: dict[str, Any], key: str) -> str:
    value = data.get(key)
    if not isinstance(value, str):
        raise ResponseFormatError(f"{key}: expected a string")
    return value


def _opt(data: dict[str, Any], key: str) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ResponseFormatError(f"{key}: expected a string or null")
    return value


def _int(data: dict[str, Any], key: str) -> int:
    value = data.get(key)
    if not isinstance(value, int) or isinstance(value, bool):
        raise ResponseFormatError(f"{key}: expected an integer")
    return value


def _step(data: dict[str, Any]) -> int:
    """The escalation step; a clinic without the ladder sends none (0)."""
    value = data.get("escalation_step", 0)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ResponseFormatError("escalation_step: expected a non-negative integer")
    return value


def _when(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except ValueError as exc:
        raise ResponseFormatError(f"not an RFC 3339 time: {text[:40]!r}") from exc
    if value.tzinfo is None:
        raise ResponseFormatError("a time without its offset")
    return value


def _obj(value: object) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ResponseFormatError("expected an object")
    return value


@dataclass(frozen=True)
class Tokens:
    access_token: str
    refresh_token: str
    expires_in: int
    role: str
    account_id: str
    display_name: str
    device_id: str

    @classmethod
    def parse(cls, raw: object) -> Tokens:
        data = _obj(raw)
        return cls(
            access_token=_str(data, "access_token"),
            refresh_token=_str(data, "refresh_token"),
            expires_in=_int(data, "expires_in"),
            role=_str(data, "role"),
            account_id=_str(data, "account_id"),
            display_name=_str(data, "display_name"),
            device_id=_str(data, "device_id"),
        )

    def __repr__(self) -> str:  # never a token in a log line or a traceback
        return f"Tokens(role={self.role!r}, account_id={self.account_id!r})"


@dataclass(frozen=True)
class QueueItem:
    """One support alert or check-in flag as the queue shows it."""

    kind: Kind
    id: str
    patient_id: str
    patient_name: str
    reasons: tuple[str, ...]  # flags: FlagReason values; alerts: ("support",)
    created_at: datetime
    open: bool
    acknowledged_by: str | None
    acknowledged_at: datetime | None
    version: int
    severity: str = "high"  # alerts are always high; flags "high" | "medium"
    authenticated_by: str | None = None  # alerts: "session" | "device_key"
    session_state: str | None = None  # alerts: "active" | "expired" | "revoked"
    outcome: str | None = None
    note: str | None = None
    escalation_step: int = 0  # the escalation ladder's last step fired (0: none, or no ladder yet)
    escalated_to: str | None = None  # whom that step alerted, in the clinic's words

    @property
    def key(self) -> str:
        return f"{self.kind}-{self.id}"

    @classmethod
    def alert(cls, raw: object) -> QueueItem:
        data = _obj(raw)
        acked = _opt(data, "acknowledged_at")
        return cls(
            kind="alert",
            id=_str(data, "id"),
            patient_id=_str(data, "patient_id"),
            patient_name=_str(data, "patient_name"),
            reasons=("support",),
            created_at=_when(_str(data, "created_at")),
            open=_str(data, "status") != "acknowledged",
            acknowledged_by=_opt(data, "acknowledged_by"),
            acknowledged_at=_when(acked) if acked else None,
            version=_int(data, "version"),
            authenticated_by=_opt(data, "authenticated_by"),
            session_state=_opt(data, "session_state"),
            outcome=_opt(data, "outcome"),
            note=_opt(data, "note"),
            escalation_step=_step(data),
            escalated_to=_opt(data, "escalated_to"),
        )

    @classmethod
    def flag(cls, raw: object) -> QueueItem:
        data = _obj(raw)
        reasons = data.get("reasons")
        if not isinstance(reasons, list) or not all(isinstance(r, str) for r in reasons):
            raise ResponseFormatError("reasons: expected a list of strings")
        acked = _opt(data, "acknowledged_at")
        return cls(
            kind="flag",
            id=_str(data, "id"),
            patient_id=_str(data, "patient_id"),
            patient_name=_str(data, "patient_name"),
            reasons=tuple(reasons),
            created_at=_when(_str(data, "created_at")),
            open=_str(data, "status") != "acknowledged",
            acknowledged_by=_opt(data, "acknowledged_by"),
            acknowledged_at=_when(acked) if acked else None,
            version=_int(data, "version"),
            severity=_str(data, "severity"),
            note=_opt(data, "note"),
            escalation_step=_step(data),
            escalated_to=_opt(data, "escalated_to"),
        )


def queue_order(items: list[QueueItem]) -> list[QueueItem]:
    """Unanswered first; among them support alerts (red) above flags (amber); newest first within each."""

    def rank(item: QueueItem) -> tuple[int, int, float]:
        return (0 if item.open else 1, 0 if item.kind == "alert" else 1, -item.created_at.timestamp())

    return sorted(items, key=rank)


@dataclass(frozen=True)
class Enrolment:
    program_name: str
    current_week: int
    planned_weeks: int


@dataclass(frozen=True)
class Patient:
    id: str
    display_name: str
    username: str | None
    enrolment: Enrolment | None

    @classmethod
    def parse(cls, raw: object) -> Patient:
        data = _obj(raw)
        enrolment_raw = data.get("enrolment")
        enrolment = None
        if enrolment_raw is not None:
            e = _obj(enrolment_raw)
            enrolment = Enrolment(_str(e, "program_name"), _int(e, "current_week"), _int(e, "planned_weeks"))
        return cls(_str(data, "id"), _str(data, "display_name"), _opt(data, "username"), enrolment)


@dataclass(frozen=True)
class ScheduleItem:
    id: str
    kind: str
    title: str | None
    starts_at: datetime
    ends_at: datetime
    location: str | None
    status: str
    note: str | None
    version: int
    attendance: str | None = None  # "attended" | "absent", what staff recorded; None until they do

    @classmethod
    def parse(cls, raw: object) -> ScheduleItem:
        data = _obj(raw)
        return cls(
            id=_str(data, "id"),
            kind=_str(data, "kind"),
            title=_opt(data, "title"),
            starts_at=_when(_str(data, "starts_at")),
            ends_at=_when(_str(data, "ends_at")),
            location=_opt(data, "location"),
            status=_str(data, "status"),
            note=_opt(data, "note"),
            version=_int(data, "version"),
            attendance=_opt(data, "attendance"),
        )


@dataclass(frozen=True)
class AssignmentTemplate:
    """One of the clinic's assignment templates: a new assignment is pre-filled from it."""

    id: str
    title: str
    modality: str
    instructions: str

    @classmethod
    def parse(cls, raw: object) -> AssignmentTemplate:
        data = _obj(raw)
        return cls(_str(data, "id"), _str(data, "title"), _str(data, "modality"), _str(data, "instructions"))


def attendance_status(raw: object) -> str:
    """The clinic's answer to recording attendance: the status it stored."""
    status = _str(_obj(raw), "status")
    if status not in ("attended", "absent"):
        raise ResponseFormatError("status: expected attended or absent")
    return status


@dataclass(frozen=True)
class Rsvp:
    schedule_item_id: str
    response: str
    note: str

    @classmethod
    def parse(cls, raw: object) -> Rsvp:
        data = _obj(raw)
        return cls(_str(data, "schedule_item_id"), _str(data, "response"), _str(data, "note"))


@dataclass(frozen=True)
class Assignment:
    id: str
    title: str
    modality: str
    instructions: str
    due_at: datetime | None
    done: bool
    response: str
    feedback: str | None
    feedback_by: str | None

    @classmethod
    def parse(cls, raw: object) -> Assignment:
        data = _obj(raw)
        due = _opt(data, "due_at")
        return cls(
            id=_str(data, "id"),
            title=_str(data, "title"),
            modality=_str(data, "modality"),
            instructions=_str(data, "instructions"),
            due_at=_when(due) if due else None,
            done=_str(data, "status") == "done",
            response=_str(data, "response"),
            feedback=_opt(data, "feedback"),
            feedback_by=_opt(data, "feedback_by"),
        )


@dataclass(frozen=True)
class Device:
    id: str
    name: str
    created_at: datetime
    revoked: bool

    @classmethod
    def parse(cls, raw: object) -> Device:
        data = _obj(raw)
        return cls(
            _str(data, "id"),
            _str(data, "name"),
            _when(_str(data, "created_at")),
            data.get("revoked_at") is not None,
        )


@dataclass(frozen=True)
class EnrolmentCode:
    code: str
    expires_at: datetime

    def __repr__(self) -> str:  # a live code is a credential
        return f"EnrolmentCode(expires_at={self.expires_at.isoformat()})"

    @classmethod
    def parse(cls, raw: object) -> EnrolmentCode:
        data = _obj(raw)
        return cls(_str(data, "code"), _when(_str(data, "expires_at")))


@dataclass(frozen=True)
class CheckinPoint:
    """One daily check-in on the chart."""

    period: str
    craving: int | None
    mood: int | None
    confidence: int | None

    @classmethod
    def parse(cls, raw: object) -> CheckinPoint:
        data = _obj(raw)
        answers = _obj(data.get("answers", {}))

        def value(key: str) -> int | None:
            v = answers.get(key)
            return v if isinstance(v, int) and not isinstance(v, bool) else None

        return cls(_str(data, "period"), value("craving"), value("mood"), value("confidence"))


@dataclass(frozen=True)
class TrendWeek:
    """One clinic week of daily check-ins: how many, and the average craving (None: no answers)."""

    week_start: str
    checkins: int
    craving: float | None

    @classmethod
    def parse(cls, raw: object) -> TrendWeek:
        data = _obj(raw)
        craving = data.get("craving")
        if craving is not None and not isinstance(craving, int | float):
            raise ResponseFormatError("craving: expected a number or null")
        return cls(
            _str(data, "week_start"), _int(data, "checkins"), float(craving) if craving is not None else None
        )


@dataclass(frozen=True)
class AuditEntry:
    id: int
    actor_id: str | None
    actor_role: str
    patient_id: str | None
    action: str
    at: datetime

    @classmethod
    def parse(cls, raw: object) -> AuditEntry:
        data = _obj(raw)
        return cls(
            id=_int(data, "id"),
            actor_id=_opt(data, "actor_id"),
            actor_role=_str(data, "actor_role"),
            patient_id=_opt(data, "patient_id"),
            action=_str(data, "action"),
            at=_when(_str(data, "at")),
        )
