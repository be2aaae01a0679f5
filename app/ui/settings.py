"""Settings: language, appearance, discreet mode, app lock, sync now, sign out (which wipes the device)."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

import flet as ft

from app.i18n import languages
from app.ui.context import use_app, use_tr
from app.ui.form import use_form
from app.ui.layout import card, muted, screen, section, tagged
from app.ui.sync_line import SyncLine

Handler = Callable[[Any], Coroutine[Any, Any, None]]
LOCK_CHOICES = (60, 300, 900)


@ft.component
def LockSettings() -> Any:
    tr = use_tr()
    app = use_app()
    form = use_form()

    async def enable(_e: Any) -> None:
        if await app.enable_lock(form["pin"], form["confirm"]):
            form.clear("pin", "confirm")

    async def disable(_e: Any) -> None:
        await app.disable_lock()

    async def lock_now(_e: Any) -> None:
        app.locked = True

    def choose(seconds: int) -> Handler:
        async def handler(_e: Any) -> None:
            await app.set_lock_after(seconds)

        return handler

    if app.prefs.lock_enabled:
        minutes: list[ft.Control] = [
            tagged(
                f"lock-after-{s}",
                (ft.FilledButton if app.prefs.lock_after_seconds == s else ft.OutlinedButton)(
                    content=tr.ngettext("{n} minute", "{n} minutes", s // 60).format(n=tr.number(s // 60)),
                    on_click=choose(s),
                ),
            )
            for s in LOCK_CHOICES
        ]
        return card(
            ft.Column(
                spacing=10,
                controls=[
                    ft.Row(
                        [
                            ft.Icon(ft.Icons.LOCK_OUTLINE),
                            ft.Text(tr.gettext("App lock is on"), size=16, expand=True),
                        ]
                    ),
                    muted(tr.gettext("Lock after I have not used the app for:")),
                    ft.Row(wrap=True, spacing=8, controls=minutes),
                    ft.Row(
                        wrap=True,
                        spacing=8,
                        controls=[
                            tagged(
                                "lock-now",
                                ft.OutlinedButton(
                                    content=tr.gettext("Lock now"), icon=ft.Icons.LOCK, on_click=lock_now
                                ),
                            ),
                            ft.TextButton(content=tr.gettext("Turn off app lock"), on_click=disable),
                        ],
                    ),
                ],
            )
        )
    error = [ft.Text(tr.problem(app.problem), color=ft.Colors.ERROR)] if app.problem else []
    return card(
        ft.Column(
            spacing=10,
            controls=[
                muted(
                    tr.gettext(
                        "Ask for a PIN when the app opens or after a while without use. "
                        "The support button always works without it."
                    )
                ),
                tagged(
                    "pin-new",
                    ft.TextField(
                        label=tr.gettext("New PIN (4 to 8 digits)"),
                        password=True,
                        key=form.key("pin"),
                        max_length=8,
                        keyboard_type=ft.KeyboardType.NUMBER,
                        on_change=form.on_change("pin"),
                    ),
                ),
                tagged(
                    "pin-confirm",
                    ft.TextField(
                        label=tr.gettext("Repeat the PIN"),
                        password=True,
                        key=form.key("confirm"),
                        max_length=8,
                        keyboard_type=ft.KeyboardType.NUMBER,
                        on_change=form.on_change("confirm"),
                    ),
                ),
                *error,
                tagged(
                    "lock-enable",
                    ft.FilledButton(
                        content=tr.gettext("Turn on app lock"), icon=ft.Icons.LOCK_OUTLINE, on_click=enable
                    ),
                ),
            ],
        )
    )


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


@ft.component
def SettingsScreen() -> Any:
    tr = use_tr()
    app = use_app()

    def language(code: str) -> Handler:
        async def handler(_e: Any) -> None:
            await app.set_language(code)

        return handler

    def appearance(dark: bool | None) -> Handler:
        async def handler(_e: Any) -> None:
            await app.set_dark(dark)

        return handler

    async def discreet(e: Any) -> None:
        await app.set_discreet(bool(e.control.value))

    async def sync_now(_e: Any) -> None:
        await app.sync_now()

    def choice(identifier: str, label: str, chosen: bool, handler: Handler) -> ft.Control:
        kind = ft.FilledButton if chosen else ft.OutlinedButton
        return tagged(identifier, kind(content=label, on_click=handler), selected=chosen)

    looks = ((None, tr.gettext("Like my device")), (False, tr.gettext("Light")), (True, tr.gettext("Dark")))
    return screen(
        tr.gettext("Settings"),
        [
            section(
                tr.gettext("Language"),
                [
                    ft.Row(
                        wrap=True,
                        spacing=8,
                        run_spacing=8,
                        controls=[
                            choice(f"lang-{code}", name, app.language == code, language(code))
                            for code, name in languages()  # endonyms: not translated
                        ],
                    )
                ],
            ),
            section(
                tr.gettext("Appearance"),
                [
                    ft.Row(
                        wrap=True,
                        spacing=8,
                        run_spacing=8,
                        controls=[
                            choice(
                                f"theme-{value}".lower(), label, app.prefs.dark is value, appearance(value)
                            )
                            for value, label in looks
                        ],
                    )
                ],
            ),
            section(
                tr.gettext("Privacy"),
                [
                    tagged(
                        "discreet-mode",
                        ft.MergeSemantics(
                            content=ft.Row(
                                [
                                    ft.Switch(value=app.prefs.discreet, on_change=discreet),
                                    ft.Text(
                                        tr.gettext("Discreet mode: the window title says only “Waypoint”"),
                                        size=15,
                                        expand=True,
                                    ),
                                ]
                            )
                        ),
                    ),
                ],
            ),
            section(tr.gettext("App lock"), [LockSettings()]),
            section(
                tr.gettext("Sync"),
                [
                    SyncLine(),
                    tagged(
                        "sync-now",
                        ft.OutlinedButton(
                            content=tr.gettext("Sync now"), icon=ft.Icons.SYNC, on_click=sync_now
                        ),
                    ),
                ],
            ),
            section(tr.gettext("Account"), [SignOut()]),
        ],
    )
