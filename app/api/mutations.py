"""Typed payloads of the changes the app pushes (docs/api.md, "Push"), one per MutationType.

MUTATION_TYPES is the one registry on the app side: a MutationType → its payload's parser. The
outbox keeps a payload as `to_json()`; the pusher and the local reads turn it back with
`parse_payload`, so nothing above app.api handles a payload as a dict.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import ClassVar

from app.api.errors import ResponseFormatError
from app.api.records import CopingPlanRecord
from app.domain.model import JSON, MutationType, RsvpResponse


class PayloadFormatError(ValueError):
    """A stored payload that does not fit its mutation type (names the field, never its value)."""


def _text(raw: JSON, key: str, kind: MutationType) -> str:
    value = raw.get(key)
    if not isinstance(value, str):
        raise PayloadFormatError(f"{kind}: `{key}` must be a string")
    return value


@dataclass(frozen=True, slots=True)
class RsvpSet:
    TYPE: ClassVar[MutationType] = MutationType.RSVP_SET
    schedule_item_id: str
    response: RsvpResponse
    note: str = ""

    @classmethod
    def parse(cls, raw: JSON) -> RsvpSet:
        try:
            response = RsvpResponse(str(raw.get("response")))
        except ValueError as exc:
            raise PayloadFormatError(f"{cls.TYPE}: `response` has an unknown value") from exc
        return cls(_text(raw, "schedule_item_id", cls.TYPE), response, str(raw.get("note") or ""))

    def to_json(self) -> JSON:
        return {"schedule_item_id": self.schedule_item_id, "response": self.response.value, "note": self.note}


@dataclass(frozen=True, slots=True)
class AssignmentComplete:
    TYPE: ClassVar[MutationType] = MutationType.ASSIGNMENT_COMPLETE
    assignment_id: str
    response: str

    @classmethod
    def parse(cls, raw: JSON) -> AssignmentComplete:
        return cls(_text(raw, "assignment_id", cls.TYPE), _text(raw, "response", cls.TYPE))

    def to_json(self) -> JSON:
        return {"assignment_id": self.assignment_id, "response": self.response}


@dataclass(frozen=True, slots=True)
class AssignmentReopen:
    TYPE: ClassVar[MutationType] = MutationType.ASSIGNMENT_REOPEN
    assignment_id: str

    @classmethod
    def parse(cls, raw: JSON) -> AssignmentReopen:
        return cls(_text(raw, "assignment_id", cls.TYPE))

    def to_json(self) -> JSON:
        return {"assignment_id": self.assignment_id}


@dataclass(frozen=True, slots=True)
class CopingPlanUpdate:
    """The whole plan: the payload is the `coping_plan` record's data."""

    TYPE: ClassVar[MutationType] = MutationType.COPING_PLAN_UPDATE
    plan: CopingPlanRecord

    @classmethod
    def parse(cls, raw: JSON) -> CopingPlanUpdate:
        try:
            return cls(CopingPlanRecord.parse(raw))
        except ResponseFormatError as exc:
            raise PayloadFormatError(str(exc)) from exc

    def to_json(self) -> JSON:
        return self.plan.to_json()


@dataclass(frozen=True, slots=True)
class SupportAlertRaise:
    """The mutation's id is the alert's id; its body is only the time it was raised."""

    TYPE: ClassVar[MutationType] = MutationType.SUPPORT_ALERT_RAISE
    created_at: datetime

    @classmethod
    def parse(cls, raw: JSON) -> SupportAlertRaise:
        try:
            created = datetime.fromisoformat(_text(raw, "created_at", cls.TYPE))
        except ValueError as exc:
            raise PayloadFormatError(f"{cls.TYPE}: `created_at` is not an ISO 8601 time") from exc
        if created.tzinfo is None:
            raise PayloadFormatError(f"{cls.TYPE}: `created_at` must have an offset")
        return cls(created)

    def to_json(self) -> JSON:
        return {"created_at": self.created_at.isoformat()}


@dataclass(frozen=True, slots=True)
class CheckinSubmit:
    """A check-in's answers; the same `checkin_id` for every amendment of its period."""

    TYPE: ClassVar[MutationType] = MutationType.CHECKIN_SUBMIT
    checkin_id: str
    questionnaire_id: str
    period: date
    answered_at: datetime
    answers: dict[str, int | bool | str]

    @classmethod
    def parse(cls, raw: JSON) -> CheckinSubmit:
        try:
            period = date.fromisoformat(_text(raw, "period", cls.TYPE))
            answered = datetime.fromisoformat(_text(raw, "answered_at", cls.TYPE))
        except ValueError as exc:
            raise PayloadFormatError(f"{cls.TYPE}: `period` or `answered_at` is not ISO 8601") from exc
        if answered.tzinfo is None:
            raise PayloadFormatError(f"{cls.TYPE}: `answered_at` must have an offset")
        answers = raw.get("answers")
        if not isinstance(answers, dict) or not all(isinstance(v, int | str) for v in answers.values()):
            raise PayloadFormatError(f"{cls.TYPE}: `answers` must map item ids to values")
        return cls(
            _text(raw, "checkin_id", cls.TYPE),
            _text(raw, "questionnaire_id", cls.TYPE),
            period,
            answered,
            {str(k): v for k, v in answers.items()},
        )

    def to_json(self) -> JSON:
        return {
            "checkin_id": self.checkin_id,
            "questionnaire_id": self.questionnaire_id,
            "period": self.period.isoformat(),
            "answered_at": self.answered_at.isoformat(),
            "answers": dict(self.answers),
        }


MutationPayload = (
    RsvpSet | AssignmentComplete | AssignmentReopen | CopingPlanUpdate | SupportAlertRaise | CheckinSubmit
)

MUTATION_TYPES: dict[MutationType, Callable[[JSON], MutationPayload]] = {
    RsvpSet.TYPE: RsvpSet.parse,
    AssignmentComplete.TYPE: AssignmentComplete.parse,
    AssignmentReopen.TYPE: AssignmentReopen.parse,
    CopingPlanUpdate.TYPE: CopingPlanUpdate.parse,
    SupportAlertRaise.TYPE: SupportAlertRaise.parse,
    CheckinSubmit.TYPE: CheckinSubmit.parse,
}


def parse_payload(type_: str, raw: object) -> MutationPayload:
    """The typed payload of a stored mutation; PayloadFormatError for an unknown type or a bad payload."""
    try:
        parser = MUTATION_TYPES[MutationType(type_)]
    except ValueError as exc:
        raise PayloadFormatError("unknown mutation type") from exc
    if not isinstance(raw, dict):
        raise PayloadFormatError(f"{type_}: the payload must be an object")
    return parser(raw)
