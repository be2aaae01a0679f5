"""Week: seven days with previous / this / next week, sessions grouped by day."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import flet as ft

from app.state.week import local_today
from app.ui.context import use_app, use_screens, use_tr
from app.ui.layout import icon_button, muted, screen, tagged
from app.ui.session_card import SessionCard
from app.ui.sync_line import SyncLine


@ft.component
def WeekSwitcher() -> Any:
    tr = use_tr()
    app = use_app()
    state = use_screens().week
    first, last = state.start, state.start + timedelta(days=6)
    label = tr.date_range(first, last)

    async def previous(_e: ft.Event[Any]) -> None:
        app.touch()
        await state.previous()

    async def following(_e: ft.Event[Any]) -> None:
        app.touch()
        await state.next()

    async def this_week(_e: ft.Event[Any]) -> None:
        app.touch()
        await state.this_week()

    return ft.Column(
        spacing=4,
        controls=[
            ft.Row(
                alignment=ft.MainAxisAlignment.SPACE_BETWEEN,
                controls=[
                    tagged(
                        "week-prev",
                        icon_button(
                            ft.Icons.CHEVRON_LEFT, tr.gettext("Previous week"), previous, icon_size=28
                        ),
                    ),
                    ft.Text(
                        label,
                        size=16,
                        weight=ft.FontWeight.W_600,
                        text_align=ft.TextAlign.CENTER,
                        expand=True,
                    ),
                    tagged(
                        "week-next",
                        icon_button(ft.Icons.CHEVRON_RIGHT, tr.gettext("Next week"), following, icon_size=28),
                    ),
                ],
            ),
            ft.Row(
                alignment=ft.MainAxisAlignment.CENTER,
                controls=[]
                if state.is_this_week
                else [
                    tagged(
                        "week-this",
                        ft.OutlinedButton(
                            content=tr.gettext("Back to this week"), icon=ft.Icons.TODAY, on_click=this_week
                        ),
                    )
                ],
            ),
        ],
    )


@ft.component
def WeekScreen() -> Any:
    tr = use_tr()
    app = use_app()
    state = use_screens().week
    ft.use_effect(state.load, dependencies=[app.revision, app.timezone])
    today = local_today(app.clock, app.timezone)
    rsvps = state.overview.rsvps if state.overview else {}
    days: list[ft.Control] = []
    for day in state.days:
        sessions = state.sessions_on(day)
        heading = tr.day_heading(day)
        if day == today:
            heading = tr.gettext("{day} (today)").format(day=heading)
        days.append(
            ft.Column(
                spacing=6,
                controls=[
                    ft.Text(
                        heading,
                        size=17,
                        weight=ft.FontWeight.W_700 if day == today else ft.FontWeight.W_600,
                        color=ft.Colors.PRIMARY if day == today else None,
                    ),
                    *(
                        [SessionCard(s, rsvps.get(s.id)) for s in sessions]
                        or [muted(tr.gettext("Nothing scheduled"))]
                    ),
                ],
            )
        )
    return screen(tr.gettext("My week"), [WeekSwitcher(), SyncLine(), *days])
