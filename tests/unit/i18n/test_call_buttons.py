"""The call and text buttons speak with one voice per language (docs/TRANSLATING.md, crisis lines)."""

from __future__ import annotations

import pytest

from app.i18n import Translator

BUTTONS = [
    "Call my clinic",
    "Call my counsellor",
    "Call {name}, my counsellor",
    "Call {number}",
    "Call {number} Suicide & Crisis Lifeline",
    "Text {number}",
    "Text {word} to {number}",
]
# Buttons are labelled with the infinitive, as a button names its action ("Llamar al 911", "Ligar
# para o 911"); "Llama al 911" beside "Llamar a mi clínica" read as two voices on one screen.
INFINITIVES = {"es": ("Llamar ", "Enviar "), "pt_BR": ("Ligar ", "Enviar ")}


@pytest.mark.parametrize("code", sorted(INFINITIVES))
@pytest.mark.parametrize("message", BUTTONS)
def test_every_call_and_text_button_uses_the_same_verb_form(code: str, message: str) -> None:
    translated = Translator(code).gettext(message)
    assert translated != message, "not translated"
    assert translated.startswith(INFINITIVES[code]), translated
