"""Today's check-in card (`checkin-card`): until the day's check-in is done, then "Done today · edit".

In discreet mode the card has no title: someone glancing at the screen sees no health word.
"""

from __future__ import annotations

from typing import Any

import flet as ft

from app.domain.checkins import Cadence, text_in
from app.ui.checkin import weekly_link
from app.ui.context import nav_to, use_app, use_screens, use_tr
from app.ui.layout import card, muted, tagged


@ft.component
def CheckInCard() -> Any:
    tr = use_tr()
    app = use_app()
    state = use_screens().checkins
    ft.use_effect(state.load, dependencies=[app.revision])
    daily = state.daily
    if daily is None:
        return ft.Container()
    due = state.due()
    weekly = [q for q in due if q.cadence is Cadence.WEEKLY]
    lines: list[ft.Control] = []
    if daily in due:
        if not app.prefs.discreet:
            lines.append(ft.Text(text_in(daily.title, tr.code), size=20, weight=ft.FontWeight.W_700))
            lines.append(muted(tr.gettext("Less than 30 seconds: how are you today?")))
        lines.append(
            ft.Row(
                [
                    tagged(
                        "checkin-start",
                        ft.FilledButton(
                            content=tr.gettext("Check in"),
                            icon=ft.Icons.EDIT_NOTE,
                            on_click=nav_to("/checkin"),
                            style=ft.ButtonStyle(padding=ft.Padding.symmetric(horizontal=20, vertical=14)),
                        ),
                    )
                ]
            )
        )
    else:
        lines.append(
            ft.Row(
                wrap=True,
                spacing=8,
                controls=[
                    ft.Icon(ft.Icons.CHECK_CIRCLE_OUTLINE, color=ft.Colors.PRIMARY),
                    ft.Text(tr.gettext("Done today"), size=16, weight=ft.FontWeight.W_600),
                    tagged(
                        "checkin-edit", ft.TextButton(content=tr.gettext("Edit"), on_click=nav_to("/checkin"))
                    ),
                ],
            )
        )
    if weekly:
        lines.append(weekly_link(tr, weekly))
    colour = ft.Colors.SECONDARY_CONTAINER if daily in due else None
    return tagged("checkin-card", card(ft.Column(spacing=8, controls=lines), colour), container=True)
