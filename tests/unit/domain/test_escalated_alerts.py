"""An alert the clinic escalated (nobody answered in time) is a warning that offers a call."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.domain.alerts import alert_status, is_escalated
from app.domain.model import AlertState, SupportAlert

NOW = datetime(2026, 11, 30, 3, 0, tzinfo=UTC)


def alert(state: AlertState, step: int, promised_in: timedelta = timedelta(minutes=20)) -> SupportAlert:
    return SupportAlert("a", NOW - timedelta(minutes=2), state, expected_response_by=NOW + promised_in,
                        escalation_step=step)  # fmt: skip


@pytest.mark.parametrize(
    ("state", "step", "promised_in", "escalated", "reassuring", "offers_call"),
    [
        (AlertState.SENT, 0, timedelta(minutes=20), False, True, False),  # waiting, in time
        (AlertState.SENT, 1, timedelta(minutes=20), True, False, True),  # on call alerted, still in time
        (AlertState.SENT, 2, -timedelta(minutes=1), True, False, True),  # and overdue
        (AlertState.SENT, 0, -timedelta(minutes=1), False, False, True),  # overdue only
        (AlertState.SEEN, 2, -timedelta(minutes=1), False, True, False),  # answered after escalation
        (AlertState.QUEUED, 0, timedelta(minutes=20), False, False, False),
    ],
)
def test_escalated_alerts_are_warnings_with_a_call(
    state: AlertState, step: int, promised_in: timedelta, escalated: bool, reassuring: bool, offers_call: bool
) -> None:
    status = alert_status(alert(state, step, promised_in), NOW)
    assert is_escalated(alert(state, step, promised_in)) is escalated
    assert (status.escalated, status.reassuring, status.offers_call) == (escalated, reassuring, offers_call)
