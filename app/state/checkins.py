"""Check-in state: what is due today, the answers being given, the confirmation, history and trends."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import flet as ft

from app.domain.checkins import (
    Answer,
    Cadence,
    CheckIn,
    Questionnaire,
    Trends,
    can_amend,
    clinic_day,
    current,
    due_today,
    trends,
    worrying,
)
from app.services.ports import CheckInOverview, CheckIns, ServiceError
from app.state.first_frame import current_first_frame
from app.state.session import Clock


@dataclass(frozen=True, slots=True)
class Confirmation:
    checkin: CheckIn
    worrying: bool  # used, contact or a craving at the clinic's threshold: the call buttons at once
    amended: bool


@ft.observable
@dataclass
class CheckInState:
    checkins: CheckIns
    clock: Clock
    overview: CheckInOverview | None = None
    answering: str | None = None  # the questionnaire being answered
    draft: dict[str, Answer] = field(default_factory=dict)
    confirmation: Confirmation | None = None
    problem: str | None = None  # a message key
    _sending: bool = field(default=False, repr=False)  # private: a double tap sends once, no extra render

    def __post_init__(self) -> None:
        frame = current_first_frame()
        if self.overview is None and frame is not None:
            self.overview = frame.take_checkins()  # read before the session's first render

    async def load(self) -> None:
        try:
            self.overview = await self.checkins.overview()
        except ServiceError:
            self.overview = None  # signed out meanwhile

    # -- reading ---------------------------------------------------------------------------------

    @property
    def timezone(self) -> str:
        return self.overview.timezone if self.overview else "UTC"

    @property
    def daily(self) -> Questionnaire | None:
        found = self.overview.questionnaires if self.overview else ()
        return next((q for q in found if q.cadence is Cadence.DAILY), None)

    def questionnaire(self, questionnaire_id: str | None) -> Questionnaire | None:
        found = self.overview.questionnaires if self.overview else ()
        return next((q for q in found if q.id == questionnaire_id), None)

    def due(self) -> list[Questionnaire]:
        """The questionnaires still to answer today (clinic day), the daily check-in first."""
        if self.overview is None:
            return []
        now = self.clock()
        return [
            q
            for q in self.overview.questionnaires
            if due_today(q, self.overview.checkins, now, self.timezone)
        ]

    def todays(self, questionnaire: Questionnaire) -> CheckIn | None:
        """This period's check-in (today's, or this week's for a weekly one), if given."""
        if self.overview is None:
            return None
        return current(questionnaire, self.overview.checkins, self.clock(), self.timezone)

    def history(self) -> list[CheckIn]:
        """Every check-in on this device, newest first."""
        return list(self.overview.checkins) if self.overview else []

    def trends(self) -> Trends | None:
        daily = self.daily
        if daily is None or self.overview is None:
            return None
        return trends(self.overview.checkins, daily.id, clinic_day(self.clock(), self.timezone))

    # -- answering -------------------------------------------------------------------------------

    def start(self, questionnaire_id: str) -> None:
        """Open a questionnaire: this period's answers to amend, or a blank form."""
        found = self.questionnaire(questionnaire_id)
        if found is None:
            return
        if self.answering == questionnaire_id and self.confirmation is None:
            return  # already open: keep what is being answered
        given = self.todays(found)
        self.answering = found.id
        self.draft = dict(given.answers) if given is not None else {}
        self.confirmation = None
        self.problem = None

    def answer(self, item_id: str, value: Answer) -> None:
        self.draft = {**self.draft, item_id: value}
        self.problem = None

    def alerts(self, item_id: str) -> bool:
        """The answer given so far to this item will alert the care team (the clinic's threshold)."""
        found = self.questionnaire(self.answering)
        item = found.item(item_id) if found else None
        return item is not None and item.alerts(self.draft.get(item_id))

    def total_alerts(self) -> bool:
        found = self.questionnaire(self.answering)
        return found is not None and found.total_alerts(self.draft)

    def missing(self) -> tuple[str, ...]:
        found = self.questionnaire(self.answering)
        return found.missing(self.draft) if found else ()

    def amendable(self, checkin: CheckIn) -> bool:
        found = self.questionnaire(checkin.questionnaire_id)
        return found is not None and can_amend(found, checkin, self.clock(), self.timezone)

    async def submit(self, typed: dict[str, Answer] | None = None) -> bool:
        """Send the draft; `typed`: the text answers as the fields hold them now, taken in with the
        confirmation (one re-render of the screen, not one before the send and one after)."""
        found = self.questionnaire(self.answering)
        if found is None or self._sending:
            return False
        answers = {**self.draft, **(typed or {})}
        if found.missing(answers):
            self.draft = answers
            self.problem = "checkin.incomplete"
            return False
        amended = self.todays(found) is not None
        self._sending = True
        try:
            saved = await self.checkins.submit(found.id, answers)
        except ServiceError as exc:
            self.draft = answers  # kept, typed text too: nothing is lost when the save fails
            self.problem = exc.code
            return False
        finally:
            self._sending = False
        if self.overview is not None:  # no second read before the confirmation shows
            others = tuple(c for c in self.overview.checkins if c.id != saved.id)
            self.overview = replace(self.overview, checkins=(saved, *others))
        self.draft = answers
        self.confirmation = Confirmation(saved, worrying(found, saved.answers), amended)
        self.problem = None
        return True

    def close(self) -> None:
        """The confirmation was read: the next visit starts from this period's answers again."""
        self.answering, self.confirmation, self.draft = None, None, {}
