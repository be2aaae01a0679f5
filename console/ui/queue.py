"""The queue (first screen): support alerts (red, on top) and check-in flags (amber), live.

Unanswered first, newest first; each card says who, why, how long it has waited (ticking), the
escalation step ("—" until the clinic has an escalation ladder), and whether the alert came with
the patient's session or only the device's signature. Acknowledging asks for the outcome.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

import flet as ft

from console.i18n import N_, Translator
from console.models import OUTCOMES, Outcome, QueueItem
from console.ui.common import (
    AMBER,
    AMBER_BG,
    GREEN,
    RED,
    RED_BG,
    card,
    heading,
    keyed,
    muted,
    problem_banner,
    problem_text,
    tagged,
    use_session,
    use_tr,
    use_value,
)
from flet_guard.form import use_form

REASONS = {
    "support": N_("Asked for help now"),
    "used": N_("Used alcohol or drugs"),
    "contact": N_("Asked to be contacted today"),
    "craving": N_("Strong craving"),
    "phq2": N_("PHQ-2 (depression) at or over the threshold"),
    "gad2": N_("GAD-2 (anxiety) at or over the threshold"),
    "missed_checkins": N_("Missed daily check-ins"),
}
OUTCOME_LABELS: dict[str, str] = {
    "safe": N_("Called — safe"),
    "no_answer": N_("Called — no answer"),
    "emergency": N_("Sent to emergency care"),
    "other": N_("Other (see note)"),
}
FROM_APP = N_("from the app")
SOURCES = {
    "session": N_("from the app, signed in"),
    "device_key": N_("from the app, device signature only"),
}
SESSION_STATES = {
    "active": N_("session active"),
    "expired": N_("session expired"),
    "revoked": N_("device signed out"),
}


def reasons_text(tr: Translator, item: QueueItem) -> str:
    return ", ".join(tr.gettext(REASONS[r]) if r in REASONS else r for r in item.reasons)


def source_text(tr: Translator, item: QueueItem) -> str:
    if item.kind == "flag":
        return tr.gettext("from a daily or weekly check-in")
    source = tr.gettext(SOURCES.get(item.authenticated_by or "", FROM_APP))
    if item.session_state and item.session_state != "active":
        return f"{source} ({tr.gettext(SESSION_STATES.get(item.session_state, item.session_state))})"
    return source


def escalation_text(tr: Translator, item: QueueItem) -> str:
    if not item.escalation_step:
        return tr.gettext("Escalation: —")
    return tr.gettext("Escalation: step {step}, {to} alerted").format(
        step=item.escalation_step, to=item.escalated_to or "—"
    )


def escalation_line(tr: Translator, item: QueueItem) -> ft.Control:
    text = escalation_text(tr, item)
    if item.escalation_step and item.open:
        return ft.Text(text, weight=ft.FontWeight.W_700, color=RED)
    return muted(text)


@ft.component
def AckPanel(item: QueueItem, on_done: Any) -> Any:
    tr = use_tr()
    session = use_session()
    form = use_form()
    outcome, set_outcome = use_value("" if item.kind == "alert" else "other")
    error, set_error = ft.use_state("")
    busy, set_busy = ft.use_state(False)

    async def confirm(_e: Any) -> None:
        if busy:
            return
        if outcome not in OUTCOMES:
            set_error(tr.gettext("Choose what happened."))
            return
        if outcome == "other" and item.kind == "alert" and not form["note"].strip():
            set_error(tr.gettext("Write a short note about what happened."))
            return
        set_busy(True)
        try:
            chosen: Outcome = outcome
            await session.acknowledge(item, chosen, form["note"])
        except Exception as exc:
            set_error(problem_text(tr, exc))
            set_busy(False)
            return
        set_busy(False)
        on_done()

    def choose(value: str) -> Any:
        async def handler(_e: Any) -> None:
            session.touch()
            set_outcome(value)
            set_error("")

        return handler

    choices: list[ft.Control] = []
    if item.kind == "alert":
        for value in OUTCOMES:
            kind = ft.FilledButton if value == outcome else ft.OutlinedButton
            choices.append(
                tagged(
                    f"console-outcome-{value}-{item.id}",
                    kind(content=tr.gettext(OUTCOME_LABELS[value]), on_click=choose(value)),
                    selected=value == outcome,
                )
            )
    controls: list[ft.Control] = []
    if choices:
        controls.append(muted(tr.gettext("What happened?")))
        controls.append(ft.Row(wrap=True, spacing=8, run_spacing=8, controls=choices))
    controls.append(
        tagged(
            f"console-ack-note-{item.id}",
            form.field(
                "note",
                label=tr.gettext("Note (optional)"),
                multiline=True,
                min_lines=1,
                max_lines=4,
                max_length=2000,
            ),
        )
    )
    if error:
        controls.append(problem_banner(f"console-ack-error-{item.id}", error))
    controls.append(
        ft.Row(
            spacing=8,
            controls=[
                tagged(
                    f"console-ack-confirm-{item.id}",
                    ft.FilledButton(
                        content=tr.gettext("Saving…") if busy else tr.gettext("Acknowledge"),
                        icon=ft.Icons.CHECK,
                        disabled=busy,
                        on_click=confirm,
                    ),
                ),
                ft.TextButton(content=tr.gettext("Cancel"), on_click=lambda _e: on_done()),
            ],
        )
    )
    return ft.Column(spacing=10, controls=controls)


@ft.component
def QueueCard(item: QueueItem, now: datetime, open_ack: str | None, set_open_ack: Any) -> Any:
    tr = use_tr()
    is_alert = item.kind == "alert"
    colour, background = (RED, RED_BG) if is_alert else (AMBER, AMBER_BG)
    if not item.open:
        colour, background = GREEN, ft.Colors.SURFACE_CONTAINER
    kind_text = tr.gettext("Support alert") if is_alert else tr.gettext("Check-in flag")
    if not is_alert and item.severity == "high":
        kind_text = tr.gettext("Check-in flag — high")
    waited = tr.waited(now - item.created_at)
    if item.open:
        state = tr.gettext("Waiting {time}").format(time=waited)
    else:
        by = item.acknowledged_by or "—"
        at = tr.datetime(item.acknowledged_at) if item.acknowledged_at else ""
        state = tr.gettext("Acknowledged by {name} {at}").format(name=by, at=at).strip()
    details = [
        ft.Text(reasons_text(tr, item), size=15),
        muted(
            tr.gettext("Raised {at} · {source}").format(
                at=tr.datetime(item.created_at), source=source_text(tr, item)
            )
        ),
        escalation_line(tr, item),
    ]
    if not item.open and item.outcome:
        details.append(
            ft.Text(
                tr.gettext("Outcome: {outcome}").format(
                    outcome=tr.gettext(OUTCOME_LABELS.get(item.outcome, item.outcome))
                ),
                weight=ft.FontWeight.W_600,
            )
        )
    if not item.open and item.note:
        details.append(muted(tr.gettext("Note: {note}").format(note=item.note)))
    status = tagged(
        f"console-status-{item.id}",
        ft.Text(state, weight=ft.FontWeight.W_700, color=colour),
        live_region=True,
    )
    actions: list[ft.Control] = []
    if item.open and open_ack != item.key:

        async def start(_e: Any) -> None:
            set_open_ack(item.key)

        actions.append(
            tagged(
                f"console-ack-{item.id}",
                ft.FilledButton(
                    content=tr.gettext("Acknowledge…"),
                    icon=ft.Icons.PHONE_IN_TALK,
                    on_click=start,
                    style=ft.ButtonStyle(bgcolor=colour, color=ft.Colors.WHITE),
                ),
            )
        )
    body: list[ft.Control] = [
        ft.Row(
            alignment=ft.MainAxisAlignment.SPACE_BETWEEN,
            vertical_alignment=ft.CrossAxisAlignment.START,
            controls=[
                ft.Column(
                    expand=True,
                    spacing=4,
                    controls=[
                        ft.Row(
                            spacing=8,
                            controls=[
                                ft.Icon(
                                    ft.Icons.WARNING_ROUNDED if is_alert else ft.Icons.FLAG,
                                    color=colour,
                                    semantics_label=kind_text,
                                ),
                                ft.Text(kind_text, color=colour, weight=ft.FontWeight.W_700),
                                ft.Text(item.patient_name, size=18, weight=ft.FontWeight.W_700),
                            ],
                        ),
                        *details,
                    ],
                ),
                ft.Column(horizontal_alignment=ft.CrossAxisAlignment.END, controls=[status, *actions]),
            ],
        )
    ]
    if item.open and open_ack == item.key:
        body.append(keyed(AckPanel, item, lambda: set_open_ack(None), key=f"ack-{item.key}"))
    return tagged(
        f"console-{item.kind}-{item.id}",
        card(
            ft.Column(spacing=8, controls=body),
            bgcolor=background if item.open else None,
            border=colour if item.open else None,
        ),
        container=True,
    )


@ft.component
def QueueScreen() -> Any:
    tr = use_tr()
    session = use_session()
    now, set_now = use_value(datetime.now(UTC))
    open_ack, set_open_ack = use_value(None)

    async def tick() -> None:
        while True:
            await asyncio.sleep(1.0)
            set_now(datetime.now(UTC))

    task: Any = ft.use_ref(None)

    def start() -> None:
        task.current = asyncio.get_running_loop().create_task(tick())

    def stop() -> None:
        if task.current is not None:
            task.current.cancel()

    ft.use_effect(start, dependencies=[], cleanup=stop)

    items = session.items()
    open_items = [i for i in items if i.open]
    link = {
        "live": tr.gettext("Live"),
        "connecting": tr.gettext("Reconnecting…"),
        "offline": tr.gettext("Not connected"),
    }[session.link]
    header = ft.Row(
        alignment=ft.MainAxisAlignment.SPACE_BETWEEN,
        controls=[
            heading(tr.gettext("Queue")),
            ft.Row(
                controls=[
                    muted(
                        tr.ngettext("{n} waiting", "{n} waiting", len(open_items)).format(n=len(open_items))
                    ),
                    tagged(
                        "console-link",
                        ft.Container(
                            padding=ft.Padding.symmetric(horizontal=10, vertical=4),
                            border_radius=12,
                            bgcolor=ft.Colors.SURFACE_CONTAINER_HIGHEST,
                            content=ft.Text(link, color=GREEN if session.link == "live" else AMBER),
                        ),
                        live_region=True,
                    ),
                ]
            ),
        ],
    )
    controls: list[ft.Control] = [header]
    if not session.flags_available:
        controls.append(muted(tr.gettext("Check-in flags appear here once the clinic sends them.")))
    if not items:
        controls.append(card(ft.Text(tr.gettext("Nothing waiting. New alerts appear here at once."))))
    controls.extend(keyed(QueueCard, i, now, open_ack, set_open_ack, key=i.key) for i in items)
    return tagged(
        "console-queue",
        ft.ListView(expand=True, padding=24, spacing=12, controls=controls),
        container=True,
        expand=True,
    )
