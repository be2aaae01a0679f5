"""Joining as a family member with an invitation code: a new family account, or an existing one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import flet as ft

from app.state.family import JoinState
from app.ui.context import use_app, use_narrow, use_once, use_tr
from app.ui.layout import error_banner, muted, tagged
from app.ui.password_field import PasswordField
from app.ui.sharing_text import share_problem
from flet_guard.form import use_form


@ft.component
def FamilySignUpScreen(on_back: Callable[[], None]) -> Any:
    tr = use_tr()
    app = use_app()
    join = use_once(lambda: JoinState(accounts=app.services.account))
    ft.use_state(join)
    form = use_form(url=app.default_server_url)

    async def submit(_e: Any) -> None:
        app.touch()
        account = await join.join(form["url"], form["code"], form["name"], form["username"], form["password"])
        if account is not None:
            await app.refresh()  # the root now shows the family app

    async def switch(_e: Any) -> None:
        join.new_account = not join.new_account
        join.problem = None

    async def back(_e: Any) -> None:
        on_back()

    fields: list[ft.Control] = [
        tagged(
            "family-url",
            form.field(
                "url",
                label=tr.gettext("Clinic address"),
                hint_text="https://",
                keyboard_type=ft.KeyboardType.URL,
            ),
        ),
        tagged(
            "family-code",
            form.field(
                "code",
                label=tr.gettext("Invitation code"),
                hint_text="K7P-4QX-9MD",
                capitalization=ft.TextCapitalization.CHARACTERS,
            ),
        ),
    ]
    if join.new_account:
        fields.append(
            tagged(
                "family-name",
                form.field(
                    "name",
                    label=tr.gettext("Your name"),
                ),
            )
        )
    fields += [
        tagged(
            "family-username",
            form.field(
                "username",
                label=tr.gettext("Choose a username") if join.new_account else tr.gettext("Username"),
            ),
        ),
        tagged(
            "family-password",
            PasswordField(
                # A short label (a long one is clipped inside the field at 200 % zoom); the rule
                # goes under the field, where it can wrap.
                tr.gettext("Choose a password") if join.new_account else tr.gettext("Password"),
                form,
                "password",
                submit,
                helper=tr.gettext("8 characters or more") if join.new_account else None,
            ),
        ),
    ]
    if join.problem:
        fields.append(error_banner("family-error", share_problem(tr, join.problem)))
    label = tr.gettext("Create my account") if join.new_account else tr.gettext("Sign in and accept")
    form_column = ft.Column(
        spacing=14,
        horizontal_alignment=ft.CrossAxisAlignment.STRETCH,  # fields, error and button one width
        controls=[
            ft.Row(
                [
                    ft.TextButton(
                        content=tr.gettext("Back to sign in"), icon=ft.Icons.ARROW_BACK, on_click=back
                    )
                ]
            ),
            ft.Text(
                tr.gettext("Someone shared their schedule with you"), size=24, weight=ft.FontWeight.W_700
            ),
            muted(
                tr.gettext(
                    "Type the invitation code they gave you. You will see only what they chose to share, "
                    "until the date they chose."
                )
            ),
            *fields,
            tagged(
                "family-submit",
                ft.FilledButton(
                    # Text that may wrap (large text, long translations) instead of a label clipped
                    # inside a button of fixed height.
                    content=ft.Text(
                        tr.gettext("Please wait…") if join.busy else label,
                        text_align=ft.TextAlign.CENTER,
                        size=16,
                    ),
                    icon=ft.Icons.LOGIN,
                    disabled=join.busy,
                    on_click=submit,
                    style=ft.ButtonStyle(padding=ft.Padding.symmetric(horizontal=16, vertical=14)),
                ),
            ),
            ft.TextButton(
                content=tr.gettext("I already have a family account")
                if join.new_account
                else tr.gettext("I need a new family account"),
                on_click=switch,
            ),
        ],
    )
    narrow = use_narrow()
    return ft.SafeArea(
        expand=True,
        content=ft.ListView(
            expand=True,
            padding=24,
            controls=[
                ft.Row(
                    alignment=ft.MainAxisAlignment.CENTER,
                    controls=[
                        ft.Container(width=None if narrow else 440, expand=narrow, content=form_column)
                    ],
                )
            ],
        ),
    )
