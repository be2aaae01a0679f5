"""One shared week, read-only: exactly what the share allows, under a redisclosure notice that stays put."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import flet as ft

from app.domain.model import ScheduleItem, SessionStatus
from app.i18n import Translator
from app.ui.context import go, use_app, use_tr
from app.ui.family_context import use_family
from app.ui.family_home import AccessEnded
from app.ui.family_notice import Notice
from app.ui.labels import kind_label, session_title
from app.ui.layout import back_button, card, icon_button, muted, screen, tagged
from app.ui.sharing_text import scope_label
from app.ui.theme import kind_colour, kind_icon


def shared_card(tr: Translator, item: ScheduleItem) -> ft.Control:
    """No tap, no RSVP, no notes: a family member only sees when (and, if shared, what and where)."""
    details = [tr.time_range(item.starts_at, item.ends_at)]
    if item.location:
        details.append(item.location)
    cancelled = item.status is SessionStatus.CANCELLED
    if cancelled:
        details.append(tr.gettext("Cancelled"))
    elif item.status is SessionStatus.MOVED:
        details.append(tr.gettext("Moved"))
    colour = kind_colour(item.kind)
    return tagged(
        f"shared-session-{item.id}",
        ft.Container(
            padding=12,
            border_radius=12,
            opacity=0.7 if cancelled else 1.0,
            bgcolor=ft.Colors.SURFACE_CONTAINER_LOW,
            border=ft.Border.only(left=ft.BorderSide(5, colour)),
            content=ft.Row(
                spacing=12,
                controls=[
                    ft.Icon(kind_icon(item.kind), color=colour, semantics_label=kind_label(tr, item.kind)),
                    ft.Column(
                        expand=True,
                        spacing=2,
                        controls=[
                            ft.Text(
                                session_title(tr, item.title, item.kind), size=16, weight=ft.FontWeight.W_600
                            ),
                            ft.Text(" · ".join(details), size=14, color=ft.Colors.ON_SURFACE_VARIANT),
                        ],
                    ),
                ],
            ),
        ),
        container=True,
    )


@ft.component
def FamilyWeek() -> Any:
    app = use_app()
    state = use_family()
    share_id = ft.use_route_params().get("share_id", "")

    async def reload() -> None:
        await state.load()
        await state.load_week(share_id)

    ft.use_effect(reload, dependencies=[share_id, app.revision, state.week_start])
    tr = use_tr().with_timezone(state.zone(share_id))  # the clinic's times, wherever this device is
    patient = state.patient(share_id)
    if patient is None:
        ended = state.has_ended(share_id) or bool(state.ended)
        gone = [AccessEnded()] if ended else [muted(tr.gettext("This schedule is not shared with you."))]
        return screen(
            tr.gettext("Shared schedule"), [back_button(tr.gettext("Back"), "/"), *gone], "family-week"
        )

    def move(weeks: int | None) -> Any:
        async def handler(_e: Any) -> None:
            app.touch()
            await state.move_week(share_id, weeks)

        return handler

    start = state.start(share_id)
    days: list[ft.Control] = []
    for offset in range(7):
        day = start + timedelta(days=offset)
        items = [i for i in state.week if tr.local(i.starts_at).date() == day]
        if not items:
            continue
        days.append(
            ft.Column(
                spacing=6,
                controls=[
                    ft.Text(tr.day_heading(day), size=16, weight=ft.FontWeight.W_600),
                    *(shared_card(tr, i) for i in items),
                ],
            )
        )
    switcher = ft.Row(
        alignment=ft.MainAxisAlignment.SPACE_BETWEEN,
        controls=[
            tagged(
                "family-week-prev", icon_button(ft.Icons.CHEVRON_LEFT, tr.gettext("Previous week"), move(-1))
            ),
            ft.TextButton(content=tr.date_range(start, start + timedelta(days=6)), on_click=move(None)),
            tagged("family-week-next", icon_button(ft.Icons.CHEVRON_RIGHT, tr.gettext("Next week"), move(1))),
        ],
    )
    about = card(
        ft.Column(
            spacing=2,
            controls=[
                ft.Text(scope_label(tr, patient.scope), size=15, weight=ft.FontWeight.W_600),
                muted(tr.gettext("For: {purpose}").format(purpose=patient.purpose)),
                muted(tr.gettext("Shared until {date}").format(date=tr.date(patient.expires_at, "long"))),
            ],
        )
    )

    async def back(_e: Any) -> None:
        go("/")

    body = screen(
        patient.patient_display_name,
        [
            ft.Row(
                [
                    ft.TextButton(
                        content=tr.gettext("Everyone who shares with me"),
                        icon=ft.Icons.ARROW_BACK,
                        on_click=back,
                    )
                ]
            ),
            about,
            switcher,
            *(days or [muted(tr.gettext("Nothing shared this week."))]),
        ],
        "family-week",
    )
    return ft.Column(expand=True, spacing=0, controls=[Notice(patient), body])
