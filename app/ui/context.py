"""Contexts that hand the session's Translator and AppState to every component."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

import flet as ft

from app.i18n import Translator
from app.state.screens import Screens
from app.state.session import AppState
from flet_guard.form import Handler as Handler  # an async event handler (Flet awaits it)

T = TypeVar("T")

TranslatorContext: Any = ft.create_context(Translator())
AppContext: Any = ft.create_context(None)
WidthContext: Any = ft.create_context(1280.0)

NARROW = 600  # below this width: navigation bar at the bottom; above: a rail


def use_tr() -> Translator:
    return cast(Translator, ft.use_context(TranslatorContext))


def use_app() -> AppState:
    return cast(AppState, ft.use_context(AppContext))


def use_narrow() -> bool:
    return float(ft.use_context(WidthContext)) < NARROW


def go(route: str) -> None:
    """Navigate within the session: the new screen is rendered at once, the browser's URL follows.

    `page.navigate` alone asks the browser to push the route and renders only when the browser
    reports the route change back: two round trips before the support screen could show. Here the
    Router (the page's route-change listener) is told first, so the new screen goes out in the reply
    to the tap; the browser's echo of the same route then changes nothing (Flet drops a repeated route).
    """
    page = ft.context.page
    listener: Any = page.on_route_change  # the Router's (it takes the event)
    if listener is not None:
        listener(ft.RouteChangeEvent(name="route_change", control=page, route=route))
    page.navigate(route)


ScreensContext: Any = ft.create_context(None)


def use_screens() -> Screens:
    """The session's screen states; the calling component re-renders when any of them changes."""
    screens = cast(Screens, ft.use_context(ScreensContext))
    for state in (screens.today, screens.week, screens.assignments, screens.coping, screens.checkins):
        ft.use_state(state)  # a state hook holding an observable subscribes the component to it
    return screens


def nav_to(route: str) -> Handler:
    """An async click handler that navigates to `route`."""

    async def handler(_e: Any) -> None:
        go(route)

    return handler


def use_once(factory: Callable[[], T]) -> T:
    """A value built on the component's first render and kept for its lifetime."""
    state: Any = ft.use_state(factory)
    return cast(T, state[0])
