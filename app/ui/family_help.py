"""`Get help now` for a family member (`family-help`): the crisis lines, never the patient's alert.

A family member in crisis for the person they support needs 911, 988 and SAMHSA as fast as the
patient does; the care team's alert is the patient's own and is not offered here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import flet as ft

from app.ui.context import go, use_app, use_tr
from app.ui.crisis_buttons import DangerBanner, crisis_links, help_screen
from app.ui.layout import muted, section


@ft.component
def FamilyHelpScreen(on_close: Callable[[], None] | None = None) -> Any:
    tr = use_tr()
    app = use_app()

    async def close(_e: ft.Event[Any]) -> None:
        if on_close is not None:
            on_close()
        else:
            go(app.support_return)  # back to the screen it was opened on

    return help_screen(
        "family-help",
        "family-help-close",
        close,
        tr,
        DangerBanner(None),
        [
            muted(
                tr.gettext("For you, or for the person you support: these lines answer family members too.")
            ),
            section(
                tr.gettext("Talk to someone now"),
                [ft.Column(spacing=10, controls=crisis_links(tr, None, None))],
            ),
        ],
    )
