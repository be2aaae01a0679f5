"""The patient's coping plan, read-only, as shown on the support screen (semantics id `coping-plan`)."""

from __future__ import annotations

from typing import Any

import flet as ft

from app.domain.model import CopingPlan
from app.state.coping import SECTIONS, plan_lists
from app.ui.context import nav_to, use_tr
from app.ui.labels import section_label
from app.ui.layout import muted, tagged
from app.ui.theme import REASONS_BG, REASONS_FG


def reason(text: str) -> ft.Control:
    # An icon, not a "♥" character: the bundled font has no such glyph and the app loads no other.
    return ft.Row(
        spacing=8,
        vertical_alignment=ft.CrossAxisAlignment.START,
        controls=[
            ft.Icon(ft.Icons.FAVORITE, size=18, color=REASONS_FG),
            ft.Text(text, size=16, color=REASONS_FG, expand=True),
        ],
    )


@ft.component
def CopingPlanView(plan: CopingPlan, editable: bool = True) -> Any:
    tr = use_tr()
    lists = plan_lists(plan)
    reasons = lists.get("reasons", [])
    blocks: list[ft.Control] = []
    if reasons:
        blocks.append(
            ft.Container(
                padding=14,
                border_radius=14,
                bgcolor=REASONS_BG,
                content=ft.Column(
                    spacing=4,
                    controls=[
                        ft.Text(
                            section_label(tr, "reasons"),
                            size=17,
                            weight=ft.FontWeight.W_700,
                            color=REASONS_FG,
                        ),
                        *[reason(r) for r in reasons],
                    ],
                ),
            )
        )
    # Numbered as shown: sections left empty are not drawn, and "1., 2., 4." reads as a missing step.
    shown = [name for name in SECTIONS[:-1] if lists.get(name)]
    for number, name in enumerate(shown, start=1):
        items = lists[name]
        blocks.append(
            ft.Column(
                spacing=2,
                controls=[
                    ft.Text(
                        tr.gettext("{n}. {title}").format(n=tr.number(number), title=section_label(tr, name)),
                        size=16,
                        weight=ft.FontWeight.W_600,
                    ),
                    *[ft.Text(f"• {item}", size=15) for item in items],
                ],
            )
        )
    if len(blocks) == 0:
        blocks.append(
            muted(tr.gettext("You have not written a coping plan yet. It helps to have one ready."))
        )
    if editable:
        blocks.append(
            tagged(
                "coping-edit",
                ft.OutlinedButton(
                    content=tr.gettext("Edit my coping plan"),
                    icon=ft.Icons.EDIT_OUTLINED,
                    on_click=nav_to("/support/plan"),
                ),
            )
        )
    return tagged("coping-plan", ft.Column(spacing=12, controls=blocks), container=True)
