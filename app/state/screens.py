"""The view states of one session's screens, kept while the patient moves between them."""

from __future__ import annotations

from dataclasses import dataclass

from app.state.assignments import AssignmentsState
from app.state.coping import CopingState
from app.state.session import AppState
from app.state.today import TodayState
from app.state.week import WeekState


@dataclass
class Screens:
    today: TodayState
    week: WeekState
    assignments: AssignmentsState
    coping: CopingState

    @classmethod
    def for_app(cls, app: AppState) -> Screens:
        return cls(
            today=TodayState(services=app.services, clock=app.clock, zone=lambda: app.timezone),
            week=WeekState(services=app.services, clock=app.clock, zone=lambda: app.timezone),
            assignments=AssignmentsState(services=app.services),
            coping=CopingState(services=app.services),
        )
