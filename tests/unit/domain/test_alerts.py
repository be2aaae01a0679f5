"""The support alert's rules: when it is overdue (DST, clock skew, naive times) and what it shows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from app.domain.alerts import REPEAT_WINDOW, alert_status, calls_first, is_overdue, repeat_of
from app.domain.model import AlertState, SupportAlert

NY = ZoneInfo("America/New_York")
LISBON = ZoneInfo("Europe/Lisbon")
PROMISED = datetime(2026, 11, 30, 15, 30, tzinfo=NY)


def sent(expected: datetime | None = PROMISED, state: AlertState = AlertState.SENT) -> SupportAlert:
    created = (expected or PROMISED) - timedelta(minutes=30)
    return SupportAlert("a1", created, state, expected_response_by=expected)


@pytest.mark.parametrize(
    ("now", "overdue"),
    [
        (PROMISED - timedelta(minutes=1), False),
        (PROMISED, False),  # the promise is "by" this time: at it, not yet late
        (PROMISED + timedelta(microseconds=1), True),
        (PROMISED + timedelta(hours=5), True),
    ],
)
def test_a_sent_alert_is_overdue_only_once_the_promised_time_has_passed(now: datetime, overdue: bool) -> None:
    assert is_overdue(sent(), now) is overdue


@pytest.mark.parametrize("state", [AlertState.QUEUED, AlertState.SEEN])
def test_an_alert_not_yet_sent_or_already_seen_is_never_overdue(state: AlertState) -> None:
    assert not is_overdue(sent(state=state), PROMISED + timedelta(days=1))


def test_without_a_promised_time_or_an_alert_nothing_is_overdue() -> None:
    later = PROMISED + timedelta(days=1)
    assert not is_overdue(sent(expected=None), later)
    assert not is_overdue(None, later)


@pytest.mark.parametrize(
    ("expected", "now", "overdue"),
    [
        # Fall back (1 Nov 2026, 2:00 EDT → 1:00 EST): 1:10 EST reads earlier than 1:50 EDT on the
        # wall but comes 20 minutes after it.
        (
            datetime(2026, 11, 1, 1, 50, tzinfo=NY),
            datetime(2026, 11, 1, 1, 10, fold=1, tzinfo=NY),
            True,
        ),
        # ...and 1:40 EDT (before the change) is still within a 1:10 EST promise.
        (
            datetime(2026, 11, 1, 1, 10, fold=1, tzinfo=NY),
            datetime(2026, 11, 1, 1, 40, tzinfo=NY),
            False,
        ),
        # Spring forward (8 Mar 2026, 2:00 EST → 3:00 EDT): 3:05 EDT reads an hour past 2:xx but is
        # before a 3:10 EDT promise made at 1:40 EST.
        (datetime(2026, 3, 8, 3, 10, tzinfo=NY), datetime(2026, 3, 8, 3, 5, tzinfo=NY), False),
        (datetime(2026, 3, 8, 3, 10, tzinfo=NY), datetime(2026, 3, 8, 1, 59, tzinfo=NY), False),
        (datetime(2026, 3, 8, 3, 10, tzinfo=NY), datetime(2026, 3, 8, 3, 11, tzinfo=NY), True),
        # The device in another zone (UTC, Lisbon) than the clinic: instants are compared.
        (datetime(2026, 3, 8, 3, 10, tzinfo=NY), datetime(2026, 3, 8, 7, 9, tzinfo=UTC), False),
        (datetime(2026, 3, 8, 3, 10, tzinfo=NY), datetime(2026, 3, 8, 7, 11, tzinfo=LISBON), True),
    ],
    ids=[
        "fall-back-later-instant",
        "fall-back-earlier-instant",
        "spring-forward-before",
        "spring-forward-before-the-gap",
        "spring-forward-after",
        "device-in-utc",
        "device-in-lisbon",
    ],
)
def test_overdue_compares_instants_across_dst_and_zones(
    expected: datetime, now: datetime, overdue: bool
) -> None:
    assert is_overdue(sent(expected), now) is overdue


@pytest.mark.parametrize(
    ("skew", "true_minutes_past", "overdue"),
    [
        # A device clock running 10 minutes behind the clinic's: 5 minutes past the promise in
        # clinic time still reads 5 minutes before it here, so "overdue" shows 10 minutes late.
        (timedelta(minutes=-10), 5, False),
        (timedelta(minutes=-10), 11, True),
        # One running 10 minutes ahead: "overdue" (call now) shows 10 minutes early, the safe side.
        (timedelta(minutes=10), -5, True),
        (timedelta(minutes=10), -11, False),
        # A clock set to another day entirely still gives a plain answer, never an error.
        (timedelta(days=-400), 60, False),
        (timedelta(days=400), -60, True),
    ],
)
def test_the_device_clock_decides_and_skew_moves_the_moment_by_exactly_the_skew(
    skew: timedelta, true_minutes_past: int, overdue: bool
) -> None:
    device_now = PROMISED + timedelta(minutes=true_minutes_past) + skew
    assert is_overdue(sent(), device_now) is overdue


def test_a_naive_now_is_refused() -> None:
    with pytest.raises(ValueError, match="now must be timezone-aware"):
        is_overdue(sent(), datetime(2026, 11, 30, 16, 0))
    with pytest.raises(ValueError, match="now must be timezone-aware"):
        is_overdue(None, datetime(2026, 11, 30, 16, 0))


def test_a_naive_promised_time_is_refused_not_guessed() -> None:
    alert = sent(expected=datetime(2026, 11, 30, 15, 30))
    with pytest.raises(ValueError, match="expected_response_by must be timezone-aware"):
        is_overdue(alert, datetime(2026, 11, 30, 21, 0, tzinfo=UTC))


def test_a_fixed_offset_is_as_good_as_a_named_zone() -> None:
    minus_five = timezone(timedelta(hours=-5))
    assert is_overdue(sent(), datetime(2026, 11, 30, 15, 31, tzinfo=minus_five))
    assert not is_overdue(sent(), datetime(2026, 11, 30, 15, 29, tzinfo=minus_five))


@pytest.mark.parametrize(
    ("state", "minutes_past", "reassuring", "can_retry"),
    [
        (AlertState.QUEUED, -10, False, True),  # not sent: the care team does not know yet
        (AlertState.QUEUED, 10, False, True),
        (AlertState.SENT, -10, True, False),
        (AlertState.SENT, 10, False, False),  # overdue: please call
        (AlertState.SEEN, -10, True, False),
        (AlertState.SEEN, 10, True, False),  # seen late is still seen
    ],
)
def test_what_an_alert_shows_follows_its_state_and_the_promised_time(
    state: AlertState, minutes_past: int, reassuring: bool, can_retry: bool
) -> None:
    status = alert_status(sent(state=state), PROMISED + timedelta(minutes=minutes_past))
    assert (status.state, status.reassuring, status.can_retry) == (state, reassuring, can_retry)
    assert status.overdue is (state is AlertState.SENT and minutes_past > 0)


@pytest.mark.parametrize(
    ("alert", "minutes_past", "signed_in", "first"),
    [
        (None, 0, True, False),
        (None, 0, False, True),  # signed out: no alert can be sent, calls come first
        (sent(), -1, True, False),
        # Overdue: the alert stays where the patient is looking (its message carries a call button);
        # moving the calls above it would push the message below the fold.
        (sent(), 1, True, False),
        (sent(state=AlertState.SEEN), 60, True, False),
        (sent(state=AlertState.QUEUED), 60, True, False),
    ],
)
def test_the_call_buttons_come_first_when_the_alert_cannot_help_now(
    alert: SupportAlert | None, minutes_past: int, signed_in: bool, first: bool
) -> None:
    assert calls_first(alert, PROMISED + timedelta(minutes=minutes_past), signed_in=signed_in) is first


@pytest.mark.parametrize(
    ("state", "seconds_since", "repeat"),
    [
        (AlertState.QUEUED, 0, True),  # a double tap
        (AlertState.QUEUED, 15, True),  # three taps in 15 s: one alert
        (AlertState.SENT, 119, True),  # sent, not seen, within the window
        (AlertState.SENT, 120, False),  # the window has passed: help is needed again
        (AlertState.QUEUED, 600, False),
        (AlertState.SEEN, 5, False),  # the clinic answered: a new tap is a new call for help
        (AlertState.QUEUED, -30, True),  # the device clock went back a little
        (AlertState.QUEUED, -600, False),  # ...or a lot: it never holds back a new alert for long
    ],
)
def test_taps_soon_after_an_unanswered_alert_are_that_alert(
    state: AlertState, seconds_since: int, repeat: bool
) -> None:
    latest = SupportAlert("a1", PROMISED - timedelta(minutes=30), state)
    now = latest.created_at + timedelta(seconds=seconds_since)
    assert (repeat_of(latest, now) is latest) is repeat


def test_the_repeat_window_is_instants_not_wall_clock_and_refuses_naive_times() -> None:
    latest = SupportAlert("a1", datetime(2026, 11, 1, 1, 59, tzinfo=NY), AlertState.QUEUED)
    # 1:00 EST (after the fall-back) is one minute after 1:59 EDT.
    assert repeat_of(latest, datetime(2026, 11, 1, 1, 0, fold=1, tzinfo=NY)) is latest
    assert repeat_of(None, PROMISED) is None
    assert timedelta(minutes=2) == REPEAT_WINDOW
    with pytest.raises(ValueError, match="now"):
        repeat_of(latest, datetime(2026, 11, 1, 2, 0))  # naive on purpose
