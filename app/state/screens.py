"""The view states of one session's screens, kept while the patient moves between them."""

from __future__ import annotations

from dataclasses import dataclass

from app.state.assignments import AssignmentsState
from app.state.checkins import CheckInState
from app.state.coping import CopingState
from app.state.reminders import ReminderState
from app.state.session import AppState
from app.state.sharing import SharingState
from app.state.today import TodayState
from app.state.week import WeekState


@dataclass
class Screens:
    today: TodayState
    week: WeekState
    assignments: AssignmentsState
    coping: CopingState
    sharing: SharingState
    checkins: CheckInState
    reminders: ReminderState

    @classmethod
    def for_app(cls, app: AppState) -> Screens:
        services = app.services  # each screen gets the one feature service it uses
        return cls(
            today=TodayState(schedule=services.schedule, clock=app.clock, zone=lambda: app.timezone),
            week=WeekState(schedule=services.schedule, clock=app.clock, zone=lambda: app.timezone),
            assignments=AssignmentsState(assignments=services.assignments),
            coping=CopingState(plans=services.coping),
            sharing=SharingState(sharing=services.sharing, clock=app.clock, zone=lambda: app.timezone),
            checkins=CheckInState(checkins=services.checkins, clock=app.clock),
            reminders=ReminderState(reminders=services.reminders),
        )
