"""Settings → Reminders: before a session (off/15/30/60 min), the daily check-in nudge, assignments due."""

from __future__ import annotations

from typing import Any

import flet as ft

from app.domain.reminders import CHECKIN_HOURS, SESSION_CHOICES
from app.state.reminders import save_reminder_settings
from app.ui.context import Handler, use_app, use_tr
from app.ui.layout import choice, choice_row, muted, tagged
from app.ui.reminder_text import session_minutes_label


def _switch(identifier: str, on: bool, label: str, handler: Handler) -> ft.Control:
    return tagged(
        identifier,
        ft.MergeSemantics(
            content=ft.Row([ft.Switch(value=on, on_change=handler), ft.Text(label, size=15, expand=True)])
        ),
    )


@ft.component
def ReminderSettings() -> Any:
    tr = use_tr()
    app = use_app()
    prefs = app.prefs

    def minutes(value: int) -> Handler:
        async def handler(_e: Any) -> None:
            await save_reminder_settings(app, session_minutes=value)

        return handler

    def hour(value: int) -> Handler:
        async def handler(_e: Any) -> None:
            await save_reminder_settings(app, checkin_hour=value)

        return handler

    async def nudge(e: Any) -> None:
        await save_reminder_settings(app, checkin_nudge=bool(e.control.value))

    async def assignments(e: Any) -> None:
        await save_reminder_settings(app, assignments=bool(e.control.value))

    hours = (
        [
            ft.Text(tr.gettext("From"), size=15),
            choice_row(
                [
                    choice(
                        f"reminder-checkin-{h}",
                        tr.time(app.clock().astimezone(tr.tz).replace(hour=h, minute=0)),
                        prefs.checkin_nudge_hour == h,
                        hour(h),
                    )
                    for h in CHECKIN_HOURS
                ],
            ),
        ]
        if prefs.checkin_nudge
        else []
    )
    return ft.Column(
        spacing=8,
        controls=[
            muted(
                tr.gettext(
                    "Shown in the app while it is open. For reminders on your phone, "
                    "add your sessions to its calendar."
                )
            ),
            ft.Text(tr.gettext("Before a session"), size=15, weight=ft.FontWeight.W_600),
            choice_row(
                [
                    choice(
                        f"reminder-session-{m}",
                        session_minutes_label(tr, m),
                        prefs.session_reminder_minutes == m,
                        minutes(m),
                    )
                    for m in SESSION_CHOICES
                ],
            ),
            _switch(
                "reminder-checkin", prefs.checkin_nudge, tr.gettext("Remind me of the daily check-in"), nudge
            ),
            *hours,
            _switch(
                "reminder-assignments",
                prefs.assignment_reminder,
                tr.gettext("Remind me of assignments due tomorrow"),
                assignments,
            ),
        ],
    )
