"""`Alert my care team` and what happened to the alert: queued → sent → seen by whom, when."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import flet as ft

from app.domain.alerts import alert_status, is_overdue
from app.domain.model import AlertState, SupportAlert
from app.i18n import Translator
from app.ui.context import use_app, use_tr
from app.ui.layout import tagged
from app.ui.theme import OK_BG, OK_FG, WARN_BG, WARN_FG


def alert_text(tr: Translator, alert: SupportAlert, now: datetime) -> str:
    if alert.state is AlertState.QUEUED:
        return tr.gettext("Not sent yet — your care team does not know yet. Call now if you need help.")
    if alert.state is AlertState.SEEN:
        return tr.gettext("Seen by {name} at {time}.").format(
            name=alert.acknowledged_by or tr.gettext("your care team"),
            time=tr.time(alert.acknowledged_at or alert.created_at),
        )
    if is_overdue(alert, now) and alert.expected_response_by:
        return tr.gettext("Sent, but no answer yet — it was expected by {time}. Please call now.").format(
            time=tr.time(alert.expected_response_by)
        )
    if alert.expected_response_by:
        return tr.gettext("Sent to your care team. They will answer by {time}.").format(
            time=tr.time(alert.expected_response_by)
        )
    return tr.gettext("Sent to your care team.")


@ft.component
def AlertPanel(alert: SupportAlert | None, can_raise: bool = True) -> Any:
    tr = use_tr()
    app = use_app()
    sending, set_sending = ft.use_state(False)

    async def raise_alert(_e: ft.Event[Any]) -> None:
        set_sending(True)
        try:
            await app.raise_alert()
        finally:
            set_sending(False)

    async def retry(_e: ft.Event[Any]) -> None:
        await app.sync_now()

    raise_button: list[ft.Control] = [
        tagged(
            "alert-care-team",
            ft.Row(
                [
                    ft.FilledButton(
                        content=tr.gettext("Alert my care team"),
                        icon=ft.Icons.NOTIFICATIONS_ACTIVE_OUTLINED,
                        on_click=raise_alert,
                        disabled=sending,
                        expand=True,
                        style=ft.ButtonStyle(
                            bgcolor=ft.Colors.PRIMARY,
                            color=ft.Colors.ON_PRIMARY,
                            padding=ft.Padding.symmetric(horizontal=20, vertical=20),
                            text_style=ft.TextStyle(size=18, weight=ft.FontWeight.W_700),
                            shape=ft.RoundedRectangleBorder(radius=16),
                        ),
                    )
                ]
            ),
        ),
    ]
    controls: list[ft.Control] = raise_button if can_raise else []  # signed out: status only
    if alert is not None:
        status = alert_status(alert, app.clock())
        good = status.reassuring
        controls.append(
            tagged(
                "alert-status",
                ft.Container(
                    padding=12,
                    border_radius=12,
                    bgcolor=OK_BG if good else WARN_BG,
                    content=ft.Row(
                        [
                            ft.Icon(
                                ft.Icons.CHECK_CIRCLE if good else ft.Icons.SCHEDULE_SEND,
                                color=OK_FG if good else WARN_FG,
                            ),
                            ft.Text(
                                alert_text(tr, alert, app.clock()),
                                size=16,
                                color=OK_FG if good else WARN_FG,
                                expand=True,
                                weight=ft.FontWeight.W_600,
                            ),
                        ]
                    ),
                ),
                container=True,
                live_region=True,
            )
        )
        if status.can_retry:
            controls.append(
                tagged(
                    "alert-retry",
                    ft.TextButton(
                        content=tr.gettext("Try sending again now"), icon=ft.Icons.REFRESH, on_click=retry
                    ),
                )
            )
    elif can_raise:
        controls.append(
            ft.Text(
                tr.gettext("One tap lets your care team know you need help now."),
                size=14,
                color=ft.Colors.ON_SURFACE_VARIANT,
            )
        )
    return ft.Column(spacing=8, controls=controls)
