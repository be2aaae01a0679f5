"""The lock screen: PIN with limited attempts — and the support button, because help is never behind a PIN."""

from __future__ import annotations

from typing import Any

import flet as ft

from app.domain.model import Role
from app.ui.context import use_app, use_tr
from app.ui.form import use_form
from app.ui.layout import muted, tagged
from app.ui.support import SupportScreen
from app.ui.support_button import SupportButton


@ft.component
def LockScreen() -> Any:
    tr = use_tr()
    app = use_app()
    form = use_form()
    support_open, set_support_open = ft.use_state(False)

    if support_open:
        return ft.SafeArea(
            expand=True, content=SupportScreen(on_close=lambda: set_support_open(False), editable=False)
        )

    async def unlock(_e: Any) -> None:
        await app.unlock(form["pin"])
        form.clear("pin")

    message: list[ft.Control] = []
    if app.pin_message:
        text = tr.problem(app.pin_message)
        if app.pin_message == "pin.too_many" and app.pin_locked_until is not None:
            text = tr.gettext("Too many wrong PINs. Try again after {time}.").format(
                time=tr.time(app.pin_locked_until)
            )
        elif app.pin_attempts_left is not None:
            text += " " + tr.ngettext("{n} try left.", "{n} tries left.", app.pin_attempts_left).format(
                n=tr.number(app.pin_attempts_left)
            )
        message = [tagged("pin-message", ft.Text(text, color=ft.Colors.ERROR, size=15), live_region=True)]
    until = app.pin_locked_until
    blocked = app.pin_message == "pin.too_many" and until is not None and until > app.clock()
    layout = ft.Column(
        spacing=16,
        horizontal_alignment=ft.CrossAxisAlignment.CENTER,
        controls=[
            ft.Icon(ft.Icons.LOCK_OUTLINE, size=48, color=ft.Colors.PRIMARY),
            ft.Text("Waypoint", size=28, weight=ft.FontWeight.W_700),
            muted(tr.gettext("Enter your PIN to open the app.")),
            tagged(
                "pin-entry",
                ft.TextField(
                    label=tr.gettext("PIN"),
                    password=True,
                    key=form.key("pin"),
                    max_length=8,
                    width=260,
                    autofocus=True,
                    keyboard_type=ft.KeyboardType.NUMBER,
                    text_align=ft.TextAlign.CENTER,
                    on_change=form.on_change("pin"),
                    on_submit=unlock,
                    disabled=blocked,
                ),
            ),
            *message,
            tagged(
                "pin-unlock",
                ft.FilledButton(
                    content=tr.gettext("Unlock"),
                    icon=ft.Icons.LOCK_OPEN,
                    on_click=unlock,
                    disabled=blocked,
                    style=ft.ButtonStyle(padding=ft.Padding.symmetric(horizontal=32, vertical=16)),
                ),
            ),
        ],
    )
    return ft.SafeArea(
        expand=True,
        content=ft.Column(
            expand=True,
            controls=[
                ft.Container(
                    padding=ft.Padding.symmetric(horizontal=16, vertical=8),
                    content=ft.Row(
                        alignment=ft.MainAxisAlignment.END,
                        controls=[SupportButton(on_open=lambda: set_support_open(True))]
                        if app.account is None or app.account.role is not Role.FAMILY  # it acts for a patient
                        else [],
                    ),
                ),
                ft.Container(expand=True, alignment=ft.Alignment.CENTER, padding=24, content=layout),
            ],
        ),
    )
