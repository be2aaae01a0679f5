"""The invitation form: who, what they may see, what for, until when, and the consent before it is sent."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import flet as ft

from app.domain.model import ShareScope
from app.state.sharing import DEFAULT_DAYS, MAX_DAYS, PRESET_DAYS, InviteDraft, SharingState, end_of_day
from app.ui.context import Handler, use_app, use_tr
from app.ui.form import use_form
from app.ui.layout import card, choice, muted, section, tagged
from app.ui.sharing_text import consent_preview, scope_label, share_problem


@ft.component
def InviteForm(state: SharingState) -> Any:
    tr = use_tr()
    app = use_app()
    form = use_form()
    scope, set_scope = ft.use_state(ShareScope.TIMES)
    today = state.today
    until, set_until = ft.use_state(today + timedelta(days=DEFAULT_DAYS))
    picking, set_picking = ft.use_state(False)

    def pick_scope(value: ShareScope) -> Handler:
        async def handler(_e: Any) -> None:
            app.touch()
            set_scope(value)

        return handler

    def preset(days: int) -> Handler:
        async def handler(_e: Any) -> None:
            app.touch()
            set_until(today + timedelta(days=days))

        return handler

    async def open_picker(_e: Any) -> None:
        set_picking(True)

    async def picked(e: Any) -> None:
        value = e.control.value
        if isinstance(value, datetime):
            set_until(value.date())
        elif isinstance(value, date):
            set_until(value)
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
        draft = InviteDraft(form["name"], form["relationship"], scope, form["purpose"], until)
        await state.create(draft)

    async def cancel(_e: Any) -> None:
        state.close()

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
    error = (
        [
            tagged(
                "invite-error",
                ft.Text(share_problem(tr, state.problem), color=ft.Colors.ERROR, size=15),
                live_region=True,
            )
        ]
        if state.problem
        else []
    )
    return ft.Column(
        spacing=16,
        horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
        controls=[
            section(
                tr.gettext("Who"),
                [
                    tagged(
                        "invite-name",
                        ft.TextField(
                            label=tr.gettext("Their name"),
                            value=form["name"],
                            key=form.key("name"),
                            on_change=form.on_change("name"),
                        ),
                    ),
                    tagged(
                        "invite-relationship",
                        ft.TextField(
                            label=tr.gettext("Who they are to you"),
                            hint_text=tr.gettext("e.g. partner, mother, friend"),
                            value=form["relationship"],
                            key=form.key("relationship"),
                            on_change=form.on_change("relationship"),
                        ),
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
                    tagged(
                        "invite-purpose",
                        ft.TextField(
                            label=tr.gettext("Purpose"),
                            hint_text=tr.gettext("e.g. rides to my sessions, childcare"),
                            value=form["purpose"],
                            key=form.key("purpose"),
                            on_change=form.on_change("purpose"),
                        ),
                    )
                ],
                stretch=True,
            ),
            section(
                tr.gettext("Until when"),
                [
                    ft.Row(wrap=True, spacing=8, run_spacing=8, controls=presets),
                    tagged(
                        "invite-until",
                        muted(tr.gettext("Sharing ends on {date}.").format(date=tr.date(until, "full"))),
                    ),
                ],
                stretch=True,
            ),
            card(
                tagged(
                    "consent-preview",
                    ft.Text(consent_preview(tr, scope, end_of_day(until, state.timezone)), size=15),
                ),
                bgcolor=ft.Colors.SECONDARY_CONTAINER,
            ),
            *error,
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
                            icon=ft.Icons.QR_CODE_2,
                            disabled=state.busy,
                            on_click=submit,
                        ),
                    ),
                    ft.TextButton(content=tr.gettext("Cancel"), on_click=cancel),
                ],
            ),
        ],
    )
