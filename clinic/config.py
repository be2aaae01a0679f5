"""Server settings and the injectable clock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class Settings:
    database_url: str
    access_ttl: timedelta = timedelta(minutes=15)
    refresh_ttl: timedelta = timedelta(days=30)
    code_ttl: timedelta = timedelta(hours=72)
    invitation_ttl: timedelta = timedelta(hours=72)
    tombstone_retention: timedelta = timedelta(days=30)
    max_body_bytes: int = 256 * 1024
    signin_failures: int = 5  # per username within signin_window
    signin_window: timedelta = timedelta(minutes=15)
    clock: Clock = field(default=utc_now)
