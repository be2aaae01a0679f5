"""The family member's app: a header with `Get help now` (the crisis lines, not the patient's alert)."""

from __future__ import annotations

from typing import Any

import flet as ft

from app.state.family import FamilyState
from app.ui.context import go, use_app, use_narrow, use_once, use_tr
from app.ui.family_context import FamilyContext
from app.ui.family_help import FamilyHelpScreen
from app.ui.family_home import FamilyHome
from app.ui.family_week import FamilyWeek
from app.ui.layout import icon_button, tagged
from app.ui.settings import SettingsScreen
from app.ui.support_button import SupportButton

CONTENT_MAX_WIDTH = 760


@ft.component
def FamilyShell() -> Any:
    tr = use_tr()
    app = use_app()
    narrow = use_narrow()
    outlet = ft.use_route_outlet() or FamilyHome()
    location = ft.use_route_location() or "/"
    name = app.account.display_name if app.account and not app.prefs.discreet else ""

    async def home(_e: Any) -> None:
        go("/")

    async def settings(_e: Any) -> None:
        go("/settings")

    # On every family screen: the crisis lines (988, 911, SAMHSA), for them or the person they support.
    def open_help() -> None:
        if not location.startswith("/help"):
            app.support_return = location  # its Close comes back here
        go("/help")

    help_button = SupportButton(on_open=open_help, identifier="family-help-button")

    header = ft.Container(
        padding=ft.Padding.symmetric(horizontal=12, vertical=6),
        content=ft.Row(
            wrap=True,  # with large text, Get help now moves under the greeting instead of off-screen
            run_spacing=4,
            alignment=ft.MainAxisAlignment.SPACE_BETWEEN,
            vertical_alignment=ft.CrossAxisAlignment.CENTER,
            controls=[
                ft.Row(
                    tight=True,
                    controls=[
                        ft.Icon(
                            ft.Icons.EXPLORE_OUTLINED,
                            size=28,
                            color=ft.Colors.PRIMARY,
                            semantics_label="Waypoint",
                        ),
                        ft.Text(
                            tr.gettext("Hi, {name}").format(name=name) if name else "Waypoint",
                            size=20,
                            weight=ft.FontWeight.W_600,
                        ),
                    ],
                ),
                ft.Row(
                    tight=True,
                    spacing=4,
                    controls=[
                        help_button,
                        tagged(
                            "nav-family-home",
                            icon_button(ft.Icons.PEOPLE_OUTLINE, tr.gettext("Shared with me"), home),
                            selected=location == "/",
                        ),
                        tagged(
                            "nav-settings",
                            icon_button(ft.Icons.SETTINGS_OUTLINED, tr.gettext("Settings"), settings),
                            selected=location.startswith("/settings"),
                        ),
                    ],
                ),
            ],
        ),
    )
    return ft.SafeArea(
        expand=True,
        content=ft.Column(
            expand=True,
            spacing=0,
            controls=[
                header,
                ft.Divider(height=1),
                ft.Container(
                    expand=True,
                    alignment=ft.Alignment.TOP_CENTER,
                    content=ft.Container(
                        content=outlet, width=None if narrow else CONTENT_MAX_WIDTH, expand=narrow
                    ),
                ),
            ],
        ),
    )


ROUTES: list[ft.Route] = [
    ft.Route(
        component=FamilyShell,
        children=[
            ft.Route(index=True, component=FamilyHome),
            ft.Route(path="shared/:share_id", component=FamilyWeek),
            ft.Route(path="settings", component=SettingsScreen),
            ft.Route(path="help", component=FamilyHelpScreen),
        ],
    )
]


@ft.component
def FamilyRouter() -> Any:
    """What a family account sees: only the schedules shared with it; no patient screens exist here."""
    app = use_app()
    state = use_once(lambda: FamilyState(family=app.services.family, clock=app.clock, timezone=app.timezone))

    def follow_timezone() -> None:
        state.timezone = app.timezone  # in an effect, not during render: the state notifies its screens

    ft.use_effect(follow_timezone, dependencies=[app.timezone])
    return FamilyContext(state, lambda: ft.Router(ROUTES, not_found=FamilyShell))
