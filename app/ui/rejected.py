"""Local changes the clinic refused, shown until the patient has seen them (never dropped silently)."""

from __future__ import annotations

from typing import Any

import flet as ft

from app.domain.model import MutationType
from app.i18n import N_
from app.services.ports import RejectedChange
from app.ui.context import Handler, use_app, use_screens, use_tr
from app.ui.layout import tagged

_WHAT: dict[str, str] = {
    MutationType.RSVP_SET: N_("Your clinic could not take your answer for a session."),
    MutationType.ASSIGNMENT_COMPLETE: N_("Your clinic could not mark an assignment as done."),
    MutationType.ASSIGNMENT_REOPEN: N_("Your clinic could not reopen an assignment."),
    MutationType.COPING_PLAN_UPDATE: N_("Your clinic could not save your coping plan changes."),
    MutationType.CHECKIN_SUBMIT: N_("Your clinic could not take your check-in."),
}
_OTHER = N_("Your clinic could not take one of your changes.")


@ft.component
def RejectedChanges(changes: tuple[RejectedChange, ...]) -> Any:
    tr = use_tr()
    app = use_app()
    state = use_screens().today

    def dismiss(change_id: str) -> Handler:
        async def handler(_e: Any) -> None:
            app.touch()
            await state.dismiss(change_id)

        return handler

    rows: list[ft.Control] = []
    for change in changes:
        text = tr.gettext(_WHAT.get(change.kind, _OTHER))
        if change.status == "conflict":
            text += " " + tr.gettext("Someone at the clinic changed it first; their version is shown.")
        elif change.code:
            text += " " + tr.problem(change.code)
        rows.append(
            ft.Container(
                padding=12,
                border_radius=12,
                bgcolor=ft.Colors.ERROR_CONTAINER,
                content=ft.Row(
                    [
                        ft.Icon(ft.Icons.INFO_OUTLINE, color=ft.Colors.ON_ERROR_CONTAINER),
                        ft.Text(text, color=ft.Colors.ON_ERROR_CONTAINER, expand=True, size=15),
                        ft.TextButton(content=tr.gettext("OK"), on_click=dismiss(change.id)),
                    ]
                ),
            )
        )
    return tagged("rejected-changes", ft.Column(spacing=8, controls=rows), container=True)  # fmt: skip
