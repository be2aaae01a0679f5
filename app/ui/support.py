"""The support screen (`support-screen`): opens at once from local data — calls, alert, coping plan."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import flet as ft

from app.domain.alerts import calls_first
from app.domain.model import CopingPlan
from app.ui.alert_panel import AlertPanel
from app.ui.context import go, use_app, use_tr
from app.ui.coping_plan import CopingPlanView
from app.ui.crisis_buttons import CrisisButtons, DangerBanner, help_screen
from app.ui.layout import muted, section


@ft.component
def SupportScreen(
    on_close: Callable[[], None] | None = None, editable: bool = True, counts_as_open: bool = True
) -> Any:
    """`counts_as_open`: False where the screen is kept built while hidden (the patient's support
    layer), which then tells AppState itself when it is shown."""
    tr = use_tr()
    app = use_app()
    info = app.support  # loaded at start and kept fresh by AppState: no I/O on the way here
    clinic = info.clinic if info else None
    patient = info.patient if info else None
    latest = info.alerts[0] if info and info.alerts else None
    shown: Any = ft.use_ref(None)

    def opened() -> None:
        # While this screen is open the app never locks: the PIN screen must not hide what became
        # of an alert, and reading or scrolling it is use (AppState.support_shown).
        if counts_as_open:
            shown.current = app.support_shown()

    def closed() -> None:
        if shown.current is not None:
            shown.current()
            shown.current = None

    ft.use_effect(opened, dependencies=[], cleanup=closed)

    async def close(_e: ft.Event[Any]) -> None:
        if on_close is not None:
            on_close()
        else:
            go(app.support_return)  # signed in: back to the screen the support button was tapped on

    calls = section(tr.gettext("Talk to someone now"), [CrisisButtons(clinic, patient)])
    alert = section(tr.gettext("Let my care team know"), [AlertPanel(latest, clinic=clinic)])
    signed_out = app.account is None
    if signed_out:
        # An alert kept from an ended session still shows what became of it (no new alert here).
        sign_in = muted(tr.gettext("Sign in to alert your care team. You can call at any time."))
        alert = (
            section(
                tr.gettext("Let my care team know"),
                [AlertPanel(latest, can_raise=False, clinic=clinic), sign_in],
            )
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
    return help_screen(
        "support-screen",
        "support-close",
        close,
        tr,
        DangerBanner(clinic),
        [muted(tr.gettext("Help is here, even without a connection.")), *ordered, plan],
    )
