"""Typed mutations: one registry of mutation types, one payload model each, bad stored payloads refused."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

import httpx
import pytest

from app.api.client import ClinicClient
from app.api.models import Mutation, Tokens
from app.api.mutations import (
    MUTATION_TYPES,
    AssignmentComplete,
    AssignmentReopen,
    CheckinSubmit,
    CopingPlanUpdate,
    MutationPayload,
    PayloadFormatError,
    RsvpSet,
    SupportAlertRaise,
    parse_payload,
)
from app.api.records import CopingPlanRecord
from app.domain.model import MutationType, RsvpResponse

PAYLOADS: list[tuple[MutationPayload, dict[str, Any]]] = [
    (
        RsvpSet("s1", RsvpResponse.CANNOT, "sick"),
        {"schedule_item_id": "s1", "response": "cannot", "note": "sick"},
    ),
    (AssignmentComplete("a1", "done it"), {"assignment_id": "a1", "response": "done it"}),
    (AssignmentReopen("a1"), {"assignment_id": "a1"}),
    (
        CopingPlanUpdate(CopingPlanRecord(warning_signs=("payday",), reasons=("my kids",))),
        {
            "warning_signs": ["payday"],
            "on_my_own": [],
            "distractions": [],
            "people_to_ask": [],
            "professionals": [],
            "safe_surroundings": [],
            "reasons": ["my kids"],
        },
    ),
    (
        SupportAlertRaise(datetime(2026, 3, 1, 10, tzinfo=UTC)),
        {"created_at": "2026-03-01T10:00:00+00:00"},
    ),
    (
        CheckinSubmit(
            "c1",
            "q-daily",
            date(2026, 3, 2),
            datetime(2026, 3, 2, 16, tzinfo=UTC),
            {"craving": 9, "used": False, "note": ""},
        ),
        {
            "checkin_id": "c1",
            "questionnaire_id": "q-daily",
            "period": "2026-03-02",
            "answered_at": "2026-03-02T16:00:00+00:00",
            "answers": {"craving": 9, "used": False, "note": ""},
        },
    ),
]


class FixedTokens:
    async def load(self) -> Tokens:
        return Tokens("access", "refresh")

    async def save(self, tokens: Tokens) -> None:
        return None


def test_every_mutation_type_has_exactly_one_payload_model() -> None:
    assert set(MUTATION_TYPES) == set(MutationType)
    assert {type(p).TYPE for p, _ in PAYLOADS} == set(MutationType)


@pytest.mark.parametrize(("payload", "wire"), PAYLOADS, ids=lambda v: getattr(v, "TYPE", ""))
def test_a_payload_is_sent_in_the_documented_shape_and_reads_back(
    payload: MutationPayload, wire: dict[str, Any]
) -> None:
    assert payload.to_json() == wire
    assert parse_payload(payload.TYPE, json.loads(json.dumps(wire))) == payload


@pytest.mark.parametrize(
    ("type_", "raw"),
    [
        ("rsvp.maybe", {"schedule_item_id": "s1"}),
        ("rsvp.set", {"schedule_item_id": "s1", "response": "perhaps"}),
        ("rsvp.set", {"response": "going"}),
        ("rsvp.set", ["s1", "going"]),
        ("assignment.complete", {"assignment_id": "a1"}),
        ("assignment.reopen", {"assignment_id": 7}),
        ("coping_plan.update", {"reasons": "my kids"}),
        ("support_alert.raise", {}),
        ("support_alert.raise", {"created_at": "2026-03-01T10:00:00"}),
        ("support_alert.raise", {"created_at": "yesterday"}),
    ],
)
def test_a_stored_payload_that_does_not_fit_its_type_is_refused(type_: str, raw: object) -> None:
    with pytest.raises(PayloadFormatError):
        parse_payload(type_, raw)


async def test_the_client_sends_each_mutation_with_its_registered_type_name() -> None:
    sent: list[dict[str, Any]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.extend(json.loads(request.content)["mutations"])
        return httpx.Response(200, json={"results": [{"id": m["id"], "status": "applied"} for m in sent]})

    api = ClinicClient("http://127.0.0.1:1", tokens=FixedTokens(), transport=httpx.MockTransport(handler))
    await api.push([Mutation(f"m{i}", payload, i) for i, (payload, _) in enumerate(PAYLOADS)])
    await api.aclose()
    assert [(m["type"], m["payload"], m["base_version"]) for m in sent] == [
        (str(p.TYPE), wire, i) for i, (p, wire) in enumerate(PAYLOADS)
    ]
