"""In-app reminder banner state: what is due now (from the Reminders service), minus what was dismissed."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

import flet as ft

from app.domain.reminders import Reminder
from app.services.ports import Reminders, ServiceError
from app.state.session import AppState

REFRESH_SECONDS = 15.0  # how often the banner asks again while the app is open


@ft.observable
@dataclass
class ReminderState:
    """One banner at a time, the most urgent; a dismissed one stays away while it is due."""

    reminders: Reminders
    now: datetime | None = None  # the clock the reminders were worked out with
    due: tuple[Reminder, ...] = ()
    dismissed: frozenset[str] = field(default_factory=frozenset)

    @property
    def shown(self) -> Reminder | None:
        return next((r for r in self.due if r.key not in self.dismissed), None)

    async def refresh(self) -> None:
        try:
            found = await self.reminders.due()
        except ServiceError:
            self.due = ()
            return
        self.now, self.due = found.now, found.reminders

    def dismiss(self, key: str) -> None:
        self.dismissed = self.dismissed | {key}


async def save_reminder_settings(
    app: AppState,
    *,
    session_minutes: int | None = None,
    checkin_nudge: bool | None = None,
    checkin_hour: int | None = None,
    assignments: bool | None = None,
) -> None:
    """Settings → Reminders: only what is given changes; kept with the device's other preferences."""
    p = app.prefs
    minutes = p.session_reminder_minutes if session_minutes is None else session_minutes
    prefs = replace(
        p,
        session_reminder_minutes=minutes,
        checkin_nudge=p.checkin_nudge if checkin_nudge is None else checkin_nudge,
        checkin_nudge_hour=p.checkin_nudge_hour if checkin_hour is None else checkin_hour,
        assignment_reminder=p.assignment_reminder if assignments is None else assignments,
    )
    app.touch()
    await app.services.device.save_preferences(prefs)
    app.prefs = prefs
