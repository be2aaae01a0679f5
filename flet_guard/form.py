"""Text-field drafts: what each field holds, handed back on every render, and cleared by re-keying.

Shared by the patient app and the staff console (neither may import the other): Flet 1.0.5 diffs a
field against its last render, so without this a render could send a field older text than the
person had typed, and a note, a PIN or a check-in's words were lost."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

import flet as ft

Handler = Callable[[Any], Coroutine[Any, Any, None]]  # an async event handler (Flet awaits it)


class Form:
    """The latest text of each field.

    A click handler created in an earlier render would otherwise see the value from that render:
    typing then tapping at once must not lose what was typed. And every render must hand each field
    its current text: Flet diffs a field against its last render and sends what differs, so a field
    rendered without its text (a sync landing, an error appearing) was emptied in the browser while
    the patient typed in it."""

    def __init__(self, initial: dict[str, str] | None = None) -> None:
        self.values = dict(initial or {})
        self.generation = 0
        self._fields: dict[str, ft.TextField] = {}
        self._rerender: Callable[[int], None] | None = None

    def __getitem__(self, name: str) -> str:
        """The field's text: as the browser last reported it to the field rendered last (Flet applies
        that before the change event runs), else as the last change event or the start left it."""
        field = self._fields.get(name)
        if field is not None and field.value is not None:
            return str(field.value)
        return self.values.get(name, "")

    def bind(self, name: str, field: ft.TextField) -> ft.TextField:
        """`field` shows the draft `name`: its text, and a key that changes when the draft is cleared."""
        field.value = self[name]
        field.key = self.key(name)
        self._fields[name] = field
        return field

    def field(self, name: str, then: Callable[[], None] | None = None, **options: Any) -> ft.TextField:
        """A text field for the draft `name`: bound to it (`bind`), each change kept (`on_change`)."""
        return self.bind(name, ft.TextField(on_change=self.on_change(name, then), **options))

    def set(self, name: str, text: str) -> None:
        """Put `text` in the draft (a saved draft restored, say): the next render shows it."""
        self.values[name] = text
        self._fields.pop(name, None)

    def typed(self, name: str, e: Any) -> str:
        """A change event of the field `name`: keep its text, and the field it came from (the live one)."""
        self._fields[name] = e.control
        text = str(e.control.value or "")
        self.values[name] = text
        return text

    def on_change(self, name: str, then: Callable[[], None] | None = None) -> Handler:
        async def handler(e: Any) -> None:
            self.typed(name, e)
            if then is not None:
                then()

        return handler

    def key(self, name: str) -> str:
        return f"{name}-{self.generation}"

    def clear(self, *names: str) -> None:
        """Empty these fields: new keys make Flutter build fresh, empty text fields."""
        for name in names:
            self.values[name] = ""
            self._fields.pop(name, None)
        self.generation += 1
        if self._rerender is not None:
            self._rerender(self.generation)


def use_form(**initial: str) -> Form:
    """The component's form, kept across its renders; clearing a draft renders it again."""
    state: Any = ft.use_state(lambda: Form(initial))
    form: Form = state[0]
    _generation, set_generation = ft.use_state(0)
    form._rerender = set_generation
    return form
