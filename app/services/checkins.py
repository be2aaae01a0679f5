"""The CheckIns service: questionnaires and check-ins from the encrypted store, answers through the outbox."""

from __future__ import annotations

import uuid
from collections.abc import Mapping

from app.api.mutations import CheckinSubmit
from app.api.records import CheckinRecord, QuestionnaireRecord, parse_as
from app.domain.checkins import (
    Answer,
    Answers,
    Cadence,
    CheckIn,
    Choice,
    Flag,
    FlagStatus,
    Item,
    ItemKind,
    Questionnaire,
    clinic_day,
    current,
)
from app.domain.zones import clinic_timezone
from app.services.core import Core
from app.services.ports import CheckInOverview, ServiceError
from app.services.reads import pending


def questionnaire(id_: str, r: QuestionnaireRecord) -> Questionnaire:
    items = tuple(
        Item(
            id=i.id,
            kind=ItemKind(i.kind),
            text=i.text,
            min=i.min,
            max=i.max,
            low_label=i.low_label,
            high_label=i.high_label,
            choices=tuple(Choice(v, t) for v, t in i.choices),
            required=i.required,
            flag_at=i.flag_at,
        )
        for i in r.items
    )
    return Questionnaire(
        id_, r.key, r.title, Cadence(r.cadence), r.due_weekdays, items, r.attribution, r.flag_total_at
    )


def checkin(id_: str, r: CheckinRecord) -> CheckIn:
    flag = None
    if r.flag is not None:
        status = FlagStatus.ACKNOWLEDGED if r.flag.status == "acknowledged" else FlagStatus.OPEN
        flag = Flag(r.flag.reasons, status, r.flag.acknowledged_by, r.flag.acknowledged_at)
    return CheckIn(id_, r.questionnaire_id, r.period, r.answers, r.submitted_at, r.updated_at, r.score, flag)


class LocalCheckIns:
    """Served from local data only; an answer is on disk (pending) before the screen hears of it."""

    def __init__(self, core: Core) -> None:
        self._core = core

    async def overview(self) -> CheckInOverview:
        core = self._core
        store = await core.require_store()
        timezone = clinic_timezone(await (await core.reads()).clinic())
        questionnaires = {
            r.id: questionnaire(r.id, parse_as(QuestionnaireRecord, r.data))
            for r in await store.records(QuestionnaireRecord.TYPE)
        }
        checkins = {
            r.id: checkin(r.id, parse_as(CheckinRecord, r.data))
            for r in await store.records(CheckinRecord.TYPE)
        }
        for _, change in pending(await store.outbox()):
            if isinstance(change, CheckinSubmit):
                checkins[change.checkin_id] = _laid_over(
                    change, checkins.get(change.checkin_id), questionnaires
                )
        ordered = sorted(questionnaires.values(), key=lambda q: (q.cadence is not Cadence.DAILY, q.key, q.id))
        newest = sorted(checkins.values(), key=lambda c: (c.period, c.updated_at), reverse=True)
        return CheckInOverview(timezone, tuple(ordered), tuple(newest))

    async def submit(self, questionnaire_id: str, answers: Answers) -> CheckIn:
        core = self._core
        board = await self.overview()
        found = next((q for q in board.questionnaires if q.id == questionnaire_id), None)
        if found is None:
            raise ServiceError("checkin.questionnaire_unknown")
        if found.missing(answers):
            raise ServiceError("checkin.incomplete")
        now = core.clock()
        period = found.period(clinic_day(now, board.timezone))
        earlier = current(found, board.checkins, now, board.timezone)  # amending: the same id, always
        checkin_id = earlier.id if earlier is not None else str(uuid.uuid4())
        change = CheckinSubmit(checkin_id, found.id, period, now, found.cleaned(answers))
        await core.enqueue(change, ("checkin", checkin_id))
        return _laid_over(change, earlier, {found.id: found})


def _laid_over(
    change: CheckinSubmit, earlier: CheckIn | None, questionnaires: Mapping[str, Questionnaire]
) -> CheckIn:
    """What the patient sees of an answer still in the outbox: the new answers, the clinic's flag so far."""
    answers: dict[str, Answer] = dict(change.answers)
    found = questionnaires.get(change.questionnaire_id)
    return CheckIn(
        id=change.checkin_id,
        questionnaire_id=change.questionnaire_id,
        period=change.period,
        answers=answers,
        submitted_at=earlier.submitted_at if earlier is not None else change.answered_at,
        updated_at=change.answered_at,
        score=found.score(answers) if found is not None else None,
        flag=earlier.flag if earlier is not None else None,
        pending=True,
    )
