"""Sharing (patient): who can see what until when, revoke with one tap (and a confirm), make an invitation."""

from __future__ import annotations

import asyncio
from typing import Any

import flet as ft

from app.domain.model import Share
from app.state.sharing import SharingState
from app.ui.context import use_app, use_screens, use_tr
from app.ui.invite_code import InviteCode
from app.ui.invite_dialog import InviteForm
from app.ui.layout import card, muted, screen, section, tagged
from app.ui.sharing_text import scope_label, share_problem


@ft.component
def ShareCard(state: SharingState, share: Share) -> Any:
    tr = use_tr()
    app = use_app()
    confirming = state.confirming == share.id

    async def ask(_e: Any) -> None:
        app.touch()
        state.ask_revoke(share.id)

    async def confirm(_e: Any) -> None:
        app.touch()
        await state.revoke(share.id)

    async def cancel(_e: Any) -> None:
        state.cancel_revoke()

    if share.status == "active" and share.accepted_at is not None:
        status = tr.gettext("Can see your schedule since {date}.").format(date=tr.date(share.accepted_at))
    elif share.status == "active":
        status = tr.gettext("Can see your schedule.")
    else:
        status = tr.gettext("Has not used the invitation yet.")
    lines: list[ft.Control] = [
        ft.Text(
            tr.gettext("{name} · {relationship}").format(
                name=share.recipient_name, relationship=share.relationship
            ),
            size=17,
            weight=ft.FontWeight.W_600,
        ),
        ft.Text(scope_label(tr, share.scope), size=15),
        muted(tr.gettext("For: {purpose}").format(purpose=share.purpose)),
        muted(tr.gettext("Until {date}").format(date=tr.date(share.expires_at, "long"))),
        muted(status),
    ]
    if confirming:
        lines += [
            ft.Text(
                tr.gettext(
                    "Stop sharing with {name}? They lose access the next time their app connects, "
                    "and what it saved is erased."
                ).format(name=share.recipient_name),
                size=15,
            ),
            ft.Row(
                wrap=True,
                spacing=8,
                controls=[
                    tagged(
                        f"revoke-confirm-{share.id}",
                        ft.FilledButton(
                            content=tr.gettext("Stopping…")
                            if state.busy
                            else tr.gettext("Yes, stop sharing"),
                            icon=ft.Icons.BLOCK,
                            disabled=state.busy,
                            style=ft.ButtonStyle(bgcolor=ft.Colors.ERROR, color=ft.Colors.ON_ERROR),
                            on_click=confirm,
                        ),
                    ),
                    ft.TextButton(content=tr.gettext("Keep sharing"), on_click=cancel),
                ],
            ),
        ]
    else:
        lines.append(
            tagged(
                f"revoke-{share.id}",
                ft.OutlinedButton(content=tr.gettext("Stop sharing"), icon=ft.Icons.BLOCK, on_click=ask),
            )
        )
    return tagged(f"share-{share.id}", card(ft.Column(spacing=6, controls=lines)), container=True)


@ft.component
def SharingScreen() -> Any:
    tr = use_tr()
    app = use_app()
    state = use_screens().sharing  # kept while the patient visits other screens (a half-filled form)
    ft.use_state(state)  # re-render when the sharing state changes
    ft.use_effect(state.load, dependencies=[app.revision])
    follower: Any = ft.use_ref(None)

    def follow() -> None:
        follower.current = asyncio.create_task(state.follow(app.services.sync.sync_now))

    def stop_following() -> None:
        task, follower.current = follower.current, None
        if task is not None:
            task.cancel()

    ft.use_effect(follow, dependencies=[], cleanup=stop_following)

    async def compose(_e: Any) -> None:
        app.touch()
        state.compose()

    if state.created is not None:
        return screen(tr.gettext("Invitation ready"), [InviteCode(state, state.created)], "sharing-screen")
    if state.composing:
        return screen(tr.gettext("Invite someone"), [InviteForm(state)], "sharing-screen")
    listing: list[ft.Control] = [ShareCard(state, s) for s in state.shares] or [
        muted(tr.gettext("You are not sharing your schedule with anyone."))
    ]
    error = (
        [ft.Text(share_problem(tr, state.problem), color=ft.Colors.ERROR, size=15)] if state.problem else []
    )
    return screen(
        tr.gettext("Sharing"),
        [
            muted(
                tr.gettext(
                    "Let someone you trust see your schedule, to plan rides, childcare or family sessions. "
                    "You choose what they see and until when, and you can stop at any time."
                )
            ),
            tagged(
                "create-invite",
                ft.FilledButton(
                    content=tr.gettext("Invite someone"), icon=ft.Icons.PERSON_ADD_ALT, on_click=compose
                ),
            ),
            *error,
            section(
                tr.gettext("Who can see your schedule"),
                [ft.Column(spacing=12, horizontal_alignment=ft.CrossAxisAlignment.STRETCH, controls=listing)],
                stretch=True,
            ),
        ],
        "sharing-screen",
    )
