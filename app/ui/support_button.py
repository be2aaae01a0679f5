"""The support button: one tap to help, on every patient screen (semantics id `support-button`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import flet as ft

from app.ui.context import use_app, use_tr
from app.ui.layout import tagged
from app.ui.support_layer import open_support as show_support
from app.ui.theme import SUPPORT_BG, SUPPORT_FG


@ft.component
def SupportButton(on_open: Callable[[], None] | None = None, identifier: str = "support-button") -> Any:
    """`identifier`: a family member's button (`family-help-button`) opens only the crisis lines."""
    tr = use_tr()
    app = use_app()
    location = ft.use_route_location()  # "" outside the patient's router (sign-in, lock screen)

    async def open_support(_e: ft.Event[Any]) -> None:
        if on_open is not None:
            app.touch()
            on_open()
        else:
            show_support(app, location or "")

    return tagged(
        identifier,
        ft.FilledButton(
            content=tr.gettext("Get help now"),
            icon=ft.Icons.SUPPORT_OUTLINED,
            # No tooltip: the label says it all, and a shown tooltip leaves Flutter's web engine with
            # a dangling aria-owns on the button (even with the tooltip excluded from semantics).
            style=ft.ButtonStyle(
                bgcolor=SUPPORT_BG,
                color=SUPPORT_FG,
                icon_color=SUPPORT_FG,
                padding=ft.Padding.symmetric(horizontal=18, vertical=14),
                text_style=ft.TextStyle(size=16, weight=ft.FontWeight.W_600),
            ),
            on_click=open_support,
        ),
    )
