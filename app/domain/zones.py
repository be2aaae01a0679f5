"""The clinic's timezone: decided here once; screens, formatting and states receive the result."""

from __future__ import annotations

from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

if TYPE_CHECKING:  # model.py imports DEFAULT_TIMEZONE from here
    from app.domain.model import Clinic

# Until the clinic's record says otherwise (before the first sync, signed out, records from before
# the clinic sent its zone). The reference clinic and the first deployments are on US Eastern time.
DEFAULT_TIMEZONE = "America/New_York"


def usable_zone(value: object, default: str = DEFAULT_TIMEZONE) -> str:
    """An IANA zone name the app can use; an absent or unknown one gives `default`."""
    if not isinstance(value, str) or not value:
        return default
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        return default
    return value


def clinic_timezone(clinic: Clinic | None) -> str:
    """The zone the patient's sessions are shown in: the clinic's own, or the default before it is known."""
    return clinic.timezone if clinic is not None else DEFAULT_TIMEZONE
