"""The in-app reminder banner: a session soon, today's check-in, an assignment due tomorrow; dismissible."""

from __future__ import annotations

import asyncio
from typing import Any, cast

import flet as ft

from app.domain.reminders import ReminderKind
from app.state.reminders import REFRESH_SECONDS
from app.state.screens import Screens
from app.ui.context import ScreensContext, go, use_app, use_narrow, use_tr
from app.ui.layout import icon_button, tagged
from app.ui.reminder_text import reminder_text

WIDE_WIDTH = 728  # the shell's content width (760, app/ui/shell.py) less the screens' 16 px sides

_ICONS = {
    ReminderKind.SESSION: ft.Icons.ALARM,
    ReminderKind.CHECKIN: ft.Icons.CHECKLIST,
    ReminderKind.ASSIGNMENT: ft.Icons.ASSIGNMENT_OUTLINED,
}


@ft.component
def ReminderBanner() -> Any:
    tr = use_tr()
    app = use_app()
    state = cast(Screens, ft.use_context(ScreensContext)).reminders
    ft.use_state(state)  # observables in state hooks: re-render when the reminders change, and when
    ft.use_state(app)  # the app's settings do (discreet mode turned on reads neutral at once)

    async def follow() -> None:
        while True:
            await state.refresh()
            await asyncio.sleep(REFRESH_SECONDS)

    task: Any = ft.use_ref(None)

    def start() -> None:
        task.current = asyncio.get_running_loop().create_task(follow())

    def stop() -> None:
        if task.current is not None:
            task.current.cancel()
            task.current = None

    ft.use_effect(start, dependencies=[], cleanup=stop)
    ft.use_effect(state.refresh, dependencies=[app.revision, app.prefs])  # new data or new settings
    # Never on the support screen: nothing competes with the call buttons there. It is a route, or
    # a layer over the current screen (`support_view`, when the app has one).
    location = ft.use_route_location() or "/"
    support: Any = getattr(app, "support_view", None)
    ft.use_state(support)  # an observable in a state hook: re-render when the layer shows or hides
    on_support = location.startswith("/support") or bool(getattr(support, "open", False))
    shown = state.shown
    if shown is None or state.now is None or on_support:
        return ft.Container(visible=False)
    text = reminder_text(tr, shown, state.now, discreet=app.prefs.discreet)

    async def dismiss(_e: Any) -> None:
        app.touch()
        state.dismiss(shown.key)

    async def open_it(_e: Any) -> None:
        if shown.kind is ReminderKind.SESSION and shown.session is not None:
            go(f"/week/session/{shown.session.id}")
        elif shown.kind is ReminderKind.CHECKIN:
            go("/checkin")
        elif shown.assignment is not None:
            go(f"/assignments/{shown.assignment.id}")

    narrow = use_narrow()
    banner = tagged(
        "reminder-banner",
        ft.Container(
            width=None if narrow else WIDE_WIDTH,
            margin=ft.Margin.only(left=16, right=16, bottom=8),
            padding=ft.Padding.only(left=16, right=4, top=6, bottom=6),
            border_radius=12,
            bgcolor=ft.Colors.SECONDARY_CONTAINER,
            content=ft.Row(
                vertical_alignment=ft.CrossAxisAlignment.CENTER,
                controls=[
                    ft.Icon(_ICONS[shown.kind], color=ft.Colors.ON_SECONDARY_CONTAINER),
                    ft.Text(text, size=15, expand=True, color=ft.Colors.ON_SECONDARY_CONTAINER),
                    tagged("reminder-open", ft.TextButton(content=tr.gettext("Open"), on_click=open_it)),
                    tagged(
                        "reminder-dismiss",
                        icon_button(ft.Icons.CLOSE, tr.gettext("Dismiss reminder"), dismiss),
                    ),
                ],
            ),
        ),
        live_region=True,
    )
    # On a wide window, as wide as the screen's content under it (the shell's column), centred.
    return banner if narrow else ft.Row([banner], alignment=ft.MainAxisAlignment.CENTER)
