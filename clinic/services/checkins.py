"""Daily check-ins and weekly questionnaires: the clinic's questionnaires and each patient's, a
patient's answers (`checkin.submit`), the flags answers raise, and what staff read of them.

A check-in is one per (patient, questionnaire, period): the device makes its id, and the same id
again amends that period (answers replaced, updated_at bumped); another id for a period already
answered is 409 checkin.period_taken. Flags on arrival: every rule that fires (used, contact,
craving, phq2, gad2) goes into ONE flag of that check-in. An amendment adds newly fired reasons to
the check-in's open flag; once that flag is acknowledged, new reasons raise a new flag (carrying
every reason that fires now). Reasons an amendment no longer fires are kept: the team saw them.
Check-ins, questionnaires and flags are the patient's and the care team's only: no family record,
feed or stream carries them.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime, timedelta
from typing import Any, TypeVar, get_args
from zoneinfo import ZoneInfo

from clinic.config import Settings
from clinic.database import Database, Writer
from clinic.errors import BadRequest, Conflict, NotFound
from clinic.notify import CHANNEL
from clinic.repository import accounts as accounts_repo
from clinic.repository import audit as audit_repo
from clinic.repository import changes
from clinic.repository import checkins as repo
from clinic.repository import flags as flags_repo
from clinic.schemas import (
    CheckinSubmit,
    FlagReason,
    QuestionnaireData,
    StaffCheckin,
    StaffTrends,
    TrendDay,
    TrendWeek,
)
from clinic.services import render
from clinic.services.auth import Principal

T = TypeVar("T")

ALL_WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
REASONS: tuple[str, ...] = get_args(FlagReason)
HIGH = frozenset({"used", "contact", "craving"})
MAX_AGE_DAYS = 7  # a check-in for a period older than this many clinic days is refused


def severity(reasons: Iterable[str]) -> str:
    return "high" if HIGH.intersection(reasons) else "medium"


def ordered(reasons: Iterable[str]) -> list[str]:
    wanted = set(reasons)
    return [r for r in REASONS if r in wanted]


# -- questionnaires ------------------------------------------------------------------------------


def create_questionnaire(w: Writer, clinic_id: str, data: QuestionnaireData, now: datetime) -> str:
    """A clinic's questionnaire; `data.due_weekdays` is the default for the patients it is assigned."""
    questionnaire_id = str(uuid.uuid4())
    repo.insert_questionnaire(
        w,
        id=questionnaire_id,
        clinic_id=clinic_id,
        key=data.key,
        cadence=data.cadence,
        definition=data.model_dump(mode="json", exclude={"due_weekdays"}),
        due_weekdays=list(data.due_weekdays),
        created_at=now,
    )
    return questionnaire_id


def assign_all(
    w: Writer, clinic_id: str, patient_id: str, now: datetime, by: str | None = None
) -> dict[str, str]:
    """Ask a patient to answer every questionnaire of their clinic: {key: the record's id}."""
    assigned: dict[str, str] = {}
    for q in repo.clinic_questionnaires(w.conn, clinic_id):
        assignment_id = str(uuid.uuid4())
        repo.assign(
            w,
            id=assignment_id,
            patient_id=patient_id,
            questionnaire_id=q.id,
            due_weekdays=list(q.due_weekdays),
            assigned_at=now,
        )
        changes.touch(
            w, "questionnaire", assignment_id, clinic_id=clinic_id, patient_id=patient_id, now=now, by=by
        )
        assigned[q.key] = assignment_id
    return assigned


# -- answers -------------------------------------------------------------------------------------


def _invalid(detail: str) -> BadRequest:
    return BadRequest("checkin.answers_invalid", "Answers not valid", detail)


def check_answers(q: QuestionnaireData, answers: Mapping[str, bool | int | str]) -> int | None:
    """Refuse answers that do not fit the questionnaire; returns the score (sum of choices) or None."""
    items = {i.id: i for i in q.items}
    for key in answers:
        if key not in items:
            raise _invalid(f"This questionnaire has no question {key!r}.")
    score: int | None = None
    for item in q.items:
        if item.id not in answers:
            if item.required:
                raise _invalid(f"The answer to {item.id!r} is missing.")
            continue
        value = answers[item.id]
        if item.kind == "yes_no":
            if not isinstance(value, bool):
                raise _invalid(f"The answer to {item.id!r} must be yes or no (true or false).")
        elif item.kind == "text":
            if not isinstance(value, str):
                raise _invalid(f"The answer to {item.id!r} must be text.")
        elif isinstance(value, bool) or not isinstance(value, int):
            raise _invalid(f"The answer to {item.id!r} must be a whole number.")
        elif item.kind == "scale":
            low, high = item.min if item.min is not None else 0, item.max if item.max is not None else 10
            if not low <= value <= high:
                raise _invalid(f"The answer to {item.id!r} must be from {low} to {high}.")
        else:  # choice
            if value not in {c.value for c in item.choices}:
                raise _invalid(f"The answer to {item.id!r} is not one of its choices.")
            score = (score or 0) + value
    return score


