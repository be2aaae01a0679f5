"""The console's pure parts: wire parsing, queue order, the SSE reader, the ticking wait, the address rule."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest

from console.api import check_url, parse_sse
from console.i18n import Translator
from console.models import QueueItem, ResponseFormatError, Tokens, queue_order


def alert(id_: str, created_at: str, status: str = "received", **extra: Any) -> QueueItem:
    return QueueItem.alert(
        {
            "id": id_, "patient_id": "p", "patient_name": "Alex Rivera", "created_at": created_at,
            "status": status, "acknowledged_by": None, "acknowledged_at": None,
            "expected_response_by": created_at, "version": 1, "authenticated_by": "device_key",
            "session_state": "revoked", **extra,
        }
    )  # fmt: skip


def flag(id_: str, created_at: str, status: str = "open") -> QueueItem:
    return QueueItem.flag(
        {
            "id": id_, "patient_id": "p", "patient_name": "Alex Rivera", "reasons": ["used"],
            "severity": "high", "created_at": created_at, "checkin_id": None, "status": status,
            "acknowledged_by": None, "acknowledged_at": None, "note": None, "version": 2,
        }
    )  # fmt: skip


def test_unanswered_first_alerts_above_flags_newest_first() -> None:
    old_alert = alert("a1", "2026-11-30T09:00:00-05:00")
    new_alert = alert("a2", "2026-11-30T09:05:00-05:00")
    new_flag = flag("f1", "2026-11-30T09:10:00-05:00")
    answered = alert("a3", "2026-11-30T09:20:00-05:00", status="acknowledged")
    order = queue_order([answered, old_alert, new_flag, new_alert])
    assert [i.id for i in order] == ["a2", "a1", "f1", "a3"]


def test_an_alert_from_a_clinic_without_outcome_or_ladder_reads_as_none_and_step_zero() -> None:
    item = alert("a", "2026-11-30T09:00:00-05:00")
    assert (item.outcome, item.note, item.escalation_step, item.escalated_to) == (None, None, 0, None)
    assert (item.authenticated_by, item.session_state, item.reasons) == (
        "device_key",
        "revoked",
        ("support",),
    )
    stepped = alert("b", "2026-11-30T09:00:00-05:00", escalation_step=2, escalated_to="Clinical supervisor")
    assert (stepped.escalation_step, stepped.escalated_to) == (2, "Clinical supervisor")


@pytest.mark.parametrize(
    "bad",
    [
        {"created_at": "yesterday"},
        {"created_at": "2026-11-30T09:00:00"},  # no offset
        {"version": "1"},
        {"escalation_step": -1},
        {"patient_name": None},
    ],
)
def test_an_answer_outside_the_contract_is_refused_at_the_edge(bad: dict[str, Any]) -> None:
    fields = {"created_at": "2026-11-30T09:00:00-05:00", **bad}
    created_at = fields.pop("created_at")
    with pytest.raises(ResponseFormatError):
        alert("a", created_at, **fields)


def test_tokens_never_show_in_a_repr() -> None:
    tokens = Tokens("access-secret", "refresh-secret", 900, "staff", "acct", "Sam Ortiz", "dev")
    assert "secret" not in repr(tokens)


async def test_the_sse_reader_joins_fields_skips_comments_and_keeps_ids() -> None:
    async def lines() -> AsyncIterator[str]:
        for line in [
            "retry: 1000", "", ": keep-alive", "", "id: 7", "event: support_alert", 'data: {"id":',
            'data: "x"}', "", "event: auth_lapsed", 'data: {"code": "auth.token_expired"}', "",
        ]:  # fmt: skip
            yield line

    events = [e async for e in parse_sse(lines())]
    assert [(e.event, e.id, e.data) for e in events] == [
        ("support_alert", "7", {"id": "x"}),
        ("auth_lapsed", None, {"code": "auth.token_expired"}),
    ]


@pytest.mark.parametrize(
    ("code", "seconds", "shown"),
    [
        ("en", 45, "45 s"),
        ("en", 185, "3 min 05 s"),
        ("es", 7800, "2 h 10 min"),
        ("pt_BR", 3 * 86400, "3 dias"),
    ],
)
def test_the_wait_ticks_in_seconds_then_minutes_then_hours(code: str, seconds: int, shown: str) -> None:
    assert Translator(code).waited(timedelta(seconds=seconds)) == shown


def test_the_console_speaks_https_or_loopback_only() -> None:
    assert check_url("https://clinic.example/") == "https://clinic.example"
    assert check_url("http://127.0.0.1:8765") == "http://127.0.0.1:8765"
    for bad in ("http://clinic.example", "http://127.evil.example", "ftp://127.0.0.1", "clinic"):
        with pytest.raises(ValueError, match="not a clinic address"):
            check_url(bad)
