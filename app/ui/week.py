"""Week: seven days with previous / this / next week, sessions grouped by day."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import flet as ft

from app.state.week import local_today
from app.ui.context import use_app, use_screens, use_tr
from app.ui.first_paint import use_after_first_frame
from app.ui.layout import icon_button, muted, screen, tagged
from app.ui.session_card import SessionCard
from app.ui.sync_line import SyncLine

# A session's first frame holds the days up to this many cards, and the rest of the week follows
# it: about what a phone or a laptop shows under the title (five to seven cards), today's sessions
# first. Each card left out is less for the browser to build, collect and draw before the first
# paint: eight cards instead of five painted 30-70 ms later (docs/PERFORMANCE.md).
FIRST_FRAME_CARDS = 5


def first_screen_days(cards: Sequence[int], budget: int = FIRST_FRAME_CARDS) -> int:
    """How many days fill the first screen, day `i` holding `cards[i]` sessions (an empty day shows
    one line): whole days, up to and including the one that reaches `budget` cards."""
    shown = 0
    for count, sessions in enumerate(cards, start=1):
        shown += max(1, sessions)
        if shown >= budget:
            return count
    return len(cards)


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
    whole_week = use_after_first_frame()  # in the session's first frame: what fills the screen
    today = local_today(app.clock, app.timezone)
    rsvps = state.overview.rsvps if state.overview else {}
    by_day = [(day, state.sessions_on(day)) for day in state.days]
    if not whole_week:
        by_day = by_day[: first_screen_days([len(sessions) for _, sessions in by_day])]
    days: list[ft.Control] = []
    for day, sessions in by_day:
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
