"""Sign-in: clinic address plus an enrolment code or a username and password, with clear errors."""

from __future__ import annotations

from typing import Any

import flet as ft

from app.ui.context import use_app, use_narrow, use_tr
from app.ui.layout import muted
from app.ui.problems import problem_text
from app.ui.support import SupportScreen
from app.ui.support_button import SupportButton


@ft.component
def SignInScreen() -> Any:
    tr = use_tr()
    app = use_app()
    url, set_url = ft.use_state(app.default_server_url)
    use_code, set_use_code = ft.use_state(True)
    code, set_code = ft.use_state("")
    username, set_username = ft.use_state("")
    password, set_password = ft.use_state("")
    support_open, set_support_open = ft.use_state(False)

    if support_open:
        return ft.SafeArea(expand=True, content=SupportScreen(on_close=lambda: set_support_open(False)))

    async def submit(_e: Any) -> None:
        await app.sign_in(url, code if use_code else "", username, password)

    async def typed_url(e: Any) -> None:
        set_url(e.control.value or "")

    async def typed_code(e: Any) -> None:
        set_code(e.control.value or "")

    async def typed_username(e: Any) -> None:
        set_username(e.control.value or "")

    async def typed_password(e: Any) -> None:
        set_password(e.control.value or "")

    async def switch(_e: Any) -> None:
        set_use_code(not use_code)

    if use_code:
        fields: list[ft.Control] = [
            ft.Semantics(
                key="sign-in-code",
                identifier="sign-in-code",
                content=ft.TextField(
                    label=tr.gettext("Enrolment code"),
                    hint_text="K7P-4QX-9MD",
                    value=code,
                    on_change=typed_code,
                    on_submit=submit,
                    capitalization=ft.TextCapitalization.CHARACTERS,
                ),
            )
        ]
        other = tr.gettext("I have a username and password")
    else:
        fields = [
            ft.Semantics(
                key="sign-in-username",
                identifier="sign-in-username",
                content=ft.TextField(
                    label=tr.gettext("Username"), value=username, on_change=typed_username, autofocus=True
                ),
            ),
            ft.Semantics(
                key="sign-in-password",
                identifier="sign-in-password",
                content=ft.TextField(
                    label=tr.gettext("Password"),
                    value=password,
                    password=True,
                    can_reveal_password=True,
                    on_change=typed_password,
                    on_submit=submit,
                ),
            ),
        ]
        other = tr.gettext("I have an enrolment code")
    error = []
    if app.problem:
        error = [
            ft.Semantics(
                key="sign-in-error",
                identifier="sign-in-error",
                live_region=True,
                content=ft.Container(
                    padding=12,
                    border_radius=12,
                    bgcolor=ft.Colors.ERROR_CONTAINER,
                    content=ft.Text(
                        problem_text(tr, app.problem), color=ft.Colors.ON_ERROR_CONTAINER, size=15
                    ),
                ),
            )
        ]
    form = ft.Column(
        spacing=14,
        controls=[
            ft.Row(
                [
                    ft.Icon(ft.Icons.EXPLORE_OUTLINED, size=40, color=ft.Colors.PRIMARY),
                    ft.Text("Waypoint", size=30, weight=ft.FontWeight.W_700),
                ]
            ),
            muted(tr.gettext("Sign in with what your clinic gave you.")),
            ft.Semantics(
                key="sign-in-url",
                identifier="sign-in-url",
                content=ft.TextField(
                    label=tr.gettext("Clinic address"),
                    hint_text="https://",
                    value=url,
                    on_change=typed_url,
                    keyboard_type=ft.KeyboardType.URL,
                ),
            ),
            *fields,
            *error,
            ft.Semantics(
                key="sign-in-submit",
                identifier="sign-in-submit",
                content=ft.Row(
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
                                    width=None if use_narrow() else 440, expand=use_narrow(), content=form
                                )
                            ],
                        )
                    ],
                ),
            ],
        ),
    )
