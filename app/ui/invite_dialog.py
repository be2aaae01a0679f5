"""The invitation form: who, what they may see, what for, until when, and the consent before it is sent."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import flet as ft

from app.domain.model import ShareScope
from app.state.sharing import MAX_DAYS, PRESET_DAYS, SharingState, end_of_day
from app.ui.context import Handler, use_app, use_tr
from app.ui.layout import card, choice, choice_row, muted, section, tagged
from app.ui.sharing_text import consent_preview, scope_label, share_problem
from flet_guard.form import use_form

# Which field a form problem belongs to: the message is drawn under that field, where a screen
# reader meets it (and the eye looks), instead of at the foot of a long form.
FIELD_OF_PROBLEM = {
    "share.name_missing": "name",
    "share.relationship_missing": "relationship",
    "share.purpose_missing": "purpose",
    "share.expiry_past": "until",
    "share.expiry_too_far": "until",
}


@ft.component
def InviteForm(state: SharingState) -> Any:
    tr = use_tr()
    app = use_app()
    form = use_form(**state.typed)  # as left before a visit to another screen
    scope = state.scope
    today = state.today
    until = state.chosen_until
    picking, set_picking = ft.use_state(False)
    problem_field = FIELD_OF_PROBLEM.get(state.problem or "")

    def typed(name: str) -> Handler:
        async def handler(e: Any) -> None:
            app.touch()
            text = form.typed(name, e)
            state.typed[name] = text  # kept in the screen's state; the consent names the person
            if problem_field == name and text.strip():
                state.problem = None

        return handler

    def pick_scope(value: ShareScope) -> Handler:
        async def handler(_e: Any) -> None:
            app.touch()
            state.scope = value

        return handler

    def preset(days: int) -> Handler:
        async def handler(_e: Any) -> None:
            app.touch()
            state.until = today + timedelta(days=days)

        return handler

    async def open_picker(_e: Any) -> None:
        set_picking(True)

    async def picked(e: Any) -> None:
        value = e.control.value
        if isinstance(value, datetime):
            state.until = value.date()
        elif isinstance(value, date):
            state.until = value
        set_picking(False)

    async def dismissed(_e: Any) -> None:
        set_picking(False)

    ft.use_dialog(
        ft.DatePicker(
            value=datetime.combine(until, datetime.min.time()),
            first_date=datetime.combine(today, datetime.min.time()),
            last_date=datetime.combine(today + timedelta(days=MAX_DAYS), datetime.min.time()),
            help_text=tr.gettext("Sharing ends on"),
            on_change=picked,
            on_dismiss=dismissed,
        )
        if picking
        else None
    )

    async def submit(_e: Any) -> None:
        app.touch()
        await state.create(state.draft())

    async def cancel(_e: Any) -> None:
        state.close()

    def field_error(name: str) -> str | None:
        return share_problem(tr, state.problem) if state.problem and problem_field == name else None

    def text_field(name: str, label: str, hint: str | None = None) -> ft.Control:
        return tagged(
            f"invite-{name}",
            form.bind(
                name,
                ft.TextField(
                    label=label,
                    hint_text=hint,
                    error=field_error(name),
                    error_max_lines=3,
                    on_change=typed(name),
                ),
            ),
        )

    chosen_days = (until - today).days
    presets = [
        choice(
            f"expiry-{days}",
            tr.ngettext("{n} day", "{n} days", days).format(n=tr.number(days))
            if days < 30
            else tr.ngettext("{n} month", "{n} months", days // 30).format(n=tr.number(days // 30))
            if days < 365
            else tr.gettext("1 year"),
            chosen_days == days,
            preset(days),
        )
        for days in PRESET_DAYS
    ]
    presets.append(
        choice("expiry-pick", tr.gettext("Pick a date"), chosen_days not in PRESET_DAYS, open_picker)
    )

    def error_here(identifier: str, message: str | None) -> list[ft.Control]:
        if message is None:
            return []
        text = ft.Text(message, color=ft.Colors.ERROR, size=15)
        return [tagged(identifier, text, live_region=True)]

    # A problem that is no field's (offline, the clinic refused) sits right above the buttons.
    other_problem = share_problem(tr, state.problem) if state.problem and problem_field is None else None
    consent = consent_preview(tr, scope, end_of_day(until, state.timezone), form["name"])
    return ft.Column(
        spacing=16,
        horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
        controls=[
            section(
                tr.gettext("Who"),
                [
                    text_field("name", tr.gettext("Their name")),
                    text_field(
                        "relationship",
                        tr.gettext("Who they are to you"),
                        tr.gettext("e.g. partner, mother, friend"),
                    ),
                ],
                stretch=True,
            ),
            section(
                tr.gettext("What they can see"),
                [
                    ft.Column(
                        spacing=8,
                        horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
                        controls=[
                            choice(f"scope-{s.value}", scope_label(tr, s), scope is s, pick_scope(s))
                            for s in ShareScope
                        ],
                    )
                ],
                stretch=True,
            ),
            section(
                tr.gettext("What it is for"),
                [
                    text_field(
                        "purpose", tr.gettext("Purpose"), tr.gettext("e.g. rides to my sessions, childcare")
                    )
                ],
                stretch=True,
            ),
            section(
                tr.gettext("Until when"),
                [
                    choice_row(presets),
                    tagged(
                        "invite-until",
                        muted(tr.gettext("Sharing ends on {date}.").format(date=tr.date(until, "full"))),
                    ),
                    *error_here("invite-until-error", field_error("until")),
                ],
                stretch=True,
            ),
            card(
                tagged(
                    "consent-preview",
                    ft.Column(
                        spacing=8,
                        controls=[
                            ft.Text(tr.gettext("What you agree to"), size=16, weight=ft.FontWeight.W_600),
                            *(ft.Text(line, size=15) for line in consent),
                        ],
                    ),
                ),
                bgcolor=ft.Colors.SECONDARY_CONTAINER,
            ),
            *error_here("invite-error", other_problem),
            ft.Row(
                wrap=True,
                spacing=8,
                controls=[
                    tagged(
                        "invite-submit",
                        ft.FilledButton(
                            content=tr.gettext("Creating…")
                            if state.busy
                            else tr.gettext("I agree: create the invitation"),
                            icon=ft.Icons.PERSON_ADD_ALT,
                            disabled=state.busy,
                            on_click=submit,
                        ),
                    ),
                    ft.TextButton(content=tr.gettext("Cancel"), on_click=cancel),
                ],
            ),
        ],
    )
