"""The one-time invitation code, as text and as a QR code, with the consent it carries in plain words."""

from __future__ import annotations

import io
from typing import Any

import flet as ft
import segno

from app.domain.model import Share
from app.state.sharing import SharingState
from app.ui.context import use_tr
from app.ui.layout import card, muted, tagged
from app.ui.sharing_text import consent_text
from app.ui.theme import QR_BG


def qr_png(code: str) -> bytes:
    """The code as a QR image (PNG); the code is all it holds, never a name or an address."""
    buffer = io.BytesIO()
    segno.make(code, error="m").save(buffer, kind="png", scale=8, border=2)
    return buffer.getvalue()


@ft.component
def InviteCode(state: SharingState, share: Share) -> Any:
    tr = use_tr()
    code = share.invitation_code or ""
    png = ft.use_memo(lambda: qr_png(code), dependencies=[code])

    async def done(_e: Any) -> None:
        state.close()

    valid = (
        [
            muted(
                tr.gettext("Use it before {moment}. It works once.").format(
                    moment=tr.datetime(share.invitation_expires_at)
                )
            )
        ]
        if share.invitation_expires_at is not None
        else []
    )
    consent = consent_text(
        tr, share.recipient_name, share.relationship, share.scope, share.purpose, share.expires_at
    )
    return ft.Column(
        spacing=16,
        horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
        controls=[
            card(
                ft.Column(
                    spacing=10,
                    horizontal_alignment=ft.CrossAxisAlignment.CENTER,
                    controls=[
                        ft.Text(
                            tr.gettext("Give this code to {name}").format(name=share.recipient_name),
                            size=17,
                            weight=ft.FontWeight.W_600,
                            text_align=ft.TextAlign.CENTER,
                        ),
                        tagged(
                            "invite-code",
                            ft.Text(
                                code,
                                size=34,
                                weight=ft.FontWeight.W_700,
                                font_family="monospace",
                                text_align=ft.TextAlign.CENTER,
                            ),
                        ),
                        ft.Container(
                            bgcolor=QR_BG,
                            border_radius=8,
                            padding=8,
                            content=ft.Image(
                                src=png,
                                width=176,
                                height=176,
                                semantics_label=tr.gettext("QR code of the invitation code"),
                            ),
                        ),
                        *valid,
                        muted(
                            tr.gettext(
                                "They open Waypoint, choose “I have an invitation code” and type or scan it."
                            )
                        ),
                    ],
                )
            ),
            card(
                tagged(
                    "consent-text",
                    ft.Column(
                        spacing=8,
                        controls=[
                            ft.Text(tr.gettext("What you agreed to"), size=16, weight=ft.FontWeight.W_600),
                            *(ft.Text(line, size=15) for line in consent),
                        ],
                    ),
                ),
                bgcolor=ft.Colors.SECONDARY_CONTAINER,
            ),
            ft.Row(
                [
                    tagged(
                        "invite-done",
                        ft.FilledButton(content=tr.gettext("Done"), icon=ft.Icons.CHECK, on_click=done),
                    )
                ]
            ),
        ],
    )
