"""`Alert my care team` and what happened to the alert: queued → sent → seen by whom, when."""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any, cast

import flet as ft

from app.domain.alerts import alert_status, is_escalated, is_overdue
from app.domain.model import AlertState, Clinic, CrisisLines, SupportAlert, SyncStatus
from app.i18n import Translator
from app.platform.links import device_link
from app.ui.context import use_app, use_tr
from app.ui.crisis_buttons import pretty_number
from app.ui.layout import tagged
from app.ui.theme import OK_BG, OK_FG, WARN_BG, WARN_FG


def _answer(tr: Translator, clinic: Clinic | None, time: str) -> str:
    """How and when the care team answers, from the clinic's data: "They will call you from … by …"."""
    number = (clinic.answer_phone or clinic.phone) if clinic else None
    if clinic is not None and clinic.answer_channel == "text":
        if number:
            return tr.gettext("They will text you from {number} by {time}.").format(
                number=pretty_number(number), time=time
            )
        return tr.gettext("They will text you by {time}.").format(time=time)
    if number:
        return tr.gettext("They will call you from {number} by {time}.").format(
            number=pretty_number(number), time=time
        )
    return tr.gettext("They will answer by {time}.").format(time=time)


def alert_text(tr: Translator, alert: SupportAlert, now: datetime, clinic: Clinic | None = None) -> str:
    if alert.state is AlertState.QUEUED:
        return tr.gettext("Not sent yet — your care team does not know yet. Call now if you need help.")
    if alert.state is AlertState.SEEN:
        return tr.gettext("Seen by {name} at {time}.").format(
            name=alert.acknowledged_by or tr.gettext("your care team"),
            time=tr.time(alert.acknowledged_at or alert.created_at),
        )
    if is_escalated(alert):
        return tr.gettext(
            "No answer yet — we've alerted the on-call counsellor. Please call now if you need help."
        )
    if is_overdue(alert, now) and alert.expected_response_by:
        return tr.gettext("Sent, but no answer yet — it was expected by {time}. Please call now.").format(
            time=tr.time(alert.expected_response_by)
        )
    if alert.expected_response_by:
        return (
            tr.gettext("Sent to your care team.")
            + " "
            + _answer(tr, clinic, tr.time(alert.expected_response_by))
        )
    return tr.gettext("Sent to your care team.")


def retry_text(tr: Translator, tried_at: datetime, sync: SyncStatus, now: datetime) -> str:
    """What "Try sending again now" did: that it tried, and when the app tries again by itself."""
    tried = tr.gettext("Tried at {time}: it did not go through yet.").format(time=tr.time(tried_at))
    if sync.next_try is not None and sync.next_try > now:
        seconds = max(1, math.ceil((sync.next_try - now).total_seconds()))
        later = tr.ngettext(
            "Waypoint tries again by itself in {n} second, and keeps trying until it is sent.",
            "Waypoint tries again by itself in {n} seconds, and keeps trying until it is sent.",
            seconds,
        ).format(n=tr.number(seconds))
    else:
        later = tr.gettext("Waypoint keeps trying by itself every few seconds until it is sent.")
    return f"{tried} {later}"


def _overdue_call(tr: Translator, clinic: Clinic | None) -> ft.Control:
    """The call an overdue alert asks for, inside the alert's own panel: where the patient looks."""
    if clinic is not None and clinic.phone:
        label, url = tr.gettext("Call my clinic"), f"tel:{clinic.phone}"
    else:
        lifeline = (clinic.lines if clinic else CrisisLines()).lifeline
        label = tr.gettext("Call {number} Suicide & Crisis Lifeline").format(number=lifeline)
        url = f"tel:{lifeline}"
    return tagged(
        "alert-overdue-call",
        ft.Row(
            [
                ft.FilledButton(
                    content=label,
                    icon=ft.Icons.PHONE,
                    url=device_link(url),
                    expand=True,
                    style=ft.ButtonStyle(padding=ft.Padding.symmetric(horizontal=18, vertical=14)),
                )
            ]
        ),
    )


@ft.component
def AlertPanel(alert: SupportAlert | None, can_raise: bool = True, clinic: Clinic | None = None) -> Any:
    tr = use_tr()
    app = use_app()
    sending, set_sending = ft.use_state(False)
    trying, set_trying = ft.use_state(False)
    tried_at, set_tried_at = ft.use_state(cast(datetime | None, None))

    async def raise_alert(_e: ft.Event[Any]) -> None:
        set_sending(True)
        try:
            await app.raise_alert()
        finally:
            set_sending(False)

    async def retry(_e: ft.Event[Any]) -> None:
        set_trying(True)
        try:
            await app.sync_now()
        finally:
            set_trying(False)
            set_tried_at(app.clock())

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
        now = app.clock()
        status = alert_status(alert, now)
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
                                alert_text(tr, alert, now, clinic),
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
        if app.repeated_alert == alert.id and alert.state is not AlertState.SEEN:
            controls.append(
                tagged(
                    "alert-repeat",
                    ft.Text(
                        tr.gettext(
                            "You tapped again: it is the same alert as at {time}. "
                            "Your care team gets it once, not again."
                        ).format(time=tr.time(alert.created_at)),
                        size=15,
                    ),
                    live_region=True,
                )
            )
        if status.offers_call:
            controls.append(_overdue_call(tr, clinic))
        if status.can_retry:
            controls.append(
                tagged(
                    "alert-retry",
                    ft.TextButton(
                        content=tr.gettext("Trying…") if trying else tr.gettext("Try sending again now"),
                        icon=ft.Icons.REFRESH,
                        on_click=retry,
                        disabled=trying,
                    ),
                )
            )
            if tried_at is not None and not trying:
                controls.append(
                    tagged(
                        "alert-retry-result",
                        ft.Text(retry_text(tr, tried_at, app.sync, now), size=15),
                        live_region=True,
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
