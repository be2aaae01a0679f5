"""`Get help now` for a family member (`family-help`): the crisis lines, never the patient's alert.

A family member in crisis for the person they support needs 911, 988 and SAMHSA as fast as the
patient does; the care team's alert is the patient's own and is not offered here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import flet as ft

from app.ui.context import go, use_app, use_tr
from app.ui.crisis_buttons import DangerBanner, crisis_links
from app.ui.layout import muted, section, tagged


@ft.component
def FamilyHelpScreen(on_close: Callable[[], None] | None = None) -> Any:
    tr = use_tr()
    app = use_app()

    async def close(_e: ft.Event[Any]) -> None:
        if on_close is not None:
            on_close()
        else:
            go(app.support_return)  # back to the screen it was opened on

    header = ft.Column(
        horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
        controls=[
            ft.Row(
                wrap=True,
                alignment=ft.MainAxisAlignment.SPACE_BETWEEN,
                vertical_alignment=ft.CrossAxisAlignment.CENTER,
                controls=[
                    ft.Text(tr.gettext("You are not alone"), size=26, weight=ft.FontWeight.W_700),
                    tagged(
                        "family-help-close",
                        ft.TextButton(content=tr.gettext("Close"), icon=ft.Icons.CLOSE, on_click=close),
                    ),
                ],
            )
        ],
    )
    return tagged(
        "family-help",
        ft.ListView(
            expand=True,
            padding=ft.Padding.only(left=16, right=16, top=4, bottom=24),
            spacing=16,
            controls=[
                DangerBanner(None),  # first: on a small or zoomed screen it is all that fits
                header,
                muted(
                    tr.gettext(
                        "For you, or for the person you support: these lines answer family members too."
                    )
                ),
                section(
                    tr.gettext("Talk to someone now"),
                    [ft.Column(spacing=10, controls=crisis_links(tr, None, None))],
                ),
            ],
        ),
        container=True,
        expand=True,
    )
