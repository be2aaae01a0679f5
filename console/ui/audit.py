"""Audit for supervisors: who saw or changed which patient's what, filtered by one text field (patient, person
or action)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import flet as ft

from console.models import AuditEntry, Patient
from console.ui.common import (
    card,
    heading,
    muted,
    problem_banner,
    problem_text,
    tagged,
    use_session,
    use_tr,
    use_value,
)

PAGE = 200


def matching(
    entries: list[AuditEntry], query: str, label: Callable[[AuditEntry], tuple[str, ...]]
) -> list[AuditEntry]:
    """The entries one of whose labels (patient name, who, action) contains `query`, any case."""
    needle = query.strip().casefold()
    if not needle:
        return list(entries)
    return [e for e in entries if any(needle in text.casefold() for text in label(e))]


def only_patient(patients: tuple[Patient, ...], query: str) -> str:
    """The id of the one patient whose name contains `query` (their whole history is fetched), else ""."""
    needle = query.strip().casefold()
    found = [p.id for p in patients if needle and needle in p.display_name.casefold()]
    return found[0] if len(found) == 1 else ""


@ft.component
def AuditScreen() -> Any:
    tr = use_tr()
    session = use_session()
    entries_value, set_entries = use_value(None)
    entries: list[AuditEntry] | None = entries_value
    patients_value, set_patients = use_value(())
    patients: tuple[Patient, ...] = patients_value
    error, set_error = use_value("")
    query, set_query = ft.use_state("")
    # One patient named: that patient's whole history from the clinic (not only the newest page).
    patient_id = only_patient(patients, query)

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

    async def search(e: Any) -> None:
        session.touch()
        set_query(str(e.control.value or ""))

    names: dict[str, str] = {p.id: p.display_name for p in patients}
    me = session.client.tokens.account_id if session.client and session.client.tokens else None

    def who(e: AuditEntry) -> str:
        """The person where the console knows them (the signed-in staff member, a patient), else the role."""
        if e.actor_id and e.actor_id == me:
            return session.display_name
        if e.actor_id and e.actor_id in names:
            return names[e.actor_id]
        return f"{e.actor_role} {e.actor_id[:8]}" if e.actor_id else e.actor_role

    def patient_name(e: AuditEntry) -> str:
        return names.get(e.patient_id or "", e.patient_id or "—")

    shown = matching(entries or [], query, lambda e: (patient_name(e), who(e), e.action))
    filters = ft.Row(
        spacing=12,
        controls=[
            tagged(
                "console-audit-search",
                ft.TextField(
                    label=tr.gettext("Filter by patient, person or action"),
                    hint_text=tr.gettext("e.g. Alex, checkins"),
                    prefix_icon=ft.Icons.SEARCH,
                    value=query,  # handed back on every render, or the re-render empties the field
                    on_change=search,
                    on_submit=search,
                    width=420,
                ),
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
                ft.Text(patient_name(e), width=200),
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
        controls.append(
            tagged(
                "console-audit-count",
                muted(tr.ngettext("{n} entry", "{n} entries", len(shown)).format(n=len(shown))),
                live_region=True,
            )
        )
        controls.append(card(ft.Column(spacing=6, controls=[header, ft.Divider(), *lines])))
    return tagged(
        "console-audit",
        ft.ListView(expand=True, padding=24, spacing=12, controls=controls),
        container=True,
        expand=True,
    )