def check_period(q: QuestionnaireData, period: date, today: date) -> None:
    """Not later than tomorrow in the clinic's zone (clock slack), not older than 7 days; weekly: a Monday."""
    if period > today + timedelta(days=1):
        raise BadRequest(
            "checkin.period_invalid", "Period not valid", "This check-in is for a day still to come."
        )
    if period < today - timedelta(days=MAX_AGE_DAYS):
        raise BadRequest(
            "checkin.period_invalid", "Period not valid", "A check-in can be sent up to 7 days after its day."
        )
    if q.cadence == "weekly" and period.weekday() != 0:
        raise BadRequest(
            "checkin.period_invalid",
            "Period not valid",
            "A weekly check-in's period is the Monday of the week it answers.",
        )


def fired(q: QuestionnaireData, answers: Mapping[str, bool | int | str], score: int | None) -> list[str]:
    """The flag reasons these answers fire (in FlagReason order)."""
    reasons: list[str] = []
    for item in q.items:
        value = answers.get(item.id)
        if item.flag_at is None or value is None:
            continue
        if item.kind == "yes_no":
            if item.flag_at == 1 and value is True:
                reasons.append(item.id)
        elif isinstance(value, int) and not isinstance(value, bool) and value >= item.flag_at:
            reasons.append(item.id)
    if q.flag_total_at is not None and score is not None and score >= q.flag_total_at:
        reasons.append(q.key)
    return ordered(r for r in reasons if r in REASONS)


def scoped_checkin_id(patient_id: str, checkin_id: str) -> str:
    """The id a check-in gets when its device id is already another patient's (ids are global)."""
    return hashlib.sha256(f"checkin\n{patient_id}\n{checkin_id}".encode()).hexdigest()


def submit(w: Writer, who: Principal, p: CheckinSubmit, now: datetime) -> tuple[str, int]:
    """Store (or amend) a patient's check-in and raise its flag: (the check-in's id, its version)."""
    assignment = repo.assigned(w.conn, p.questionnaire_id)
    if assignment is None or assignment.patient_id != who.account_id:
        raise BadRequest(
            "checkin.questionnaire_unknown",
            "Unknown questionnaire",
            "This questionnaire is not assigned to you.",
        )
    q = render.questionnaire(assignment)
    tz = accounts_repo.clinic_zone(w.conn, who.clinic_id)
    check_period(q, p.period, now.astimezone(tz).date())
    score = check_answers(q, p.answers)
    checkin_id = p.checkin_id
    existing = repo.checkin(w.conn, checkin_id)
    if existing is not None and existing.patient_id != who.account_id:
        checkin_id = scoped_checkin_id(who.account_id, checkin_id)
        existing = repo.checkin(w.conn, checkin_id)
    if existing is not None and (existing.questionnaire_id != assignment.id or existing.period != p.period):
        raise Conflict(
            "checkin.id_taken",
            "Id in use",
            "This check-in id is another period's. Generate a new id for this check-in.",
        )
    if existing is None:
        taken = repo.checkin_for_period(w.conn, who.account_id, assignment.id, p.period)
        if taken is not None:
            raise Conflict(
                "checkin.period_taken",
                "Already checked in",
                "This period already has a check-in: amend it with its id.",
            )
    version = store(
        w,
        who.clinic_id,
        who.account_id,
        assignment,
        checkin_id,
        p.period,
        p.answered_at,
        dict(p.answers),
        score,
        now,
        q,
    )
    return checkin_id, version


def store(
    w: Writer,
    clinic_id: str,
    patient_id: str,
    assignment: Any,
    checkin_id: str,
    period: date,
    answered_at: datetime,
    answers: dict[str, bool | int | str],
    score: int | None,
    now: datetime,
    q: QuestionnaireData | None = None,
) -> int:
    """Insert or amend a check-in (already validated), raise its flag, and version both.

    Returns the check-in's new version."""
    q = q or render.questionnaire(assignment)
    answered = min(answered_at, now)  # a device clock far ahead must not date it in the future
    if repo.checkin(w.conn, checkin_id) is None:
        repo.insert_checkin(
            w,
            id=checkin_id,
            patient_id=patient_id,
            clinic_id=clinic_id,
            questionnaire_id=assignment.id,
            period=period,
            answers=answers,
            score=score,
            submitted_at=answered,
            updated_at=answered,
            received_at=now,
        )
    else:
        repo.update_checkin(w, checkin_id, answers=answers, score=score, updated_at=answered)
    flag_answers(w, clinic_id, patient_id, checkin_id, fired(q, answers, score), now)
    return changes.touch(
        w, "checkin", checkin_id, clinic_id=clinic_id, patient_id=patient_id, now=now, by=patient_id
    )


