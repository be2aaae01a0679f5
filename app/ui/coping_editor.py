"""The coping plan editor: the six Stanley-Brown steps adapted to relapse, plus reasons; saved offline."""

from __future__ import annotations

from typing import Any

import flet as ft

from app.i18n import Translator
from app.state.coping import ENTRY_LIMIT, SECTIONS
from app.ui.context import Handler, use_app, use_screens, use_tr
from app.ui.labels import section_hint, section_label
from app.ui.layout import back_button, card, icon_button, muted, screen, tagged
from flet_guard.form import use_form


def too_long_entry(tr: Translator, length: int) -> str:
    return tr.gettext(
        "This is {n} characters long; one entry can hold up to {limit}. "
        "Shorten it or split it in two. Nothing was cut."
    ).format(n=tr.number(length), limit=tr.number(ENTRY_LIMIT))


@ft.component
def SectionEditor(number: int, name: str) -> Any:
    tr = use_tr()
    app = use_app()
    state = use_screens().coping
    form = use_form(text=state.typing.get(name, ""))  # typed here before the editor last closed
    items = state.draft.get(name, [])
    over, set_over = ft.use_state(len(form["text"].strip()) > ENTRY_LIMIT)

    async def typed(e: Any) -> None:
        text = form.typed("text", e)
        state.type(name, text)
        set_over(len(text.strip()) > ENTRY_LIMIT)

    async def add(_e: Any) -> None:
        app.touch()
        if len(form["text"].strip()) > ENTRY_LIMIT:
            set_over(True)
            return
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
                        tagged(
                            f"coping-add-{name}",
                            form.bind(
                                "text",
                                ft.TextField(
                                    label=tr.gettext("Add"),
                                    hint_text=section_hint(tr, name),
                                    error=too_long_entry(tr, len(form["text"].strip())) if over else None,
                                    error_max_lines=4,
                                    on_change=typed,
                                    on_submit=add,
                                ),
                            ),
                            expand=True,
                        ),
                        tagged(
                            f"coping-add-button-{name}",
                            icon_button(
                                ft.Icons.ADD_CIRCLE_OUTLINE,
                                tr.gettext("Add to “{section}”").format(section=section_label(tr, name)),
                                add,
                                icon_size=32,
                            ),
                        ),
                    ]
                ),
            ],
        )
    )


@ft.component
def CopingEditor() -> Any:
    tr = use_tr()
    app = use_app()
    state = use_screens().coping
    ft.on_mounted(state.load)

    async def keep_typed() -> None:
        # Back, "Get help now", another tab: text typed in an "Add" box without + is added, not lost.
        if await state.keep_typed():
            await app.refresh()

    ft.on_unmounted(keep_typed)

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
