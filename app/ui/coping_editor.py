"""The coping plan editor: the six Stanley-Brown steps adapted to relapse, plus reasons; saved offline."""

from __future__ import annotations

from typing import Any

import flet as ft

from app.state.coping import SECTIONS
from app.ui.context import Handler, use_app, use_screens, use_tr
from app.ui.form import use_form
from app.ui.labels import section_hint, section_label
from app.ui.layout import back_button, card, icon_button, muted, screen, tagged


@ft.component
def SectionEditor(number: int, name: str) -> Any:
    tr = use_tr()
    app = use_app()
    state = use_screens().coping
    form = use_form()
    items = state.draft.get(name, [])

    async def add(_e: Any) -> None:
        app.touch()
        if state.add(name, form["text"]):
            form.clear("text")
            await state.save()
            await app.refresh()

    def remover(index: int) -> Handler:
        async def remove(_e: Any) -> None:
            app.touch()
            state.remove(name, index)
            await state.save()
            await app.refresh()

        return remove

    title = section_label(tr, name)
    if name != "reasons":
        title = tr.gettext("{n}. {title}").format(n=tr.number(number), title=title)
    rows: list[ft.Control] = [
        ft.Row(
            [
                ft.Text(item, size=15, expand=True),
                icon_button(
                    ft.Icons.DELETE_OUTLINE, tr.gettext("Remove “{item}”").format(item=item), remover(i)
                ),
            ]
        )
        for i, item in enumerate(items)
    ]
    return card(
        ft.Column(
            spacing=6,
            controls=[
                ft.Text(title, size=17, weight=ft.FontWeight.W_600),
                *rows,
                ft.Row(
                    [
                        ft.TextField(
                            label=tr.gettext("Add"),
                            hint_text=section_hint(tr, name),
                            key=form.key("text"),
                            expand=True,
                            on_change=form.on_change("text"),
                            on_submit=add,
                        ),
                        icon_button(ft.Icons.ADD_CIRCLE_OUTLINE, tr.gettext("Add"), add, icon_size=32),
                    ]
                ),
            ],
        )
    )


@ft.component
def CopingEditor() -> Any:
    tr = use_tr()
    state = use_screens().coping
    ft.on_mounted(state.load)

    if not state.loaded:
        return screen(tr.gettext("My coping plan"), [])
    status = (
        tr.gettext("Saved on this device. Each change is kept as you make it.")
        if state.saved
        else tr.gettext("Each change is saved on this device as you make it.")
    )
    return screen(
        tr.gettext("My coping plan"),
        [
            back_button(tr.gettext("Back to support"), "/support"),
            tagged("coping-save-status", muted(status)),
            muted(
                tr.gettext(
                    "Write what helps you when cravings or hard moments come. "
                    "Only you and your care team see it."
                )
            ),
            *[SectionEditor(n, name) for n, name in enumerate(SECTIONS, start=1)],
        ],
    )
