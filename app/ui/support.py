"""The support screen (`support-screen`): opens at once from local data — calls, alert, coping plan."""

from __future__ import annotations

import asyncio
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

# The browser builds what a tap shows in the frame that shows it: the coping plan (below 911, the
# calls and the alert) comes this long after the screen does, so that frame is smaller and the calls
# are on screen sooner (docs/PERFORMANCE.md, "Support tap, the coping plan a moment later").
PLAN_AFTER_SECONDS = 0.25


@ft.component
def SupportScreen(
    on_close: Callable[[], None] | None = None,
    editable: bool = True,
    counts_as_open: bool = True,
    shown: bool = True,
) -> Any:
    """`counts_as_open`: False where the screen is kept built while hidden (the patient's support
    layer), which then tells AppState itself when it is shown; `shown`: whether it is, there."""
    tr = use_tr()
    app = use_app()
    info = app.support  # loaded at start and kept fresh by AppState: no I/O on the way here
    clinic = info.clinic if info else None
    patient = info.patient if info else None
    latest = info.alerts[0] if info and info.alerts else None
    counted: Any = ft.use_ref(None)
    plan_shown, set_plan_shown = ft.use_state(False)
    showing: Any = ft.use_ref(shown)
    showing.current = shown

    async def plan_after_the_calls() -> None:
        # Hidden again when the screen is, so that the next tap's frame is as small.
        if not shown:
            set_plan_shown(False)
            return
        await asyncio.sleep(PLAN_AFTER_SECONDS)
        if showing.current:  # not closed meanwhile
            set_plan_shown(True)

    ft.use_effect(plan_after_the_calls, dependencies=[shown])

    def opened() -> None:
        # While this screen is open the app never locks: the PIN screen must not hide what became
        # of an alert, and reading or scrolling it is use (AppState.support_shown).
        if counts_as_open:
            counted.current = app.support_shown()

    def closed() -> None:
        if counted.current is not None:
            counted.current()
            counted.current = None

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
        [
            muted(tr.gettext("Help is here, even without a connection.")),
            *ordered,
            # Sent hidden with the rest, shown by a patch of one property.
            ft.Container(visible=plan_shown, content=plan),
        ],
    )
