"""Assignments view state: to do / done lists and the complete intent (works offline)."""

from __future__ import annotations

from dataclasses import dataclass, field

import flet as ft

from app.domain.model import Assignment, AssignmentStatus
from app.services.ports import Assignments, ServiceError

RESPONSE_LIMIT = 5000  # characters of a response the app sends; longer text is kept, and said so


@ft.observable
@dataclass
class AssignmentsState:
    assignments: Assignments
    items: tuple[Assignment, ...] = field(default_factory=tuple)
    drafts: dict[str, str] = field(default_factory=dict)  # responses being written, as last loaded
    loaded: bool = False
    problem: str | None = None

    async def load(self) -> None:
        try:
            self.drafts = await self.assignments.drafts()  # before the items: a shown one has its draft
            self.items = await self.assignments.assignments()
        except ServiceError:
            self.items = ()
        self.loaded = True

    async def save_draft(self, assignment_id: str, text: str) -> None:
        """Keep what is typed on disk as it is typed (no re-render: the field already shows it)."""
        try:
            await self.assignments.save_draft(assignment_id, text)
        except ServiceError as exc:
            self.problem = exc.code

    @property
    def todo(self) -> list[Assignment]:
        todo = [a for a in self.items if a.status is AssignmentStatus.TODO]
        return sorted(todo, key=lambda a: (a.due_at is None, a.due_at.timestamp() if a.due_at else 0.0))

    @property
    def done(self) -> list[Assignment]:
        done = [a for a in self.items if a.status is AssignmentStatus.DONE]
        return sorted(done, key=lambda a: a.completed_at.timestamp() if a.completed_at else 0.0, reverse=True)

    def get(self, assignment_id: str) -> Assignment | None:
        return next((a for a in self.items if a.id == assignment_id), None)

    async def complete(self, assignment_id: str, response: str) -> None:
        self.problem = None
        try:
            await self.assignments.complete_assignment(assignment_id, response.strip())
        except ServiceError as exc:
            self.problem = exc.code
        await self.load()
