"""Program progress as a picture: a ring for the program week and a segmented bar of sessions attended."""

from __future__ import annotations

from typing import Any

import flet as ft

from app.state.today import Progress
from app.ui.context import use_tr

MAX_SEGMENTS = 36


@ft.component
def ProgressPicture(progress: Progress) -> Any:
    tr = use_tr()
    week_label = tr.gettext("Week {n} of {m}").format(n=tr.number(progress.week), m=tr.number(progress.weeks))
    attended_label = tr.ngettext(
        "{n} of {m} session attended", "{n} of {m} sessions attended", progress.held
    ).format(n=tr.number(progress.attended), m=tr.number(progress.held))
    if not progress.recorded:
        attended_label = tr.ngettext("{n} session so far", "{n} sessions so far", progress.held).format(
            n=tr.number(progress.held)
        )
    ring = ft.Stack(
        width=76,
        height=76,
        controls=[
            ft.ProgressRing(
                value=progress.week / max(progress.weeks, 1),
                width=76,
                height=76,
                stroke_width=9,
                color=ft.Colors.PRIMARY,
                bgcolor=ft.Colors.SURFACE_CONTAINER_HIGHEST,
            ),
            ft.Container(
                width=76,
                height=76,
                alignment=ft.Alignment.CENTER,
                content=ft.Text(
                    tr.gettext("{n}/{m}").format(n=tr.number(progress.week), m=tr.number(progress.weeks)),
                    size=16,
                    weight=ft.FontWeight.W_700,
                ),
            ),
        ],
    )
    shown = min(progress.held, MAX_SEGMENTS)
    scale = progress.held / shown if shown else 1
    segments: list[ft.Control] = [
        ft.Container(
            expand=True,
            height=12,
            border_radius=3,
            bgcolor=ft.Colors.TERTIARY
            if i * scale < (progress.attended if progress.recorded else progress.held)
            else ft.Colors.SURFACE_CONTAINER_HIGHEST,
        )
        for i in range(shown)
    ]
    # One phrase for a screen reader: the label alone. The picture's own parts (the ring's value as a
    # percentage, its "5/12", the two texts) would otherwise be read after it, run together.
    return ft.Semantics(
        identifier="program-progress",
        label=f"{week_label}. {attended_label}.",
        container=True,
        exclude_semantics=True,
        content=ft.Row(
            spacing=16,
            controls=[
                ring,
                ft.Column(
                    expand=True,
                    spacing=8,
                    controls=[
                        ft.Text(week_label, size=16, weight=ft.FontWeight.W_600),
                        ft.Row(spacing=3, controls=segments) if segments else ft.Container(),
                        ft.Text(attended_label, size=13, color=ft.Colors.ON_SURFACE_VARIANT),
                    ],
                ),
            ],
        ),
    )
