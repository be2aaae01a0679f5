"""Staff edits: a PATCH changes only what it names, never a 500, and obeys every rule a create does.

Contract (docs/api.md): a field left out is kept; `{}` changes nothing (200, the item as it is, same
version); a field the API does not know, or `null` for a field that cannot be empty, is 400
`request.invalid` naming the field; the edited item must pass the same validation as a new one.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from tests.clinic.helpers import auth
from tests.support.clinic_server import ClinicServer

NOT_NULL = ("title", "starts_at", "ends_at", "kind", "status", "family_visible", "deleted")


def _invalid(response: httpx.Response, *fields: str) -> None:
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["code"] == "request.invalid"
    named = {e["loc"][-1] for e in body["errors"]}
    assert set(fields) <= named, body
    for field in fields:
        assert field in body["detail"], body


def _new_item(server: ClinicServer, **overrides: Any) -> dict[str, Any]:
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=2)
    body = {
        "kind": "activity",
        "title": "Walk",
        "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(hours=1)).isoformat(),
        **overrides,
    }
    pid = server.patient_id("morgan")
    response = httpx.post(
        f"{server.url}/v1/staff/patients/{pid}/schedule",
        json=body,
        headers=auth(server.staff_token()),
        timeout=10,
    )
    assert response.status_code == 201, response.text
    item: dict[str, Any] = response.json()
    return item


def _patch(server: ClinicServer, item_id: str, body: object) -> httpx.Response:
    return httpx.patch(
        f"{server.url}/v1/staff/schedule/{item_id}", json=body, headers=auth(server.staff_token()), timeout=10
    )


def test_an_empty_patch_changes_nothing(demo: ClinicServer) -> None:
    item = _new_item(demo)
    response = _patch(demo, item["id"], {})
    assert response.status_code == 200, response.text
    assert response.json() == item  # same content, same version: nothing was written


@pytest.mark.parametrize(
    "body", [{"colour": "red"}, {"start_at": "2026-12-01T10:00:00Z"}, {"title": "x", "x": 1}]
)
def test_unknown_fields_are_400_naming_them(demo: ClinicServer, body: dict[str, Any]) -> None:
    item = _new_item(demo)
    unknown = next(k for k in body if k not in ("title",))
    _invalid(_patch(demo, item["id"], body), unknown)
    assert _patch(demo, item["id"], {}).json() == item  # nothing half-applied


@pytest.mark.parametrize("field", NOT_NULL)
def test_null_for_a_field_that_cannot_be_empty_is_400_naming_it(demo: ClinicServer, field: str) -> None:
    item = _new_item(demo)
    _invalid(_patch(demo, item["id"], {field: None}), field)


@pytest.mark.parametrize("field", ["location", "video_url", "staff_name", "note"])
def test_null_clears_an_optional_field(demo: ClinicServer, field: str) -> None:
    item = _new_item(demo, location="Room 2", video_url="https://v.example/x", staff_name="Kim", note="n")
    response = _patch(demo, item["id"], {field: None})
    assert response.status_code == 200, response.text
    assert response.json()[field] is None


@pytest.mark.parametrize(
    "change",
    [
        lambda s, e: {"ends_at": s.isoformat()},  # ends at its start
        lambda s, e: {"ends_at": (s - timedelta(minutes=1)).isoformat()},  # ends before it starts
        lambda s, e: {"starts_at": (e + timedelta(hours=1)).isoformat()},  # starts after its end
        lambda s, e: {"starts_at": e.isoformat(), "ends_at": s.isoformat()},  # swapped
    ],
    ids=["ends-at-start", "ends-before-start", "starts-after-end", "swapped"],
)
def test_an_edit_cannot_make_an_item_end_before_it_starts(demo: ClinicServer, change: Any) -> None:
    item = _new_item(demo)
    start, end = datetime.fromisoformat(item["starts_at"]), datetime.fromisoformat(item["ends_at"])
    body = change(start, end)
    created = httpx.post(
        f"{demo.url}/v1/staff/patients/{demo.patient_id('morgan')}/schedule",
        json={
            "kind": "activity",
            "title": "Walk",
            "starts_at": item["starts_at"],
            "ends_at": item["ends_at"],
            **body,
        },
        headers=auth(demo.staff_token()),
        timeout=10,
    )
    _invalid(created, "ends_at")  # the rule as create enforces it ...
    _invalid(_patch(demo, item["id"], body), "ends_at")  # ... and the same for an edit
    assert _patch(demo, item["id"], {}).json() == item


def test_a_valid_move_still_works_and_keeps_the_rules(demo: ClinicServer) -> None:
    item = _new_item(demo)
    start = datetime.fromisoformat(item["starts_at"]) + timedelta(hours=2)
    moved = _patch(
        demo,
        item["id"],
        {"starts_at": start.isoformat(), "ends_at": (start + timedelta(hours=1)).isoformat()},
    )
    assert moved.status_code == 200, moved.text
    assert moved.json()["status"] == "moved"
    assert moved.json()["version"] > item["version"]
