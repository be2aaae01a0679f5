"""The Schedule and Assignments services: local reads, and edits queued in the durable outbox."""

from __future__ import annotations

from datetime import date

from app.api.mutations import AssignmentComplete, RsvpSet
from app.domain.model import Assignment, RsvpResponse
from app.services.core import Core
from app.services.ports import Overview, RejectedChange


class LocalSchedule:
    """Sessions and RSVPs for the Today and Week screens, and the edits the clinic refused."""

    def __init__(self, core: Core) -> None:
        self._core = core

    async def overview(self, start: date, end: date) -> Overview:
        return await (await self._core.reads()).overview(start, end)

    async def set_rsvp(self, schedule_item_id: str, response: RsvpResponse, note: str) -> None:
        await self._core.enqueue(RsvpSet(schedule_item_id, response, note), ("rsvp", schedule_item_id))

    async def rejected_changes(self) -> tuple[RejectedChange, ...]:
        return await (await self._core.reads()).rejected()

    async def dismiss_rejected(self, change_id: str) -> None:
        await (await self._core.require_store()).dismiss_rejected(change_id)
        self._core.board.notify()


class LocalAssignments:
    def __init__(self, core: Core) -> None:
        self._core = core

    async def assignments(self) -> tuple[Assignment, ...]:
        return await (await self._core.reads()).assignments()

    async def complete_assignment(self, assignment_id: str, response: str) -> None:
        change = AssignmentComplete(assignment_id, response)
        await self._core.enqueue(change, ("assignment", assignment_id))
