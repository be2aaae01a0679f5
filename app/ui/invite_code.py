"""The one-time invitation code, as text and as a QR code, with the consent it carries in plain words."""

from __future__ import annotations

import io
from typing import Any

import flet as ft
import segno

from app.domain.model import Share
from app.state.sharing import SharingState
from app.ui.context import use_app, use_tr
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
    app = use_app()
    code = share.invitation_code or ""
    png = ft.use_memo(lambda: qr_png(code), dependencies=[code])
    copied, set_copied = ft.use_state(False)
    clinic_address = app.account.server_url if app.account is not None else app.default_server_url

    async def done(_e: Any) -> None:
        state.close()

    async def copy(_e: Any) -> None:
        app.touch()
        # The address and the code together: what the family member types, ready to paste in a message.
        await ft.Clipboard().set(
            tr.gettext("Waypoint clinic address: {address}\nInvitation code: {code}").format(
                address=clinic_address, code=code
            )
        )
        set_copied(True)

    valid = (
        [
            tagged(
                "invite-valid-until",
                muted(
                    tr.gettext("Use it before {moment}. It works once.").format(
                        moment=tr.date_time(share.invitation_expires_at)
                    )
                ),
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
                        tagged(
                            "invite-clinic-address",
                            ft.Text(
                                tr.gettext("Clinic address: {address}").format(address=clinic_address),
                                size=15,
                                text_align=ft.TextAlign.CENTER,
                            ),
                        ),
                        muted(
                            tr.gettext(
                                "They open Waypoint, choose “I have an invitation code”, and "
                                "type this clinic address and the code. A phone camera pointed at the QR "
                                "code shows the code, ready to copy."
                            )
                        ),
                        tagged(
                            "invite-copy",
                            ft.OutlinedButton(
                                content=tr.gettext("Copied")
                                if copied
                                else tr.gettext("Copy the address and code"),
                                icon=ft.Icons.CHECK if copied else ft.Icons.CONTENT_COPY,
                                on_click=copy,
                            ),
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
