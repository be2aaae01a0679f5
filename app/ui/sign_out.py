"""Settings → Account: sign out, which erases the device's copy, after saying what would be lost."""

from __future__ import annotations

from typing import Any

import flet as ft

from app.ui.context import use_app, use_tr
from app.ui.layout import card, tagged


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
    waiting = app.sync.pending
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
    return card(
        ft.Column(
            spacing=10,
            controls=[
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
