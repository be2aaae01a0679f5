"""Form: every render hands a field the text it holds, and a cleared draft gets a fresh field."""

from __future__ import annotations

import asyncio
from typing import Any

import flet as ft

from flet_guard.form import Form


def test_a_field_rendered_again_gets_the_text_the_browser_last_reported() -> None:
    form = Form({})
    first = form.bind("pin", ft.TextField(password=True))
    assert first.value == ""
    first.value = "24"  # Flet applies the browser's report to the field before its change event runs
    again = form.bind("pin", ft.TextField(password=True))
    assert again.value == "24"  # the re-render sends nothing that would empty it
    assert again.key == first.key
    assert form["pin"] == "24"  # and a tap read in the meantime sees it too


def test_clearing_a_draft_gives_it_a_new_empty_field() -> None:
    form = Form({"pin": "", "confirm": ""})
    old = form.bind("confirm", ft.TextField())
    old.value = "1357"
    form.clear("confirm")
    new = form.bind("confirm", ft.TextField())
    assert new.value == ""
    assert new.key != old.key  # a new key: Flutter builds a fresh field, with nothing typed in it


def test_the_last_change_event_counts_before_any_field_is_rendered() -> None:
    form = Form({"url": "https://clinic.example"})
    assert form["url"] == "https://clinic.example"
    assert form.bind("url", ft.TextField()).value == "https://clinic.example"


def test_a_restored_draft_replaces_what_the_field_held() -> None:
    form = Form({})
    form.bind("note", ft.TextField())
    form.set("note", "I'll be late")  # read back from the store after the field was first drawn
    assert form["note"] == "I'll be late"
    assert form.bind("note", ft.TextField()).value == "I'll be late"


def test_a_change_event_names_the_live_field() -> None:
    form = Form({})
    form.bind("name", ft.TextField())  # drawn, then replaced by a render whose field was never bound
    live = ft.TextField(value="Dana")
    event = ft.ControlEvent(control=live, name="change", data="Dana")
    assert form.typed("name", event) == "Dana"
    live.value = "Dana R"  # the browser's next report, its change event still on its way
    assert form["name"] == "Dana R"


def test_a_field_keeps_each_change_and_says_so() -> None:
    form = Form({})
    told: list[str] = []
    field = form.field("pin", then=lambda: told.append(form["pin"]), password=True)
    assert field.password
    assert field.value == ""
    assert field.key == form.key("pin")
    field.value = "2468"
    handler: Any = field.on_change  # what Flet calls with the browser's change event
    asyncio.run(handler(ft.ControlEvent(control=field, name="change", data="2468")))
    assert told == ["2468"]
    assert form.values["pin"] == "2468"
