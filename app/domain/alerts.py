"""The support alert's rules: what its latest state means for the patient, and when it is overdue.

Safety-relevant: an overdue alert tells the patient to call, with the call button in its own
message (it does not move); taps moments apart are one alert. Pure functions over the domain
dataclasses; the caller passes `now` (the session's clock).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from app.domain.model import AlertState, SupportAlert


def require_aware(moment: datetime, name: str) -> datetime:
    """Refuse a naive datetime: comparing one with the clinic's aware times would guess a zone."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware")
    return moment


def is_overdue(alert: SupportAlert | None, now: datetime) -> bool:
    """Sent, not yet seen, and the clinic's promised answer time has passed on this device's clock.

    Instants are compared, not wall-clock times, so a DST change between the two is harmless. The
    device clock is trusted as it is: one running behind shows "overdue" later, one running ahead
    earlier (the patient is told to call either way once it shows).
    """
    require_aware(now, "now")
    if alert is None or alert.state is not AlertState.SENT or alert.expected_response_by is None:
        return False
    promised = require_aware(alert.expected_response_by, "expected_response_by")
    # In UTC: Python compares two datetimes that share a tzinfo by wall time, ignoring `fold`, which
    # would call 1:10 EST (after the fall-back) earlier than 1:50 EDT (before it).
    return now.astimezone(UTC) > promised.astimezone(UTC)


@dataclass(frozen=True, slots=True)
class AlertStatus:
    """What the patient is shown about one alert."""

    state: AlertState
    overdue: bool  # sent, unseen, and past the expected answer time
    escalated: bool = False  # sent, unseen, and the clinic's escalation ladder has alerted someone

    @property
    def reassuring(self) -> bool:
        """Seen, or sent and still within the promised answer time with nobody escalated to yet:
        shown calm rather than as a warning."""
        if self.state is AlertState.SEEN:
            return True
        return self.state is AlertState.SENT and not self.overdue and not self.escalated

    @property
    def offers_call(self) -> bool:
        """No answer yet and it is late (overdue, or escalated): the alert carries a call button."""
        return self.state is AlertState.SENT and (self.overdue or self.escalated)

    @property
    def can_retry(self) -> bool:
        """Still in the outbox: the patient may ask for another send attempt."""
        return self.state is AlertState.QUEUED


def is_escalated(alert: SupportAlert | None) -> bool:
    """Sent, not yet seen, and nobody at the clinic answered in time: it was escalated."""
    return alert is not None and alert.state is AlertState.SENT and alert.escalation_step > 0


def alert_status(alert: SupportAlert, now: datetime) -> AlertStatus:
    return AlertStatus(alert.state, is_overdue(alert, now), is_escalated(alert))


REPEAT_WINDOW = timedelta(minutes=2)
"""A tap on "Alert my care team" this soon after the latest unanswered alert is that same alert."""


def repeat_of(latest: SupportAlert | None, now: datetime) -> SupportAlert | None:
    """The alert a new tap repeats, or None when the tap is a new alert.

    A double tap, or three taps in a panic, must not send three alerts (each with its own, later,
    promised answer time): within REPEAT_WINDOW of the latest alert the clinic has not answered
    (still on the device, or sent and not seen), a tap is that alert again. Once seen, or after
    the window, a tap is a new alert: the patient needs help again. A device clock set back a
    little (the latest alert moments "in the future") is within the window too; one set back by
    more than the window is not, so a wrong clock can never hold back a new alert for long.
    """
    require_aware(now, "now")
    if latest is None or latest.state is AlertState.SEEN:
        return None
    since = now.astimezone(UTC) - require_aware(latest.created_at, "created_at").astimezone(UTC)
    return latest if -REPEAT_WINDOW < since < REPEAT_WINDOW else None


def calls_first(latest: SupportAlert | None, now: datetime, signed_in: bool) -> bool:
    """The support screen puts the call buttons above the alert when no alert can be sent: nobody is
    signed in. An overdue alert does not move: its message, where the patient is already looking,
    says to call and carries the call button itself (reordering would push it below the fold)."""
    del latest, now  # kept in the signature: the screen asks with what it knows
    return not signed_in
