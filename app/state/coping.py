"""Coping plan editor state: a draft of the six steps and reasons, saved offline."""

from __future__ import annotations

from dataclasses import dataclass, field, fields

import flet as ft

from app.domain.model import COPING_STEPS, CopingPlan
from app.services.ports import CopingPlans, ServiceError

SECTIONS: tuple[str, ...] = (*COPING_STEPS, "reasons")


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

    async def load(self) -> None:
        try:
            plan = await self.plans.coping_plan()
        except ServiceError:
            return
        self.draft = plan_lists(plan)
        self.pending = plan.pending
        self.loaded = True

    def add(self, section: str, text: str) -> bool:
        if not text.strip() or section not in SECTIONS:
            return False
        self.draft = {**self.draft, section: [*self.draft.get(section, []), text.strip()]}
        self.saved = False
        return True

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
