"""The check-in's confirmation (`checkin-confirmation`): saved; after a worrying answer, the call buttons."""

from __future__ import annotations

from typing import Any

import flet as ft

from app.domain.checkins import CheckIn, FlagStatus, Questionnaire
from app.i18n import Translator
from app.state.checkins import Confirmation
from app.ui.context import go, use_app, use_screens, use_tr
from app.ui.crisis_buttons import CrisisButtons
from app.ui.layout import card, muted, section, tagged


def delivery_text(tr: Translator, checkin: CheckIn) -> str:
    """Where a check-in is: on this device, with the clinic, or seen by someone on the team."""
    if checkin.flag is not None and checkin.flag.status is FlagStatus.ACKNOWLEDGED:
        if checkin.flag.acknowledged_by:
            return tr.gettext("Seen by {name}").format(name=checkin.flag.acknowledged_by)
        return tr.gettext("Seen by your care team")
    if checkin.pending:
        return tr.gettext("Saved on this device. It will be sent when you are back online.")
    return tr.gettext("Sent to your clinic")


@ft.component
def CheckInConfirmation(questionnaire: Questionnaire, confirmation: Confirmation) -> Any:
    tr = use_tr()
    app = use_app()
    state = use_screens().checkins
    shown = next((c for c in state.history() if c.id == confirmation.checkin.id), confirmation.checkin)
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
        if confirmation.amended
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
        tagged("checkin-delivery", ft.Text(delivery_text(tr, shown), size=16)),
    ]
    controls: list[ft.Control] = [card(ft.Column(spacing=8, controls=summary))]
    if confirmation.worrying:
        controls.append(
            card(
                ft.Column(
                    spacing=6,
                    controls=[
                        ft.Text(
                            tr.gettext("Your care team will see this today."),
                            size=17,
                            weight=ft.FontWeight.W_600,
                        ),
                        muted(
                            tr.gettext("If you want to talk to someone now, you can call or text right away.")
                        ),
                    ],
                ),
                ft.Colors.TERTIARY_CONTAINER,
            )
        )
        controls.append(
            section(
                tr.gettext("Talk to someone now"),
                [CrisisButtons(info.clinic if info else None, info.patient if info else None)],
            )
        )
    controls.append(
        ft.Row(
            wrap=True,
            spacing=8,
            run_spacing=8,
            controls=[
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
