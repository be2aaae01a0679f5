"""What the support screen says about an alert (issue 16, items 4 and 5): how the clinic answers,
from which number and by when; and, after "Try sending again now", that it tried and when next."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.domain.model import AlertState, Clinic, SupportAlert, SyncStatus
from app.i18n import Translator
from app.ui.alert_panel import alert_text, retry_text

NY = ZoneInfo("America/New_York")
NOW = datetime(2026, 11, 30, 17, 5, tzinfo=NY)
SENT = SupportAlert("a1", NOW, AlertState.SENT, expected_response_by=NOW + timedelta(minutes=30))
TR = Translator("en", "America/New_York")


def clinic(channel: str = "call", answer_phone: str | None = None, phone: str = "+14135550100") -> Clinic:
    return Clinic(
        "c1", "Baystate", "America/New_York", phone, 30, answer_channel=channel, answer_phone=answer_phone
    )


@pytest.mark.parametrize(
    ("given", "said"),
    [
        (clinic(), "They will call you from 413-555-0100 by 5:35"),
        (clinic(answer_phone="+14135550199"), "They will call you from 413-555-0199 by 5:35"),
        (clinic("text"), "They will text you from 413-555-0100 by 5:35"),
        (clinic(phone=""), "They will answer by 5:35"),
        (None, "They will answer by 5:35"),
    ],
)
def test_a_sent_alert_says_how_from_where_and_by_when_the_clinic_answers(
    given: Clinic | None, said: str
) -> None:
    text = alert_text(TR, SENT, NOW, given).replace("\u202f", " ")
    assert text.startswith("Sent to your care team. ")
    assert said in text


def test_after_trying_again_it_says_when_it_tried_and_when_it_tries_next() -> None:
    status = SyncStatus(problem="sync.offline", next_try=NOW + timedelta(seconds=4, milliseconds=200))
    text = retry_text(TR, NOW, status, NOW).replace("\u202f", " ")
    assert text.startswith("Tried at 5:05")
    assert "tries again by itself in 5 seconds" in text
    later = retry_text(TR, NOW, SyncStatus(problem="sync.offline"), NOW)
    assert "every few seconds" in later
