"""Call and text buttons for the counsellor, the clinic and the national lines, as tel:/sms: links."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import flet as ft

from app.domain.model import Clinic, CrisisLines, Patient
from app.i18n import Translator
from app.platform.links import device_link
from app.ui.context import use_tr
from app.ui.layout import tagged
from app.ui.theme import SUPPORT_BG, SUPPORT_FG


def pretty_number(number: str) -> str:
    """`18006624357` → `1-800-662-4357`, `+16175550100` → `617-555-0100`; others unchanged."""
    digits = "".join(c for c in number if c.isdigit())
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:] if number.startswith("+") else digits
    if len(digits) == 10:
        return f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"
    if len(digits) == 11:
        return f"{digits[0]}-{digits[1:4]}-{digits[4:7]}-{digits[7:]}"
    return number


def _link(
    identifier: str, label: str, hint: str | None, url: str, icon: ft.IconData, primary: bool
) -> ft.Control:
    button_type = ft.FilledButton if primary else ft.FilledTonalButton
    button = button_type(
        content=ft.Column(
            spacing=0,
            horizontal_alignment=ft.CrossAxisAlignment.START,
            controls=[
                ft.Text(label, size=16, weight=ft.FontWeight.W_600),
                *([ft.Text(hint, size=13)] if hint else []),
            ],
        ),
        icon=icon,
        url=device_link(url),
        style=ft.ButtonStyle(
            padding=ft.Padding.symmetric(horizontal=18, vertical=14),
            alignment=ft.Alignment.CENTER_LEFT,
            shape=ft.RoundedRectangleBorder(radius=14),
        ),
        expand=True,
    )
    return tagged(identifier, ft.Row([button]))


def crisis_links(tr: Translator, clinic: Clinic | None, patient: Patient | None) -> list[ft.Control]:
    lines = clinic.lines if clinic else CrisisLines()
    links: list[ft.Control] = []
    if patient and patient.counselor_phone:
        label = (
            tr.gettext("Call {name}, my counsellor").format(name=patient.counselor_name)
            if patient.counselor_name
            else tr.gettext("Call my counsellor")
        )
        links.append(
            _link(
                "call-counselor",
                label,
                pretty_number(patient.counselor_phone),
                f"tel:{patient.counselor_phone}",
                ft.Icons.PHONE,
                True,
            )
        )
    if clinic and clinic.phone:
        links.append(
            _link(
                "call-clinic",
                tr.gettext("Call my clinic"),
                pretty_number(clinic.phone),
                f"tel:{clinic.phone}",
                ft.Icons.LOCAL_HOSPITAL_OUTLINED,
                True,
            )
        )
    links += [
        _link(
            "call-988",
            tr.gettext("Call {number} Suicide & Crisis Lifeline").format(number=lines.lifeline),
            tr.gettext("24/7, free. Press 2 for Spanish."),
            f"tel:{lines.lifeline}",
            ft.Icons.PHONE_IN_TALK,
            True,
        ),
        _link(
            "text-988",
            tr.gettext("Text {number}").format(number=lines.lifeline),
            tr.gettext("Crisis support by text message"),
            f"sms:{lines.lifeline}",
            ft.Icons.SMS_OUTLINED,
            False,
        ),
        _link(
            "call-samhsa",
            tr.gettext("SAMHSA National Helpline"),
            tr.gettext("{number} · free, confidential, 24/7").format(number=pretty_number(lines.samhsa)),
            f"tel:{lines.samhsa}",
            ft.Icons.SUPPORT_AGENT,
            False,
        ),
        _link(
            "text-crisis-line",
            tr.gettext("Text {word} to {number}").format(
                word=lines.crisis_text_keyword, number=lines.crisis_text_number
            ),
            tr.gettext("Crisis Text Line"),
            f"sms:{lines.crisis_text_number}?body={lines.crisis_text_keyword}",
            ft.Icons.TEXTSMS_OUTLINED,
            False,
        ),
    ]
    return links


def help_screen(
    identifier: str,
    close_identifier: str,
    on_close: Callable[[ft.Event[Any]], Awaitable[None]],
    tr: Translator,
    banner: ft.Control,
    body: list[ft.Control],
) -> ft.Control:
    """A crisis screen (the patient's support screen, a family member's help screen): the 911 banner
    first — on a small or zoomed screen it is all that fits, and what a screen reader reads first —
    then the title with Close, then `body`."""
    header = ft.Column(
        # Close wraps under the title on a narrow or zoomed screen rather than squeezing it; the
        # column stretches the wrap so Close still sits on the right.
        horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
        controls=[
            ft.Row(
                wrap=True,
                alignment=ft.MainAxisAlignment.SPACE_BETWEEN,
                vertical_alignment=ft.CrossAxisAlignment.CENTER,
                controls=[
                    ft.Text(tr.gettext("You are not alone"), size=26, weight=ft.FontWeight.W_700),
                    tagged(
                        close_identifier,
                        ft.TextButton(content=tr.gettext("Close"), icon=ft.Icons.CLOSE, on_click=on_close),
                    ),
                ],
            )
        ],
    )
    return tagged(
        identifier,
        ft.ListView(
            expand=True,
            padding=ft.Padding.only(left=16, right=16, top=4, bottom=24),
            spacing=16,
            controls=[banner, header, *body],
        ),
        container=True,
        expand=True,
    )


@ft.component
def CrisisButtons(clinic: Clinic | None, patient: Patient | None) -> Any:
    tr = use_tr()
    return ft.Column(spacing=10, controls=crisis_links(tr, clinic, patient))


@ft.component
def DangerBanner(clinic: Clinic | None) -> Any:
    tr = use_tr()
    emergency = clinic.lines.emergency if clinic else CrisisLines().emergency
    # Text above a full-width button, at every width: side by side, a 200 % zoom or large text left
    # the sentence a column of single letters and pushed the button out of the banner (issue 16).
    return tagged(
        "call-911",
        ft.Container(
            padding=14,
            border_radius=14,
            bgcolor=SUPPORT_BG,
            content=ft.Column(
                spacing=12,
                horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
                controls=[
                    ft.Row(
                        spacing=10,
                        vertical_alignment=ft.CrossAxisAlignment.START,
                        controls=[
                            ft.Icon(ft.Icons.WARNING_AMBER_ROUNDED, color=SUPPORT_FG, size=24),
                            tagged(
                                "danger-text",
                                ft.Text(
                                    tr.gettext("If you are in danger, call {number}.").format(
                                        number=emergency
                                    ),
                                    size=17,
                                    weight=ft.FontWeight.W_700,
                                    color=SUPPORT_FG,
                                ),
                                expand=True,
                            ),
                        ],
                    ),
                    tagged(
                        "call-911-button",
                        ft.FilledButton(
                            content=tr.gettext("Call {number}").format(number=emergency),
                            icon=ft.Icons.PHONE,
                            url=device_link(f"tel:{emergency}"),
                            style=ft.ButtonStyle(
                                bgcolor=SUPPORT_FG,
                                color=SUPPORT_BG,
                                icon_color=SUPPORT_BG,
                                padding=ft.Padding.symmetric(horizontal=16, vertical=14),
                                text_style=ft.TextStyle(size=17, weight=ft.FontWeight.W_700),
                            ),
                        ),
                    ),
                ],
            ),
        ),
    )
