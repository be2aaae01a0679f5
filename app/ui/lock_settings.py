"""Settings → App lock: turn on with a PIN, choose the idle time, lock now, turn off."""

from __future__ import annotations

from typing import Any

import flet as ft

from app.ui.context import Handler, use_app, use_tr
from app.ui.layout import card, muted, tagged
from flet_guard.form import use_form

LOCK_CHOICES = (60, 300, 900)


@ft.component
def LockSettings() -> Any:
    tr = use_tr()
    app = use_app()
    form = use_form()

    async def enable(_e: Any) -> None:
        if await app.enable_lock(form["pin"], form["confirm"]):
            form.clear("pin", "confirm")
        elif app.problem == "pin.mismatch":
            form.clear("confirm")  # repeat it: hidden digits cannot be corrected where they are

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

    def pin_field(identifier: str, label: str, name: str) -> ft.Control:
        return tagged(
            identifier,
            form.field(
                name,
                then=lambda: app.pins_typed(form["pin"], form["confirm"]),
                label=label,
                password=True,
                max_length=8,
                keyboard_type=ft.KeyboardType.NUMBER,
            ),
        )

    return card(
        ft.Column(
            spacing=10,
            controls=[
                muted(
                    tr.gettext(
                        "Ask for a PIN when the app opens or after a while without use. "
                        "“Get help now” always works without it, and so does the support screen."
                    )
                ),
                pin_field("pin-new", tr.gettext("New PIN (4 to 8 digits)"), "pin"),
                pin_field("pin-confirm", tr.gettext("Repeat the PIN"), "confirm"),
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
