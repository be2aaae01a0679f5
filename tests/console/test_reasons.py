"""What a flag's reasons say to staff: the patient's own answer, never something else."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from console.i18n import Translator
from console.models import QueueItem
from console.ui.queue import reasons_text


def flag(*reasons: str) -> QueueItem:
    return QueueItem("flag", "f1", "p1", "Alex Rivera", reasons, datetime(2026, 11, 30, tzinfo=UTC), True,
                     None, None, 1)  # fmt: skip


def test_contact_means_the_patient_asked_the_team_to_get_in_touch() -> None:
    # "contact" is "I'd like someone from my team to contact me today": it read "Contact with a
    # trigger person", which a counsellor could take for a different risk and not call back.
    text = reasons_text(Translator("en"), flag("contact", "used", "craving"))
    assert "asked to be contacted today" in text.lower()
    assert "trigger" not in text.lower()
    assert "used alcohol or drugs" in text.lower()


@pytest.mark.parametrize(("language", "words"), [("es", "contacte"), ("pt_BR", "entre em contato")])
def test_the_contact_request_is_translated(language: str, words: str) -> None:
    assert words in reasons_text(Translator(language), flag("contact")).lower()
