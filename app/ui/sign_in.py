"""Sign-in: clinic address plus an enrolment code or a username and password, with clear errors."""

from __future__ import annotations

from typing import Any

import flet as ft

from app.ui.context import use_app, use_narrow, use_tr
from app.ui.family_sign_up import FamilySignUpScreen
from app.ui.layout import error_banner, muted, tagged
from app.ui.password_field import PasswordField
from app.ui.support import SupportScreen
from app.ui.support_button import SupportButton
from flet_guard.form import use_form


@ft.component
def SignInScreen() -> Any:
    tr = use_tr()
    app = use_app()
    form = use_form(url=app.default_server_url)
    use_code, set_use_code = ft.use_state(True)
    support_open, set_support_open = ft.use_state(False)
    family, set_family = ft.use_state(False)

    if support_open:
        return ft.SafeArea(expand=True, content=SupportScreen(on_close=lambda: set_support_open(False)))
    if family:
        return FamilySignUpScreen(on_back=lambda: set_family(False))

    async def join_family(_e: Any) -> None:
        set_family(True)

    async def submit(_e: Any) -> None:
        code = form["code"] if use_code else ""
        await app.sign_in(form["url"], code, form["username"], form["password"])

    async def switch(_e: Any) -> None:
        set_use_code(not use_code)

    if use_code:
        fields: list[ft.Control] = [
            tagged(
                "sign-in-code",
                form.field(
                    "code",
                    label=tr.gettext("Enrolment code"),
                    hint_text="K7P-4QX-9MD",
                    on_submit=submit,
                    capitalization=ft.TextCapitalization.CHARACTERS,
                ),
            )
        ]
        other = tr.gettext("I have a username and password")
    else:
        fields = [
            tagged(
                "sign-in-username",
                form.field(
                    "username",
                    label=tr.gettext("Username"),
                    autofocus=True,
                ),
            ),
            tagged(
                "sign-in-password",
                PasswordField(tr.gettext("Password"), form, "password", submit),
            ),
        ]
        other = tr.gettext("I have an enrolment code")
    error = []
    if app.problem:
        error = [error_banner("sign-in-error", tr.problem(app.problem))]
    layout = ft.Column(
        spacing=14,
        horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
        controls=[
            ft.Row(
                [
                    ft.Icon(ft.Icons.EXPLORE_OUTLINED, size=40, color=ft.Colors.PRIMARY),
                    ft.Text("Waypoint", size=30, weight=ft.FontWeight.W_700),
                ]
            ),
            muted(tr.gettext("Sign in with what your clinic gave you.")),
            tagged(
                "sign-in-url",
                form.field(
                    "url",
                    label=tr.gettext("Clinic address"),
                    hint_text="https://",
                    keyboard_type=ft.KeyboardType.URL,
                ),
            ),
            *fields,
            *error,
            tagged(
                "sign-in-submit",
                ft.Row(
                    [
                        ft.FilledButton(
                            content=tr.gettext("Signing in…") if app.busy else tr.gettext("Sign in"),
                            icon=ft.Icons.LOGIN,
                            disabled=app.busy,
                            on_click=submit,
                            expand=True,
                            style=ft.ButtonStyle(padding=ft.Padding.symmetric(vertical=18)),
                        )
                    ]
                ),
            ),
            ft.TextButton(content=other, on_click=switch),
            tagged(
                "sign-in-family",
                ft.TextButton(content=tr.gettext("I have an invitation code"), on_click=join_family),
            ),
        ],
    )
    return ft.SafeArea(
        expand=True,
        content=ft.Column(
            expand=True,
            spacing=0,
            controls=[
                ft.Container(
                    padding=ft.Padding.symmetric(horizontal=16, vertical=8),
                    content=ft.Row(
                        alignment=ft.MainAxisAlignment.END,
                        controls=[SupportButton(on_open=lambda: set_support_open(True))],
                    ),
                ),
                ft.ListView(
                    expand=True,
                    padding=24,
                    controls=[
                        ft.Row(
                            alignment=ft.MainAxisAlignment.CENTER,
                            controls=[
                                ft.Container(
                                    width=None if use_narrow() else 440, expand=use_narrow(), content=layout
                                )
                            ],
                        )
                    ],
                ),
            ],
        ),
    )
