"""The Schedule and Assignments services: local reads, and edits queued in the durable outbox."""

from __future__ import annotations

import asyncio
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


DRAFTS = "assignment_drafts"  # one sealed store value: {assignment id: the text typed so far}


class LocalAssignments:
    """Assignments, and the responses being written: a draft is kept in the encrypted store as it is
    typed (a trigger log is filled in all week) until "Mark as done" puts it in the outbox."""

    def __init__(self, core: Core) -> None:
        self._core = core
        self._drafts_lock = asyncio.Lock()  # keystrokes arrive as separate tasks: no lost update

    async def assignments(self) -> tuple[Assignment, ...]:
        return await (await self._core.reads()).assignments()

    async def complete_assignment(self, assignment_id: str, response: str) -> None:
        change = AssignmentComplete(assignment_id, response)
        await self._core.enqueue(change, ("assignment", assignment_id))
        await self.save_draft(assignment_id, "")  # on disk in the outbox now, until the clinic has it

    async def drafts(self) -> dict[str, str]:
        raw = await (await self._core.require_store()).get_value(DRAFTS)
        if not isinstance(raw, dict):
            return {}
        return {str(k): v for k, v in raw.items() if isinstance(v, str)}

    async def save_draft(self, assignment_id: str, text: str) -> None:
        async with self._drafts_lock:
            store = await self._core.require_store()
            drafts = await self.drafts()
            if text:
                drafts[assignment_id] = text
            elif drafts.pop(assignment_id, None) is None:
                return
            await store.set_value(DRAFTS, drafts)
