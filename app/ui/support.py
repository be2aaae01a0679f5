"""The support screen (`support-screen`): opens at once from local data — calls, alert, coping plan."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import flet as ft

from app.domain.alerts import calls_first
from app.domain.model import CopingPlan
from app.ui.alert_panel import AlertPanel
from app.ui.context import use_app, use_tr
from app.ui.coping_plan import CopingPlanView
from app.ui.crisis_buttons import CrisisButtons, DangerBanner
from app.ui.layout import muted, section, tagged


@ft.component
def SupportScreen(on_close: Callable[[], None] | None = None, editable: bool = True) -> Any:
    tr = use_tr()
    app = use_app()
    info = app.support  # loaded at start and kept fresh by AppState: no I/O on the way here
    clinic = info.clinic if info else None
    patient = info.patient if info else None
    latest = info.alerts[0] if info and info.alerts else None

    async def close(_e: ft.Event[Any]) -> None:
        if on_close is not None:
            on_close()

    calls = section(tr.gettext("Talk to someone now"), [CrisisButtons(clinic, patient)])
    alert = section(tr.gettext("Let my care team know"), [AlertPanel(latest)])
    signed_out = app.account is None
    if signed_out:
        # An alert kept from an ended session still shows what became of it (no new alert here).
        sign_in = muted(tr.gettext("Sign in to alert your care team. You can call at any time."))
        alert = (
            section(tr.gettext("Let my care team know"), [AlertPanel(latest, can_raise=False), sign_in])
            if latest is not None
            else sign_in
        )
    plan = section(
        tr.gettext("My coping plan"),
        [
            CopingPlanView(
                info.coping_plan if info else CopingPlan(), editable=editable and app.account is not None
            )
        ],
    )
    ordered = [calls, alert] if calls_first(latest, app.clock(), signed_in=not signed_out) else [alert, calls]
    header: list[ft.Control] = [
        ft.Row(
            [
                ft.Text(tr.gettext("You are not alone"), size=26, weight=ft.FontWeight.W_700, expand=True),
                *(
                    [
                        tagged(
                            "support-close",
                            ft.TextButton(content=tr.gettext("Close"), icon=ft.Icons.CLOSE, on_click=close),
                        )
                    ]
                    if on_close
                    else []
                ),
            ]
        ),
        muted(tr.gettext("Help is here, even without a connection.")),
    ]
    return tagged(
        "support-screen",
        ft.ListView(
            expand=True,
            padding=ft.Padding.only(left=16, right=16, top=4, bottom=24),
            spacing=16,
            controls=[*header, DangerBanner(clinic), *ordered, plan],
        ),
        container=True,
        expand=True,
    )
