"""Contexts and small layout helpers shared by the console's screens."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

import flet as ft

from console.i18n import Translator
from console.state import ConsoleSession

T = TypeVar("T")

TrContext: Any = ft.create_context(Translator())
SessionContext: Any = ft.create_context(None)

RED = "#B3261E"
RED_BG = "#FCE8E6"
AMBER = "#7A4F01"
AMBER_BG = "#FFF4D6"
GREEN = "#1E6B3A"


def use_tr() -> Translator:
    return cast(Translator, ft.use_context(TrContext))


def use_session() -> ConsoleSession:
    return cast(ConsoleSession, ft.use_context(SessionContext))


def use_value(initial: Any) -> tuple[Any, Callable[[Any], None]]:
    """`ft.use_state` for a value whose type the hook cannot infer (None first, a value later)."""
    return cast(tuple[Any, Callable[[Any], None]], ft.use_state(initial))


def keyed(component: Any, *args: Any, key: str) -> Any:
    """A component call with a `key` (ft.component takes it; its type does not say so)."""
    return component(*args, key=key)


def use_once(factory: Callable[[], T]) -> T:
    state: Any = ft.use_state(factory)
    return cast(T, state[0])


def tagged(
    identifier: str,
    control: ft.Control,
    label: str | None = None,
    *,
    container: bool = False,
    live_region: bool | None = None,
    button: bool | None = None,
    selected: bool | None = None,
    expand: bool | int | None = None,
) -> ft.Control:
    """`control` findable by `identifier` (e2e locator and automation id), keyed by it too."""
    return ft.Semantics(
        key=identifier,
        identifier=identifier,
        label=label,
        container=container,
        live_region=live_region,
        button=button,
        selected=selected,
        expand=expand,
        content=control,
    )


def heading(text: str, size: int = 24) -> ft.Control:
    return ft.Semantics(header=True, content=ft.Text(text, size=size, weight=ft.FontWeight.W_700))


def muted(text: str, size: int = 14) -> ft.Text:
    return ft.Text(text, size=size, color=ft.Colors.ON_SURFACE_VARIANT)


def problem_banner(identifier: str, message: str) -> ft.Control:
    return tagged(
        identifier,
        ft.Container(
            padding=12,
            border_radius=8,
            bgcolor=RED_BG,
            content=ft.Text(message, color=RED),
        ),
        live_region=True,
    )


def card(content: ft.Control, bgcolor: str | None = None, border: str | None = None) -> ft.Container:
    return ft.Container(
        padding=16,
        border_radius=12,
        bgcolor=bgcolor or ft.Colors.SURFACE_CONTAINER,
        border=ft.Border.all(2, border) if border else None,
        content=content,
    )


def problem_text(tr: Translator, exc: Exception) -> str:
    """What went wrong, for the person at the console (never the server's own words or a token)."""
    from console.api import OfflineError, ProblemError, SessionEndedError

    if isinstance(exc, OfflineError):
        return tr.gettext("The clinic server did not answer. Check the connection and try again.")
    if isinstance(exc, ProblemError) and exc.code == "auth.invalid_credentials":
        return tr.gettext("That username and password did not match.")
    if isinstance(exc, SessionEndedError):
        return tr.gettext("Your session has ended. Please sign in again.")
    if isinstance(exc, ProblemError):
        if exc.code == "console.not_staff":
            return tr.gettext("The console is for clinic staff. Patients use the Waypoint app.")
        if exc.status == 429:
            return tr.gettext("Too many attempts. Wait a minute and try again.")
        if exc.status == 403:
            return tr.gettext("Your account may not do this.")
        if exc.status == 404:
            return tr.gettext("This is no longer there. The list has been refreshed.")
        if exc.status in (400, 409, 422):
            return tr.gettext("The clinic refused this change. Check what you entered.")
    return tr.gettext("Something went wrong. Please try again.")


def icon_button(icon: ft.IconData, label: str, on_click: Any) -> ft.Control:
    """An icon-only button a screen reader can name (the label on the icon, which Flutter merges into
    the button; the mouse tooltip kept out of the semantics tree), as the patient app's."""
    return ft.IconButton(
        icon=ft.Icon(icon, semantics_label=label),
        tooltip=ft.Tooltip(message=label, exclude_from_semantics=True),
        on_click=on_click,
    )
