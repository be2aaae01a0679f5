"""A password field with a named show/hide button (Flet's built-in reveal button has no accessible name)."""

from __future__ import annotations

from typing import Any

import flet as ft

from app.ui.context import Handler, use_tr
from app.ui.layout import icon_button
from flet_guard.form import Form


@ft.component
def PasswordField(
    label: str,
    form: Form,
    name: str,
    on_submit: Handler | None = None,
    helper: str | None = None,  # a rule such as "8 characters or more": under the field, it wraps
) -> Any:
    tr = use_tr()
    hidden, set_hidden = ft.use_state(True)

    async def toggle(_e: Any) -> None:
        set_hidden(not hidden)

    reveal = (
        icon_button(ft.Icons.VISIBILITY_OUTLINED, tr.gettext("Show password"), toggle)
        if hidden
        else icon_button(ft.Icons.VISIBILITY_OFF_OUTLINED, tr.gettext("Hide password"), toggle)
    )
    return form.field(
        name,
        label=label,
        helper=helper,
        helper_max_lines=3,
        password=hidden,
        suffix_icon=reveal,
        on_submit=on_submit,
    )