def flag_answers(
    w: Writer, clinic_id: str, patient_id: str, checkin_id: str, reasons: list[str], now: datetime
) -> str | None:
    """One flag per check-in with every fired reason (see the module's docstring); its id if changed."""
    if not reasons:
        return None
    flags = flags_repo.of_checkin(w.conn, checkin_id)
    newest = flags[0] if flags else None
    if newest is not None and newest.status == "open":
        merged = ordered([*newest.reasons, *reasons])
        if merged == list(newest.reasons):
            return None
        flags_repo.update_flag(w, newest.id, reasons=merged, severity=severity(merged))
        touch_flag(w, clinic_id, newest.id, now, by=patient_id)
        return str(newest.id)
    if newest is not None and set(reasons) <= set(newest.reasons):
        return None  # nothing the team has not seen and acknowledged
    flag_id = str(uuid.uuid4())
    flags_repo.insert(
        w,
        id=flag_id,
        clinic_id=clinic_id,
        patient_id=patient_id,
        checkin_id=checkin_id,
        reasons=reasons,
        severity=severity(reasons),
        created_at=now,
        status="open",
    )
    touch_flag(w, clinic_id, flag_id, now, by=patient_id)
    return flag_id


def touch_flag(w: Writer, clinic_id: str, flag_id: str, now: datetime, by: str | None) -> int:
    """Version a flag on the staff stream's sequence (shared with support alerts).

    Its sync-index row has no patient: a flag is the care team's, never in a patient's or family
    member's sync.
    """
    version = changes.touch(w, "flag", flag_id, clinic_id=clinic_id, patient_id=None, now=now, by=by)
    w.notify(CHANNEL)
    return version


# -- staff reads ---------------------------------------------------------------------------------


class CheckinService:
    """A patient's check-ins and trends for their care team (every read audited)."""

    def __init__(self, db: Database, settings: Settings) -> None:
        self.db = db
        self.settings = settings

    def _audited(
        self, who: Principal, patient_id: str, action: str, fn: Callable[[Writer, ZoneInfo], T]
    ) -> T:
        with self.db.write() as w:
            patient = accounts_repo.patient(w.conn, patient_id)
            if patient is None or patient.clinic_id != who.clinic_id:
                raise NotFound()
            result = fn(w, accounts_repo.clinic_zone(w.conn, who.clinic_id))
            audit_repo.record(
                w,
                clinic_id=who.clinic_id,
                actor_id=who.account_id,
                actor_role="staff",
                patient_id=patient_id,
                action=action,
                at=self.settings.clock(),
            )
            return result

    def checkins(self, who: Principal, patient_id: str, limit: int, before: str | None) -> list[StaffCheckin]:
        """Newest period first; `before`: the id of the last check-in of the previous page."""

        def run(w: Writer, tz: ZoneInfo) -> list[StaffCheckin]:
            after: tuple[date, str] | None = None
            if before is not None:
                last = repo.checkin(w.conn, before)
                if last is None or last.patient_id != patient_id:
                    raise NotFound("No such check-in for this patient.")
                after = (last.period, last.id)
            rows = repo.patient_checkins(w.conn, patient_id, limit, after)
            newest = flags_repo.newest_of_checkins(w.conn, (r.id for r in rows))
            return [
                StaffCheckin(
                    **render.checkin(r, newest.get(r.id), tz).model_dump(),
                    id=r.id,
                    patient_id=r.patient_id,
                    questionnaire_key=r.questionnaire_key,
                    version=int(r.version),
                )
                for r in rows
            ]

        return self._audited(who, patient_id, "staff.checkins.read", run)

    def trends(self, who: Principal, patient_id: str, weeks: int) -> StaffTrends:
        """Daily craving, mood and confidence over the last `weeks` clinic weeks, with weekly means."""

        def run(w: Writer, tz: ZoneInfo) -> StaffTrends:
            today = self.settings.clock().astimezone(tz).date()
            first = today - timedelta(days=today.weekday()) - timedelta(weeks=weeks - 1)
            days = [
                TrendDay(
                    date=r.period.isoformat(),
                    craving=_number(r.answers.get("craving")),
                    mood=_number(r.answers.get("mood")),
                    confidence=_number(r.answers.get("confidence")),
                )
                for r in repo.daily_checkins(w.conn, patient_id, first, today)
            ]
            out = []
            for n in range(weeks):
                monday = first + timedelta(weeks=n)
                inside = [
                    d for d in days if monday.isoformat() <= d.date < (monday + timedelta(days=7)).isoformat()
                ]
                out.append(
                    TrendWeek(
                        week_start=monday.isoformat(),
                        checkins=len(inside),
                        craving=_mean([d.craving for d in inside]),
                        mood=_mean([d.mood for d in inside]),
                        confidence=_mean([d.confidence for d in inside]),
                    )
                )
            return StaffTrends(patient_id=patient_id, days=days, weeks=out)

        return self._audited(who, patient_id, "staff.trends.read", run)


def _number(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _mean(values: list[int | None]) -> float | None:
    present = [v for v in values if v is not None]
    return round(sum(present) / len(present), 1) if present else None
