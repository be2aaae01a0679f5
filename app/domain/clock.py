"""The real clock: aware UTC datetimes (tests pass a fake with the same shape instead)."""

from __future__ import annotations

from datetime import UTC, datetime


def utc_now() -> datetime:
    return datetime.now(UTC)
