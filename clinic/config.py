"""Server settings and the injectable clock."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


def _refresh_grace() -> timedelta:
    """60 s, or WAYPOINT_REFRESH_GRACE_SECONDS (0..300) — tests shorten it to see reuse detection."""
    raw = os.environ.get("WAYPOINT_REFRESH_GRACE_SECONDS", "")
    if raw.isascii() and raw.isdigit() and int(raw) <= 300:
        return timedelta(seconds=int(raw))
    return timedelta(seconds=60)


def _flag_sweep() -> timedelta:
    """How often the missed-check-in rule runs: 300 s, or WAYPOINT_FLAG_SWEEP_SECONDS (0.1..86400)."""
    raw = os.environ.get("WAYPOINT_FLAG_SWEEP_SECONDS", "")
    try:
        seconds = float(raw) if raw.isascii() else -1.0
    except ValueError:
        seconds = -1.0
    if 0.1 <= seconds <= 86400:
        return timedelta(seconds=seconds)
    return timedelta(seconds=300)


def _seconds(name: str, default: float, low: float, high: float) -> timedelta:
    """`name` from the environment as seconds within [low, high]; else `default`."""
    raw = os.environ.get(name, "")
    try:
        seconds = float(raw) if raw.isascii() and raw else -1.0
    except ValueError:
        seconds = -1.0
    return timedelta(seconds=seconds if low <= seconds <= high else default)


def _escalation_sweep() -> timedelta:
    """How often the escalation ladder runs: 5 s, or WAYPOINT_ESCALATION_SWEEP_SECONDS (0.1..600)."""
    return _seconds("WAYPOINT_ESCALATION_SWEEP_SECONDS", 5.0, 0.1, 600)


def _webhook_retry() -> timedelta:
    """The pager webhook's first retry delay (then doubling): 5 s, or WAYPOINT_WEBHOOK_RETRY_SECONDS."""
    return _seconds("WAYPOINT_WEBHOOK_RETRY_SECONDS", 5.0, 0.05, 600)


def _public_base_url() -> str | None:
    """WAYPOINT_PUBLIC_BASE_URL (e.g. https://clinic.example.org): the origin calendar-feed links
    are built on; unset, each link uses the base URL its request came in on."""
    raw = os.environ.get("WAYPOINT_PUBLIC_BASE_URL", "").strip().rstrip("/")
    return raw if raw.startswith(("https://", "http://")) else None


def _shutdown_grace() -> timedelta:
    """How long a stopping server lets open requests finish before it cancels them: 5 s, or
    WAYPOINT_SHUTDOWN_GRACE_SECONDS (0.1..600). Live streams (SSE) never finish by themselves, so
    without a bound one open app would hold a graceful stop until the process is killed."""
    return _seconds("WAYPOINT_SHUTDOWN_GRACE_SECONDS", 5.0, 0.1, 600)


# The test harness sets this to hash passwords with argon2id's smallest sensible cost (1 pass,
# 8 MiB) instead of the default (3 passes, 64 MiB): every demo seed, admin command and sign-in in
# the test suite pays it. Never set in production; the server warns in its log when it is.
TEST_ONLY_FAST_PASSWORD_HASHING = "WAYPOINT_TEST_ONLY_FAST_PASSWORD_HASHING"  # noqa: S105 - a variable name


def _fast_password_hashing() -> bool:
    return os.environ.get(TEST_ONLY_FAST_PASSWORD_HASHING, "") == "1"


@dataclass(frozen=True, slots=True)
class Settings:
    database_url: str
    access_ttl: timedelta = timedelta(minutes=15)
    refresh_ttl: timedelta = timedelta(days=30)
    # A rotated refresh token replayed this soon answers the same successor pair (a lost reply).
    refresh_grace: timedelta = field(default_factory=_refresh_grace)
    code_ttl: timedelta = timedelta(hours=72)
    invitation_ttl: timedelta = timedelta(hours=72)
    tombstone_retention: timedelta = timedelta(days=30)
    max_body_bytes: int = 256 * 1024
    # Sign-in throttling per (username, client address): this many failures are free, then each
    # further one waits twice as long as the last (signin_first_delay, …) up to signin_max_delay.
    signin_failures: int = 5
    signin_first_delay: timedelta = timedelta(seconds=2)
    signin_max_delay: timedelta = timedelta(minutes=15)
    signin_window: timedelta = timedelta(minutes=15)  # failures older than this are forgotten
    # Device-signed support alerts: Waypoint-Signed-At must be this close to the server clock.
    signature_window: timedelta = timedelta(minutes=10)
    # Open streams re-check their caller's credential at least this often.
    stream_recheck: timedelta = timedelta(seconds=1)
    # The missed-check-in rule (services/flags.py) runs this often in every server process.
    flag_sweep: timedelta = field(default_factory=_flag_sweep)
    # The escalation ladder (services/escalation.py) runs this often, and sends due pager webhooks.
    escalation_sweep: timedelta = field(default_factory=_escalation_sweep)
    webhook_retry: timedelta = field(default_factory=_webhook_retry)
    # A stopping server (SIGTERM) cancels what is still open after this: streams, slow requests.
    shutdown_grace: timedelta = field(default_factory=_shutdown_grace)
    fast_password_hashing: bool = field(default_factory=_fast_password_hashing)  # tests only
    # Calendar-feed URLs (services/feeds.py) start with this; None: the request's own base URL.
    public_base_url: str | None = field(default_factory=_public_base_url)
    clock: Clock = field(default=utc_now)
