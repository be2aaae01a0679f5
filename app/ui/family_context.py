"""The family member's view state, handed to the family screens through a context."""

from __future__ import annotations

from typing import Any, cast

import flet as ft

from app.state.family import FamilyState

FamilyContext: Any = ft.create_context(None)


def use_family() -> FamilyState:
    """The session's FamilyState; the calling component re-renders when it changes."""
    state = cast(FamilyState, ft.use_context(FamilyContext))
    ft.use_state(state)  # a state hook holding an observable subscribes the component to it
    return state
