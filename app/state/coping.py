"""Coping plan editor state: a draft of the six steps and reasons, saved offline."""

from __future__ import annotations

from dataclasses import dataclass, field, fields

import flet as ft

from app.domain.model import COPING_STEPS, CopingPlan
from app.services.ports import CopingPlans, ServiceError

SECTIONS: tuple[str, ...] = (*COPING_STEPS, "reasons")
ENTRY_LIMIT = 500  # characters of one entry (the clinic refuses a longer one): said, never cut


def plan_lists(plan: CopingPlan) -> dict[str, list[str]]:
    return {f.name: list(getattr(plan, f.name)) for f in fields(plan) if f.name in SECTIONS}


@ft.observable
@dataclass
class CopingState:
    plans: CopingPlans
    draft: dict[str, list[str]] = field(default_factory=dict)
    loaded: bool = False
    saved: bool = False
    pending: bool = False
    typing: dict[str, str] = field(default_factory=dict)  # an "Add" box's text not added yet, by section

    async def load(self) -> None:
        try:
            plan = await self.plans.coping_plan()
        except ServiceError:
            return
        self.draft = plan_lists(plan)
        self.pending = plan.pending
        self.loaded = True

    def add(self, section: str, text: str) -> bool:
        if not text.strip() or section not in SECTIONS or len(text.strip()) > ENTRY_LIMIT:
            return False
        self.draft = {**self.draft, section: [*self.draft.get(section, []), text.strip()]}
        self.typing.pop(section, None)
        self.saved = False
        return True

    def type(self, section: str, text: str) -> None:
        """What an "Add" box holds right now (kept when the editor closes before + was pressed)."""
        if text:
            self.typing[section] = text
        else:
            self.typing.pop(section, None)

    async def keep_typed(self) -> bool:
        """The editor is closing: add what was typed without pressing +, and save. The screen
        promises every change is kept; text too long for one entry stays in its box for later."""
        added = [section for section, text in list(self.typing.items()) if self.add(section, text)]
        if added:
            await self.save()
        return bool(added)

    def remove(self, section: str, index: int) -> None:
        items = list(self.draft.get(section, []))
        if 0 <= index < len(items):
            del items[index]
            self.draft = {**self.draft, section: items}
            self.saved = False

    async def save(self) -> None:
        lists = {name: tuple(self.draft.get(name, [])) for name in SECTIONS}
        plan = CopingPlan(
            warning_signs=lists["warning_signs"],
            on_my_own=lists["on_my_own"],
            distractions=lists["distractions"],
            people_to_ask=lists["people_to_ask"],
            professionals=lists["professionals"],
            safe_surroundings=lists["safe_surroundings"],
            reasons=lists["reasons"],
        )
        await self.plans.save_coping_plan(plan)
        self.saved = True
        self.pending = True
