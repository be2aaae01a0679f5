"""The 42 CFR Part 2 redisclosure notice every family view shows, pinned above the content."""

from __future__ import annotations

from typing import Any

import flet as ft

from app.domain.model import SharedPatient
from app.ui.context import use_tr
from app.ui.layout import tagged


@ft.component
def Notice(patient: SharedPatient) -> Any:
    """The 42 CFR Part 2 redisclosure notice, pinned above the week; tap to read it whole."""
    tr = use_tr()
    full, set_full = ft.use_state(False)

    async def toggle(_e: Any) -> None:
        set_full(not full)

    return tagged(
        "redisclosure-notice",
        ft.Container(
            padding=ft.Padding.symmetric(horizontal=16, vertical=10),
            bgcolor=ft.Colors.TERTIARY_CONTAINER,
            on_click=toggle,
            content=ft.Column(
                spacing=4,
                controls=[
                    ft.Row(
                        [
                            ft.Icon(ft.Icons.GAVEL, size=18, color=ft.Colors.ON_TERTIARY_CONTAINER),
                            ft.Text(
                                tr.gettext("Confidential — protected by federal law"),
                                size=14,
                                weight=ft.FontWeight.W_600,
                                color=ft.Colors.ON_TERTIARY_CONTAINER,
                                expand=True,
                            ),
                            ft.Text(
                                tr.gettext("Show less") if full else tr.gettext("Read all"),
                                size=13,
                                color=ft.Colors.ON_TERTIARY_CONTAINER,
                            ),
                        ]
                    ),
                    ft.Text(
                        patient.notice,
                        size=12,
                        color=ft.Colors.ON_TERTIARY_CONTAINER,
                        max_lines=None if full else 2,
                        overflow=ft.TextOverflow.ELLIPSIS,
                    ),
                ],
            ),
        ),
        container=True,
    )
