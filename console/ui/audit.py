"""Audit for supervisors: who saw or changed which patient's what, filterable by patient and action."""

from __future__ import annotations

from typing import Any

import flet as ft

from console.models import AuditEntry, Patient
from console.ui.common import (
    Form,
    card,
    heading,
    muted,
    problem_banner,
    problem_text,
    tagged,
    use_once,
    use_session,
    use_tr,
    use_value,
)

PAGE = 200


@ft.component
def AuditScreen() -> Any:
    tr = use_tr()
    session = use_session()
    entries_value, set_entries = use_value(None)
    entries: list[AuditEntry] | None = entries_value
    patients_value, set_patients = use_value(())
    patients: tuple[Patient, ...] = patients_value
    patient_id, set_patient_id = use_value("")
    error, set_error = use_value("")
    form = use_once(Form)
    action_filter, set_action_filter = ft.use_state("")

    async def load() -> None:
        client = session.client
        if client is None:
            return
        try:
            if not patients:
                set_patients(tuple(await client.patients()))
            set_entries(await client.audit(patient_id or None, limit=PAGE))
            set_error("")
        except Exception as exc:
            set_error(problem_text(tr, exc))

    ft.use_effect(load, dependencies=[patient_id])

    def choose_patient(key: str) -> Any:
        async def handler(_e: Any) -> None:
            session.touch()
            set_patient_id("" if key == "all" else key)

        return handler

    async def apply_action(_e: Any) -> None:
        session.touch()
        set_action_filter(form["action"].strip().lower())

    names: dict[str, str] = {p.id: p.display_name for p in patients}
    me = session.client.tokens.account_id if session.client and session.client.tokens else None

    def who(e: AuditEntry) -> str:
        """The person where the console knows them (the signed-in staff member, a patient), else the role."""
        if e.actor_id and e.actor_id == me:
            return session.display_name
        if e.actor_id and e.actor_id in names:
            return names[e.actor_id]
        return f"{e.actor_role} {e.actor_id[:8]}" if e.actor_id else e.actor_role

    shown: list[AuditEntry] = [e for e in entries or [] if action_filter in e.action.lower()]
    choices = [("all", tr.gettext("All patients")), *((p.id, p.display_name) for p in patients)]
    filters = ft.Column(
        spacing=8,
        controls=[
            tagged(
                "console-audit-patient",
                ft.Row(
                    wrap=True,
                    spacing=6,
                    controls=[
                        tagged(
                            f"console-audit-patient-{key}",
                            (ft.FilledTonalButton if key == (patient_id or "all") else ft.TextButton)(
                                content=text, on_click=choose_patient(key)
                            ),
                            selected=key == (patient_id or "all"),
                        )
                        for key, text in choices
                    ],
                ),
                container=True,
            ),
            ft.Row(
                spacing=12,
                controls=[
                    tagged(
                        "console-audit-action",
                        ft.TextField(
                            label=tr.gettext("Action contains"),
                            value=form["action"],
                            on_change=form.on_change("action"),
                            on_submit=apply_action,
                            width=260,
                        ),
                    ),
                    tagged(
                        "console-audit-filter",
                        ft.OutlinedButton(content=tr.gettext("Filter"), on_click=apply_action),
                    ),
                ],
            ),
        ],
    )
    header = ft.Row(
        controls=[
            ft.Text(tr.gettext("When"), width=200, weight=ft.FontWeight.W_700),
            ft.Text(tr.gettext("Who"), width=180, weight=ft.FontWeight.W_700),
            ft.Text(tr.gettext("Patient"), width=200, weight=ft.FontWeight.W_700),
            ft.Text(tr.gettext("What"), expand=True, weight=ft.FontWeight.W_700),
        ]
    )
    lines: list[ft.Control] = [
        ft.Row(
            controls=[
                ft.Text(tr.datetime(e.at), width=200),
                ft.Text(who(e), width=180),
                ft.Text(names.get(e.patient_id or "", e.patient_id or "—"), width=200),
                ft.Text(e.action, expand=True),
            ]
        )
        for e in shown
    ]
    controls: list[ft.Control] = [
        heading(tr.gettext("Audit")),
        muted(
            tr.gettext(
                "Every read and change of a patient's records, newest first. "
                "The console's own reads are here too."
            )
        ),
        filters,
    ]
    if error:
        controls.append(problem_banner("console-audit-error", error))
    if entries is None and not error:
        controls.append(muted(tr.gettext("Loading…")))
    elif entries is not None:
        controls.append(muted(tr.ngettext("{n} entry", "{n} entries", len(shown)).format(n=len(shown))))
        controls.append(card(ft.Column(spacing=6, controls=[header, ft.Divider(), *lines])))
    return tagged(
        "console-audit",
        ft.ListView(expand=True, padding=24, spacing=12, controls=controls),
        container=True,
        expand=True,
    )
