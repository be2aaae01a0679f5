"""Sign-in: each browser session signs in on its own with a staff username and password."""

from __future__ import annotations

from typing import Any

import flet as ft

from console.ui.common import (
    heading,
    icon_button,
    muted,
    problem_banner,
    problem_text,
    tagged,
    use_session,
    use_tr,
)
from flet_guard.form import use_form


@ft.component
def SignInScreen() -> Any:
    tr = use_tr()
    session = use_session()
    form = use_form()
    busy, set_busy = ft.use_state(False)
    error, set_error = ft.use_state("")
    hidden, set_hidden = ft.use_state(True)

    async def toggle(_e: Any) -> None:
        set_hidden(not hidden)

    async def submit(_e: Any) -> None:
        if busy:
            return
        if not form["username"].strip() or not form["password"]:
            set_error(tr.gettext("Enter your username and password."))
            return
        set_busy(True)
        set_error("")
        try:
            await session.sign_in(form["username"].strip(), form["password"])
        except Exception as exc:  # shown to the person, never logged with the password
            set_error(problem_text(tr, exc))
        finally:
            set_busy(False)

    notice: list[ft.Control] = []
    if session.signed_out_reason == "idle":
        notice.append(muted(tr.gettext("You were signed out after a period without activity.")))
    elif session.signed_out_reason == "lapsed":
        notice.append(muted(tr.gettext("Your session ended on the clinic. Please sign in again.")))
    errors = [problem_banner("console-sign-in-error", error)] if error else []
    column = ft.Column(
        width=420,
        spacing=16,
        horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
        controls=[
            ft.Row([ft.Icon(ft.Icons.SUPPORT_AGENT, size=36, color=ft.Colors.PRIMARY), heading("Waypoint")]),
            heading(tr.gettext("Staff console"), size=20),
            muted(tr.gettext("Sign in with your clinic staff account.")),
            *notice,
            tagged(
                "console-sign-in-username",
                form.field(
                    "username",
                    label=tr.gettext("Username"),
                    on_submit=submit,
                    autofocus=True,
                ),
            ),
            tagged(
                "console-sign-in-password",
                form.field(
                    "password",
                    label=tr.gettext("Password"),
                    password=hidden,
                    suffix_icon=icon_button(
                        ft.Icons.VISIBILITY_OUTLINED if hidden else ft.Icons.VISIBILITY_OFF_OUTLINED,
                        tr.gettext("Show password") if hidden else tr.gettext("Hide password"),
                        toggle,
                    ),
                    on_submit=submit,
                ),
            ),
            *errors,
            tagged(
                "console-sign-in-submit",
                ft.FilledButton(
                    content=tr.gettext("Signing in…") if busy else tr.gettext("Sign in"),
                    icon=ft.Icons.LOGIN,
                    disabled=busy,
                    on_click=submit,
                ),
            ),
            muted(tr.gettext("Clinic: {url}").format(url=session.clinic_url), size=12),
        ],
    )
    return tagged(
        "console-sign-in",
        ft.Container(expand=True, alignment=ft.Alignment.CENTER, padding=24, content=column),
        container=True,
        expand=True,
    )
