"""The check-in's confirmation (`checkin-confirmation`): saved; after a worrying answer, the call buttons.

Kept under the check-in form, hidden, from the moment the form is on screen (app/ui/checkin.py): the
tap on "Send check-in" only shows it and fills in what depends on the answers — the title, where the
answer is, and the worrying answer's note and call buttons, which are built in advance and shown.
"""

from __future__ import annotations

from typing import Any

import flet as ft

from app.domain.checkins import CheckIn, FlagStatus, Questionnaire
from app.i18n import Translator
from app.state.checkins import CheckInState, Confirmation
from app.state.session import AppState
from app.ui.context import go
from app.ui.crisis_buttons import CrisisButtons
from app.ui.layout import card, choice_row, muted, section, tagged


def delivery_text(tr: Translator, checkin: CheckIn) -> str:
    """Where a check-in is: on this device, with the clinic, or seen by someone on the team."""
    if checkin.flag is not None and checkin.flag.status is FlagStatus.ACKNOWLEDGED:
        if checkin.flag.acknowledged_by:
            return tr.gettext("Seen by {name}").format(name=checkin.flag.acknowledged_by)
        return tr.gettext("Seen by your care team")
    if checkin.pending:
        return tr.gettext("Saved on this device. It will be sent when you are back online.")
    return tr.gettext("Sent to your clinic")


def confirmation_view(
    tr: Translator,
    app: AppState,
    state: CheckInState,
    questionnaire: Questionnaire,
    confirmation: Confirmation | None,
    shown: CheckIn | None,
) -> ft.Control:
    """`confirmation`: the check-in just saved, None while the form is answered (the layer hidden);
    `shown`: that check-in as the device has it now (a sync may have brought the team's "seen").

    Plain controls, not a component: the check-in screen keeps this tree, hidden, across its own
    renders without drawing it again, and a kept component that re-rendered on its own would look
    for its contexts through a parent that may be gone (the Flet 1.0.5 bug of app/ui/support_layer.py)."""
    worrying = confirmation is not None and confirmation.worrying
    info = app.support

    async def done(_e: Any) -> None:
        state.close()
        go("/")

    async def change(_e: Any) -> None:
        app.touch()
        state.close()
        state.start(questionnaire.id)

    async def trends(_e: Any) -> None:
        state.close()
        go("/checkin/trends")

    title = (
        tr.gettext("Your changes are saved")
        if confirmation is not None and confirmation.amended
        else tr.gettext("Thank you for checking in")
    )
    summary: list[ft.Control] = [
        ft.Row(
            spacing=10,
            controls=[
                ft.Icon(ft.Icons.CHECK_CIRCLE, color=ft.Colors.PRIMARY, size=32),
                ft.Text(title, size=22, weight=ft.FontWeight.W_700, expand=True),
            ],
        ),
        tagged("checkin-delivery", ft.Text(delivery_text(tr, shown) if shown else "", size=16)),
    ]
    # The worrying answer's note and the call buttons are always there, shown or not: after a
    # worrying answer the tap's reply is a property or two, not the buttons themselves.
    seen = card(
        ft.Column(
            spacing=6,
            controls=[
                ft.Text(
                    tr.gettext("Your care team will see this today."), size=17, weight=ft.FontWeight.W_600
                ),
                muted(tr.gettext("If you want to talk to someone now, you can call or text right away.")),
            ],
        ),
        ft.Colors.TERTIARY_CONTAINER,
    )
    seen.visible = worrying
    calls = section(
        tr.gettext("Talk to someone now"),
        [CrisisButtons(info.clinic if info else None, info.patient if info else None)],
    )
    calls.visible = worrying
    controls: list[ft.Control] = [card(ft.Column(spacing=8, controls=summary)), seen, calls]
    controls.append(
        choice_row(
            [
                tagged(
                    "checkin-done",
                    ft.FilledButton(content=tr.gettext("Done"), icon=ft.Icons.CHECK, on_click=done),
                ),
                tagged(
                    "checkin-change",
                    ft.OutlinedButton(
                        content=tr.gettext("Change my answers"), icon=ft.Icons.EDIT_OUTLINED, on_click=change
                    ),
                ),
                tagged(
                    "checkin-trends",
                    ft.TextButton(content=tr.gettext("My trends"), icon=ft.Icons.SHOW_CHART, on_click=trends),
                ),
            ],
        )
    )
    return tagged(
        "checkin-confirmation",
        ft.ListView(
            expand=True,
            padding=ft.Padding.only(left=16, right=16, top=4, bottom=24),
            spacing=12,
            controls=controls,
        ),
        container=True,
        live_region=True,
        expand=True,
    )
