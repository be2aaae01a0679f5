"""Text-field drafts read at submit time (never a stale render's copy) and cleared by re-keying."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import flet as ft

from app.ui.context import Handler, use_once


class Form:
    """The latest text of each field. A click handler created in an earlier render would otherwise
    see the value from that render: typing then tapping at once must not lose what was typed."""

    def __init__(self, initial: dict[str, str]) -> None:
        self.values = dict(initial)
        self.generation = 0
        self._rerender: Callable[[int], None] | None = None

    def __getitem__(self, name: str) -> str:
        return self.values.get(name, "")

    def on_change(self, name: str, then: Callable[[], None] | None = None) -> Handler:
        async def handler(e: Any) -> None:
            self.values[name] = str(e.control.value or "")
            if then is not None:
                then()

        return handler

    def key(self, name: str) -> str:
        return f"{name}-{self.generation}"

    def clear(self, *names: str) -> None:
        """Empty these fields: new keys make Flutter build fresh, empty text fields."""
        for name in names:
            self.values[name] = ""
        self.generation += 1
        if self._rerender is not None:
            self._rerender(self.generation)


def use_form(**initial: str) -> Form:
    form = use_once(lambda: Form(initial))
    _generation, set_generation = ft.use_state(0)
    form._rerender = set_generation
    return form
