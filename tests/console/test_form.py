"""The console's Form: a field rendered again keeps the text the browser last reported, so a note
typed just before a tap on an outcome is neither wiped from the screen nor lost from the ack."""

from __future__ import annotations

from console.ui.common import Form


def test_a_note_rendered_again_keeps_what_the_browser_last_reported() -> None:
    form = Form()
    first = form.field("note")
    first.value = "Called; with her sponsor tonight."  # applied by Flet before the change event runs
    again = form.field("note")  # the outcome tapped: the panel renders again
    assert again.value == "Called; with her sponsor tonight."
    assert form["note"] == "Called; with her sponsor tonight."


def test_a_template_replaces_the_fields_and_clearing_gives_fresh_ones() -> None:
    form = Form()
    title = form.field("a-title")
    title.value = "My own title"
    form.set("a-title", "Trigger log")
    assert form.field("a-title").value == "Trigger log"
    key = form.key("a-title")
    form.clear()
    fresh = form.field("a-title")
    assert fresh.value == ""
    assert fresh.key != key
