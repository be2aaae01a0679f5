"""The layout around every patient screen: header with the support button, bar or rail navigation."""

from __future__ import annotations

from typing import Any

import flet as ft

from app.ui.context import go, use_app, use_narrow, use_tr
from app.ui.nav import DESTINATIONS, NavBar, rail_destinations, selected_index
from app.ui.reminder_banner import ReminderBanner
from app.ui.support_button import SupportButton
from app.ui.support_layer import SupportLayer
from app.ui.today import TodayScreen

CONTENT_MAX_WIDTH = 760


@ft.component
def Header() -> Any:
    tr = use_tr()
    app = use_app()
    name = app.account.display_name if app.account and not app.prefs.discreet else ""
    greeting = tr.gettext("Hi, {name}").format(name=name) if name else "Waypoint"
    return ft.Container(
        padding=ft.Padding.symmetric(horizontal=16, vertical=8),
        # Wrapping: with large text the support button moves under the greeting rather than
        # squeezing the name into an ellipsis.
        # (The column stretches the wrap to the full width, so the button still sits on the right.)
        content=ft.Column(
            horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
            controls=[
                ft.Row(
                    wrap=True,
                    run_spacing=4,
                    alignment=ft.MainAxisAlignment.SPACE_BETWEEN,
                    vertical_alignment=ft.CrossAxisAlignment.CENTER,
                    controls=[ft.Text(greeting, size=20, weight=ft.FontWeight.W_600), SupportButton()],
                )
            ],
        ),
    )


@ft.component
def Shell() -> Any:
    tr = use_tr()
    app = use_app()
    narrow = use_narrow()
    outlet = ft.use_route_outlet() or TodayScreen()
    location = ft.use_route_location() or "/"
    index = selected_index(location)

    async def navigate(e: ft.Event[Any]) -> None:
        use_index = int(e.control.selected_index)
        app.support_view.hide()  # a tab tapped under the support layer is where the patient goes
        go(DESTINATIONS[use_index].route)

    banner = [ReminderBanner()]  # in-app reminders; it hides itself on the support screen
    body = ft.Container(
        expand=True,
        alignment=ft.Alignment.TOP_CENTER,
        content=ft.Container(
            content=SupportLayer(outlet), width=None if narrow else CONTENT_MAX_WIDTH, expand=narrow
        ),
    )
    if narrow:
        return ft.SafeArea(
            expand=True,
            content=ft.Column(
                expand=True,
                spacing=0,
                controls=[
                    Header(),
                    *banner,
                    body,
                    NavBar(index, navigate),  # its labels only when they fit (large text, zoom)
                ],
            ),
        )
    return ft.SafeArea(
        expand=True,
        content=ft.Row(
            expand=True,
            spacing=0,
            vertical_alignment=ft.CrossAxisAlignment.STRETCH,
            controls=[
                ft.NavigationRail(
                    selected_index=index,
                    label_type=ft.NavigationRailLabelType.ALL,
                    min_width=96,
                    group_alignment=-0.9,
                    leading=ft.Container(
                        padding=ft.Padding.only(top=12, bottom=12),
                        content=ft.Icon(ft.Icons.EXPLORE_OUTLINED, size=32, semantics_label="Waypoint"),
                    ),
                    destinations=rail_destinations(tr),
                    on_change=navigate,
                ),
                ft.VerticalDivider(width=1),
                ft.Column(expand=True, spacing=0, controls=[Header(), *banner, body]),
            ],
        ),
    )
