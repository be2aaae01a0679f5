"""The signed-in, unlocked app: one Router over the patient's screens inside the shell layout."""

from __future__ import annotations

from typing import Any

import flet as ft

from app.state.screens import Screens
from app.ui.assignment_detail import AssignmentDetail
from app.ui.assignments import AssignmentsScreen
from app.ui.checkin import CheckInScreen
from app.ui.context import ScreensContext, use_app, use_once
from app.ui.coping_editor import CopingEditor
from app.ui.session_sheet import SessionSheet
from app.ui.settings import SettingsScreen
from app.ui.sharing import SharingScreen
from app.ui.shell import Shell
from app.ui.support_layer import SupportBody, SupportBodyContext, SupportRoute
from app.ui.today import TodayScreen
from app.ui.trends import TrendsScreen
from app.ui.week import WeekScreen

ROUTES: list[ft.Route] = [
    ft.Route(
        component=Shell,
        children=[
            ft.Route(index=True, component=TodayScreen),
            ft.Route(path="week", component=WeekScreen),
            ft.Route(path="week/session/:item_id", component=SessionSheet),
            ft.Route(path="assignments", component=AssignmentsScreen),
            ft.Route(path="assignments/:assignment_id", component=AssignmentDetail),
            ft.Route(path="checkin", component=CheckInScreen),
            ft.Route(path="checkin/q/:questionnaire_id", component=CheckInScreen),
            ft.Route(path="checkin/trends", component=TrendsScreen),
            ft.Route(path="support", component=SupportRoute),  # shown as a layer: app/ui/support_layer.py
            ft.Route(path="support/plan", component=CopingEditor),
            ft.Route(path="sharing", component=SharingScreen),
            ft.Route(path="settings", component=SettingsScreen),
        ],
    )
]


@ft.component
def AppRouter() -> Any:
    app = use_app()
    screens = use_once(lambda: Screens.for_app(app))  # they read the clinic's timezone from `app`
    return ScreensContext(
        screens,
        # The support screen is made here, once per render of the router, and shown by the shell's
        # support layer: see app/ui/support_layer.py.
        lambda: SupportBodyContext(SupportBody(), lambda: ft.Router(ROUTES, not_found=NotFound)),
    )


@ft.component
def NotFound() -> Any:
    return Shell()
