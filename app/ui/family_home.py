"""Family home: who shares a schedule with me, what ended, and a field for one more invitation code."""

from __future__ import annotations

from typing import Any

import flet as ft

from app.domain.model import SharedPatient
from app.ui.calendar_feed import FamilyCalendar
from app.ui.context import go, use_app, use_tr
from app.ui.family_context import use_family
from app.ui.family_notice import Notice
from app.ui.layout import card, muted, screen, section, tagged
from app.ui.sharing_text import ended_text, scope_label, share_problem
from app.ui.sync_line import SyncLine
from flet_guard.form import use_form


@ft.component
def PatientCard(patient: SharedPatient) -> Any:
    tr = use_tr().with_timezone(patient.timezone)

    async def open_week(_e: Any) -> None:
        go(f"/shared/{patient.share_id}")

    return tagged(
        f"family-patient-{patient.share_id}",
        ft.Container(
            padding=16,
            border_radius=16,
            bgcolor=ft.Colors.SURFACE_CONTAINER,
            ink=True,
            on_click=open_week,
            content=ft.Row(
                controls=[
                    ft.Icon(ft.Icons.CALENDAR_MONTH_OUTLINED, color=ft.Colors.PRIMARY),
                    ft.Column(
                        expand=True,
                        spacing=2,
                        controls=[
                            ft.Text(patient.patient_display_name, size=17, weight=ft.FontWeight.W_600),
                            ft.Text(scope_label(tr, patient.scope), size=14),
                            muted(
                                tr.gettext("Until {date}").format(date=tr.date(patient.expires_at, "long"))
                            ),
                        ],
                    ),
                    ft.Icon(ft.Icons.CHEVRON_RIGHT),
                ]
            ),
        ),
        button=True,
    )


@ft.component
def AccessEnded() -> Any:
    """Said once a share ended; the schedule is already erased, so no name is left to show."""
    tr = use_tr()
    state = use_family()

    async def dismiss(_e: Any) -> None:
        await state.dismiss_ended()

    return tagged(
        "access-ended",
        card(
            ft.Column(
                spacing=8,
                controls=[
                    ft.Row(
                        [
                            ft.Icon(ft.Icons.LOCK_CLOCK_OUTLINED, color=ft.Colors.ON_TERTIARY_CONTAINER),
                            ft.Text(tr.gettext("Access ended"), size=17, weight=ft.FontWeight.W_600),
                        ]
                    ),
                    ft.Text(ended_text(tr, [e.reason for e in state.ended]), size=15),
                    tagged("access-ended-dismiss", ft.TextButton(content=tr.gettext("OK"), on_click=dismiss)),
                ],
            ),
            bgcolor=ft.Colors.TERTIARY_CONTAINER,
        ),
        live_region=True,
    )


@ft.component
def AcceptCode() -> Any:
    tr = use_tr()
    app = use_app()
    state = use_family()
    form = use_form()

    async def accept(_e: Any) -> None:
        app.touch()
        if await state.accept(form["code"]):
            form.clear("code")

    notes: list[ft.Control] = []
    if state.problem:
        notes.append(ft.Text(share_problem(tr, state.problem), color=ft.Colors.ERROR, size=15))
    elif state.accepted is not None:
        notes.append(
            muted(
                tr.gettext("{name} now shares a schedule with you.").format(
                    name=state.accepted.patient_display_name
                )
            )
        )
    return ft.Column(
        spacing=8,
        horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
        controls=[
            tagged(
                "family-accept-code",
                form.field(
                    "code",
                    label=tr.gettext("Invitation code"),
                    hint_text="K7P-4QX-9MD",
                    capitalization=ft.TextCapitalization.CHARACTERS,
                    on_submit=accept,
                ),
            ),
            *notes,
            ft.Row(
                [
                    tagged(
                        "family-accept",
                        ft.OutlinedButton(
                            content=tr.gettext("Adding…") if state.busy else tr.gettext("Add"),
                            icon=ft.Icons.ADD,
                            disabled=state.busy,
                            on_click=accept,
                        ),
                    )
                ]
            ),
        ],
    )


@ft.component
def FamilyHome() -> Any:
    tr = use_tr()
    app = use_app()
    state = use_family()
    ft.use_effect(state.load, dependencies=[app.revision])
    people: list[ft.Control] = [PatientCard(p) for p in state.patients] or [
        muted(tr.gettext("No one shares a schedule with you right now."))
    ]
    body = screen(
        tr.gettext("Shared with me"),
        [
            SyncLine(),
            *([AccessEnded()] if state.ended else []),
            section(tr.gettext("People who share their schedule with you"), people, stretch=True),
            *(
                [section(tr.gettext("Add to my calendar"), [FamilyCalendar(p) for p in state.patients], True)]
                if state.patients
                else []
            ),
            section(tr.gettext("Got another invitation?"), [AcceptCode()], stretch=True),
            muted(
                tr.gettext(
                    "You see only what each person chose to share, for as long as they choose. "
                    "What you see here is confidential: do not pass it on."
                )
            ),
        ],
        "family-home",
    )
    if not state.patients:
        return body
    return ft.Column(expand=True, spacing=0, controls=[Notice(state.patients[0]), body])
