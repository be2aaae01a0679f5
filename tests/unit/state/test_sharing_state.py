"""Sharing view state: what an invitation needs before it is sent, and when a chosen day ends."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from app.domain.model import ShareScope
from app.state.sharing import InviteDraft, end_of_day

TODAY = date(2026, 3, 2)


def draft(**changes: object) -> InviteDraft:
    values: dict[str, object] = {
        "recipient_name": "Pat",
        "relationship": "partner",
        "scope": ShareScope.TIMES,
        "purpose": "Rides",
        "until": TODAY + timedelta(days=30),
    }
    values.update(changes)
    return InviteDraft(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({}, None),
        ({"recipient_name": "  "}, "share.name_missing"),
        ({"relationship": ""}, "share.relationship_missing"),
        ({"purpose": " "}, "share.purpose_missing"),
        ({"until": TODAY - timedelta(days=1)}, "share.expiry_past"),
        ({"until": TODAY}, None),
        ({"until": TODAY + timedelta(days=365)}, None),
        ({"until": TODAY + timedelta(days=366)}, "share.expiry_too_far"),
    ],
)
def test_an_invitation_needs_who_why_and_an_end_within_a_year(
    changes: dict[str, object], problem: str | None
) -> None:
    assert draft(**changes).problem(TODAY) == problem


@pytest.mark.parametrize(
    ("day", "utc"),
    [
        (date(2026, 3, 7), datetime(2026, 3, 8, 4, 59, tzinfo=UTC)),  # EST, the day before the change
        (date(2026, 3, 8), datetime(2026, 3, 9, 3, 59, tzinfo=UTC)),  # EDT from that day
    ],
)
def test_sharing_ends_at_the_end_of_the_chosen_day_in_the_clinic_timezone(day: date, utc: datetime) -> None:
    assert end_of_day(day, "America/New_York") == utc
