"""Settings → Account: sign out, which erases the device's copy, after saying what would be lost."""

from __future__ import annotations

from typing import Any

import flet as ft

from app.domain.model import AlertState, Role
from app.i18n import Translator
from app.state.session import AppState
from app.ui.context import use_app, use_tr
from app.ui.crisis_buttons import crisis_links
from app.ui.layout import card, tagged


def unsent_alerts(app: AppState) -> int:
    """Help alerts still on this device (not yet received by the clinic)."""
    alerts = app.support.alerts if app.support else ()
    return sum(1 for a in alerts if a.state is AlertState.QUEUED)


def unsent_alert_warning(tr: Translator) -> str:
    """Said before any sign-out that erases this device's copy while a help alert waits: truthfully,
    the alert is not erased (the courier keeps it in the keychain and sends it, signed by this
    device, as soon as the clinic answers), but calling is faster."""
    return tr.gettext(
        "A help alert has not reached your clinic yet. Signing out does not cancel it: Waypoint "
        "keeps it on this device and keeps trying to send it. If you need help now, call instead."
    )


def sign_out_warning(tr: Translator, role: Role, waiting: int) -> str:
    """What signing out erases: a family member's device holds only the schedule shared with them."""
    if role is Role.FAMILY:
        warning = tr.gettext(
            "Signing out erases everything Waypoint keeps on this device: the schedule shared with you."
        )
    else:
        warning = tr.gettext(
            "Signing out erases everything Waypoint keeps on this device: your schedule, "
            "assignments and coping plan. Your clinic keeps its copy."
        )
    if waiting:
        warning += " " + tr.ngettext(
            "{n} change has not reached your clinic yet and will be lost.",
            "{n} changes have not reached your clinic yet and will be lost.",
            waiting,
        ).format(n=tr.number(waiting))
    return warning


@ft.component
def SignOut() -> Any:
    tr = use_tr()
    app = use_app()
    confirming, set_confirming = ft.use_state(False)

    async def ask(_e: Any) -> None:
        set_confirming(True)

    async def cancel(_e: Any) -> None:
        set_confirming(False)

    async def sign_out(_e: Any) -> None:
        await app.sign_out()

    if not confirming:
        return tagged(
            "sign-out",
            ft.OutlinedButton(
                content=tr.gettext("Sign out of this device"), icon=ft.Icons.LOGOUT, on_click=ask
            ),
        )
    alerts = unsent_alerts(app)
    waiting = max(0, app.sync.pending - alerts)  # an alert is kept, not lost: it is said apart
    role = app.account.role if app.account is not None else Role.PATIENT
    warning = sign_out_warning(tr, role, waiting)
    alert_note: list[ft.Control] = []
    if alerts:
        support = app.support
        clinic, patient = (support.clinic, support.patient) if support else (None, None)
        alert_note = [
            tagged(
                "sign-out-alert",
                ft.Text(unsent_alert_warning(tr), size=16, weight=ft.FontWeight.W_600),
                live_region=True,
            ),
            ft.Column(spacing=8, controls=crisis_links(tr, clinic, patient)[:3]),
        ]
    return card(
        ft.Column(
            spacing=10,
            controls=[
                *alert_note,
                ft.Text(warning, size=15),
                ft.Row(
                    wrap=True,
                    spacing=8,
                    controls=[
                        tagged(
                            "sign-out-confirm",
                            ft.FilledButton(
                                content=tr.gettext("Erase and sign out"),
                                icon=ft.Icons.DELETE_FOREVER_OUTLINED,
                                style=ft.ButtonStyle(bgcolor=ft.Colors.ERROR, color=ft.Colors.ON_ERROR),
                                on_click=sign_out,
                            ),
                        ),
                        ft.TextButton(content=tr.gettext("Cancel"), on_click=cancel),
                    ],
                ),
            ],
        )
    )
