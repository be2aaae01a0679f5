"""Settings: language, appearance, discreet mode, app lock, sync now, sign out (which wipes the device)."""

from __future__ import annotations

from typing import Any

import flet as ft

from app.domain.model import Role
from app.i18n import languages
from app.ui.calendar_feed import PatientCalendar
from app.ui.context import Handler, use_app, use_tr
from app.ui.layout import choice, choice_row, screen, section, tagged
from app.ui.lock_settings import LockSettings
from app.ui.reminder_settings import ReminderSettings
from app.ui.sign_out import SignOut
from app.ui.sync_line import SyncLine


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

    patient = app.account is not None and app.account.role is Role.PATIENT
    # The patient's own schedule; a family member adds each shared schedule from their home screen.
    own = (
        [
            section(tr.gettext("Add to my calendar"), [PatientCalendar()], stretch=True),
            section(tr.gettext("Reminders"), [ReminderSettings()]),
        ]
        if patient
        else []
    )
    looks = ((None, tr.gettext("Like my device")), (False, tr.gettext("Light")), (True, tr.gettext("Dark")))
    return screen(
        tr.gettext("Settings"),
        [
            section(
                tr.gettext("Language"),
                [
                    choice_row(
                        [
                            choice(f"lang-{code}", name, app.language == code, language(code))
                            for code, name in languages()  # endonyms: not translated
                        ],
                    )
                ],
            ),
            section(
                tr.gettext("Appearance"),
                [
                    choice_row(
                        [
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
            section(tr.gettext("App lock"), [LockSettings()]),  # with Privacy: what keeps others out
            *own,
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
