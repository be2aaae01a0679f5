"""The Reminders service: the in-app reminders due now, from the encrypted store and the core's clock."""

from __future__ import annotations

from datetime import timedelta

from app.domain.checkins import Cadence, due_today
from app.domain.reminders import DueReminders, due_reminders
from app.domain.zones import clinic_timezone
from app.services.checkins import LocalCheckIns
from app.services.core import Core
from app.services.lock import load_preferences
from app.services.ports import ServiceError


class LocalReminders:
    """Works offline: sessions, assignments and check-ins as this device has them (pending ones laid over)."""

    def __init__(self, core: Core, checkins: LocalCheckIns) -> None:
        self._core = core
        self._checkins = checkins

    async def due(self) -> DueReminders:
        try:
            store = await self._core.require_store()
        except ServiceError:
            return DueReminders(self._core.clock())  # signed out: nothing to remind of
        prefs = await load_preferences(store)
        reads = await self._core.reads()
        now = self._core.clock()
        timezone = clinic_timezone(await reads.clinic())
        today = now.date()
        # Yesterday to the day after tomorrow (UTC days around the clinic's): the next hour's
        # sessions and tomorrow's assignments are inside whatever the zone.
        overview = await reads.overview(today - timedelta(days=1), today + timedelta(days=2))
        board = await self._checkins.overview()
        daily = [q for q in board.questionnaires if q.cadence is Cadence.DAILY]
        checkin_due = any(due_today(q, board.checkins, now, board.timezone) for q in daily)
        found = due_reminders(
            now, timezone, prefs.reminders, overview.sessions, overview.assignments, checkin_due
        )
        return DueReminders(now, found)
