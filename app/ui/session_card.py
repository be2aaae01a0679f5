"""One session as a card: kind icon and colour, time, place, and an unmistakable cancelled/moved state."""

from __future__ import annotations

from typing import Any

import flet as ft

from app.domain.model import Rsvp, ScheduleItem, SessionStatus
from app.i18n import Translator
from app.ui.context import go, use_tr
from app.ui.labels import kind_label, rsvp_label, session_title
from app.ui.layout import tagged
from app.ui.theme import CHANGED, LATE, kind_colour, kind_icon


def time_range(tr: Translator, item: ScheduleItem) -> str:
    return tr.time_range(item.starts_at, item.ends_at)


def where(tr: Translator, item: ScheduleItem) -> str | None:
    if item.location:
        return item.location
    if item.video_url:
        return tr.gettext("Video call")
    return None


def _chip(text: str, colour: str, icon: ft.IconData) -> ft.Control:
    return ft.Container(
        padding=ft.Padding.symmetric(horizontal=8, vertical=3),
        border_radius=12,
        border=ft.Border.all(1.5, colour),
        content=ft.Row(
            tight=True,
            spacing=4,
            controls=[
                ft.Icon(icon, size=14, color=colour),
                # Flexible, so that at large text sizes the chip wraps instead of running off the card.
                ft.Text(
                    text, size=12, color=colour, weight=ft.FontWeight.W_600, expand=True, expand_loose=True
                ),
            ],
        ),
    )


def status_chips(tr: Translator, item: ScheduleItem, rsvp: Rsvp | None) -> list[ft.Control]:
    chips: list[ft.Control] = []
    if item.status is SessionStatus.CANCELLED:
        chips.append(_chip(tr.gettext("Cancelled"), LATE, ft.Icons.EVENT_BUSY))
    elif item.status is SessionStatus.MOVED:
        text = tr.gettext("Moved")
        if item.moved_from is not None:
            text = tr.gettext("Moved from {day} {time}").format(
                day=tr.weekday(item.moved_from, "abbreviated"), time=tr.time(item.moved_from)
            )
        chips.append(_chip(text, CHANGED, ft.Icons.UPDATE))
    if rsvp is not None:
        label = rsvp_label(tr, rsvp.response)
        if rsvp.pending:
            label = tr.gettext("{answer} (not sent yet)").format(answer=label)
        chips.append(_chip(label, ft.Colors.PRIMARY, ft.Icons.CHECK_CIRCLE_OUTLINE))
    return chips


@ft.component
def SessionCard(item: ScheduleItem, rsvp: Rsvp | None = None, compact: bool = False) -> Any:
    tr = use_tr()
    cancelled = item.status is SessionStatus.CANCELLED
    colour = kind_colour(item.kind)
    title = session_title(tr, item.title, item.kind)
    details = [time_range(tr, item)]
    place = where(tr, item)
    if place:
        details.append(place)
    if item.staff_name and not compact:
        details.append(tr.gettext("with {name}").format(name=item.staff_name))

    async def open_sheet(_e: ft.Event[Any]) -> None:
        go(f"/week/session/{item.id}")

    content = ft.Row(
        spacing=12,
        vertical_alignment=ft.CrossAxisAlignment.START,
        controls=[
            ft.Container(
                width=44,
                height=44,
                border_radius=22,
                bgcolor=ft.Colors.with_opacity(0.15, colour),
                alignment=ft.Alignment.CENTER,
                content=ft.Icon(
                    kind_icon(item.kind), color=colour, semantics_label=kind_label(tr, item.kind)
                ),
            ),
            ft.Column(
                expand=True,
                spacing=2,
                controls=[
                    ft.Text(
                        title,
                        size=16,
                        weight=ft.FontWeight.W_600,
                        color=ft.Colors.ON_SURFACE_VARIANT if cancelled else None,
                        style=ft.TextStyle(decoration=ft.TextDecoration.LINE_THROUGH) if cancelled else None,
                    ),
                    ft.Text(" · ".join(details), size=14, color=ft.Colors.ON_SURFACE_VARIANT),
                    *(
                        [ft.Row(wrap=True, spacing=6, run_spacing=4, controls=chips)]
                        if (chips := status_chips(tr, item, rsvp))
                        else []
                    ),
                ],
            ),
        ],
    )
    return tagged(
        f"session-{item.id}",
        ft.Container(
            padding=12,
            border_radius=12,
            border=ft.Border.only(left=ft.BorderSide(5, LATE if cancelled else colour)),
            bgcolor=ft.Colors.SURFACE_CONTAINER_LOW,
            on_click=open_sheet,
            ink=True,
            content=content,
        ),
        button=True,
    )
