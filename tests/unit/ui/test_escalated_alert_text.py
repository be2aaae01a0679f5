"""What the support screen says about an alert nobody answered in time, in every language."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.domain.model import AlertState, SupportAlert
from app.i18n import Translator
from app.ui.alert_panel import alert_text

NOW = datetime(2026, 11, 30, 3, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("language", "words"),
    [("en", "on-call counsellor"), ("es", "consejero de guardia"), ("pt_BR", "conselheiro de plantão")],
)
def test_an_escalated_alert_says_the_on_call_counsellor_was_alerted(language: str, words: str) -> None:
    tr = Translator(language, "America/New_York")
    escalated = SupportAlert("a", NOW - timedelta(minutes=2), AlertState.SENT,
                             expected_response_by=NOW + timedelta(minutes=28), escalation_step=1)  # fmt: skip
    text = alert_text(tr, escalated, NOW)
    assert words in text
    waiting = SupportAlert("a", escalated.created_at, AlertState.SENT,
                           expected_response_by=escalated.expected_response_by)  # fmt: skip
    assert words not in alert_text(tr, waiting, NOW)
    seen = SupportAlert("a", escalated.created_at, AlertState.SEEN, acknowledged_by="Sam Ortiz",
                        acknowledged_at=NOW, escalation_step=2)  # fmt: skip
    assert "Sam Ortiz" in alert_text(tr, seen, NOW)
