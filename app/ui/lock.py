"""The lock screen: PIN with limited attempts — and the support button, because help is never behind a PIN.

A forgotten PIN has a way out: "Forgot PIN?" signs out (after confirmation), which erases this
device's copy; a help alert not yet sent is kept and delivered as on any sign-out.
"""

from __future__ import annotations

from typing import Any

import flet as ft

from app.domain.model import Role
from app.ui.context import use_app, use_tr
from app.ui.family_help import FamilyHelpScreen
from app.ui.layout import card, muted, tagged
from app.ui.sign_out import unsent_alert_warning, unsent_alerts
from app.ui.support import SupportScreen
from app.ui.support_button import SupportButton
from flet_guard.form import use_form


@ft.component
def ForgotPin() -> Any:
    """`pin-forgot`: asks first, says what is erased (and that a waiting alert is not), then signs out."""
    tr = use_tr()
    app = use_app()
    asking, set_asking = ft.use_state(False)

    async def ask(_e: Any) -> None:
        set_asking(True)

    async def cancel(_e: Any) -> None:
        set_asking(False)

    async def sign_out(_e: Any) -> None:
        await app.forget_pin()

    if not asking:
        return tagged("pin-forgot", ft.TextButton(content=tr.gettext("Forgot PIN?"), on_click=ask))
    lines = [
        tr.gettext(
            "Without the PIN, the way back in is to sign out and sign in again with what your "
            "clinic gave you. Signing out erases everything Waypoint keeps on this device; your "
            "clinic keeps its copy."
        )
    ]
    if unsent_alerts(app):
        lines.insert(0, unsent_alert_warning(tr))
    return tagged(
        "pin-forgot-card",
        card(
            ft.Column(
                spacing=10,
                width=360,
                controls=[
                    *(ft.Text(line, size=15) for line in lines),
                    ft.Row(
                        wrap=True,
                        spacing=8,
                        controls=[
                            tagged(
                                "pin-forgot-confirm",
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
        ),
        live_region=True,
    )


@ft.component
def LockScreen() -> Any:
    tr = use_tr()
    app = use_app()
    form = use_form()
    support_open, set_support_open = ft.use_state(False)

    family = app.account is not None and app.account.role is Role.FAMILY
    if support_open:

        def close() -> None:
            set_support_open(False)

        # A family member gets the crisis lines; the care team's alert is the patient's own.
        shown = FamilyHelpScreen(on_close=close) if family else SupportScreen(on_close=close, editable=False)
        return ft.SafeArea(expand=True, content=shown)

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
                form.field(
                    "pin",
                    label=tr.gettext("PIN"),
                    password=True,
                    max_length=8,
                    width=260,
                    autofocus=True,
                    keyboard_type=ft.KeyboardType.NUMBER,
                    text_align=ft.TextAlign.CENTER,
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
            ForgotPin(),
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
                        controls=[
                            SupportButton(
                                on_open=lambda: set_support_open(True),
                                identifier="family-help-button" if family else "support-button",
                            )
                        ],
                    ),
                ),
                # Scrolls: with large text or the Forgot-PIN card the lock screen outgrows a phone.
                ft.Container(
                    expand=True,
                    alignment=ft.Alignment.CENTER,
                    padding=24,
                    content=ft.Column(
                        scroll=ft.ScrollMode.AUTO,
                        horizontal_alignment=ft.CrossAxisAlignment.CENTER,
                        controls=[layout],
                    ),
                ),
            ],
        ),
    )
