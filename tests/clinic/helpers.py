"""Small helpers for the clinic backend tests: HTTP calls, and the demo clinic in-process."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from clinic.config import Settings
from clinic.container import Services
from clinic.database import Database, sqlite_url
from clinic.security import Passwords
from clinic.seed import seed_demo
from tests.support.clinic_server import ClinicServer


def demo_services(database: Path) -> Services:
    """The demo clinic's services in this process, over a new SQLite file (no HTTP server): for
    tests that count what the services themselves do. The caller closes them."""
    settings = Settings(database_url=sqlite_url(database))
    seeding = Database(settings.database_url)
    seeding.migrate()
    seed_demo(seeding, settings, Passwords(fast=True))
    seeding.dispose()
    return Services.build(settings, Passwords(fast=True))


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def sync_page(
    server: ClinicServer, token: str, cursor: str | None = None, limit: int = 200
) -> httpx.Response:
    params: dict[str, Any] = {"limit": limit}
    if cursor is not None:
        params["cursor"] = cursor
    return httpx.get(f"{server.url}/v1/sync", params=params, headers=auth(token), timeout=10)


def sync_all(
    server: ClinicServer, token: str, cursor: str | None = None, limit: int = 200, max_pages: int = 200
) -> tuple[list[dict[str, Any]], str]:
    """Every change from `cursor` on, following has_more; (changes, final cursor)."""
    changes: list[dict[str, Any]] = []
    for _ in range(max_pages):
        response = sync_page(server, token, cursor, limit)
        assert response.status_code == 200, response.text
        body = response.json()
        changes.extend(body["changes"])
        cursor = body["cursor"]
        if not body["has_more"]:
            return changes, str(cursor)
    raise AssertionError("sync did not finish")


def latest(changes: list[dict[str, Any]]) -> dict[tuple[str, str], dict[str, Any]]:
    """Apply changes in order, as a client would: (type, id) → last change."""
    state: dict[tuple[str, str], dict[str, Any]] = {}
    for change in changes:
        state[(change["type"], change["id"])] = change
    return {k: v for k, v in state.items() if not v["deleted"]}


def mutate(server: ClinicServer, token: str, *mutations: dict[str, Any]) -> list[dict[str, Any]]:
    response = httpx.post(
        f"{server.url}/v1/mutations", json={"mutations": list(mutations)}, headers=auth(token), timeout=30
    )
    assert response.status_code == 200, response.text
    results: list[dict[str, Any]] = response.json()["results"]
    return results


def mutation(
    type_: str, payload: dict[str, Any], base_version: int | None = None, id_: str | None = None
) -> dict[str, Any]:
    return {"id": id_ or str(uuid.uuid4()), "type": type_, "payload": payload, "base_version": base_version}


# The app keeps each alert's created_at in its outbox and sends the same body on every retry.
_created_at: dict[str, str] = {}


def raise_alert(
    server: ClinicServer, token: str, alert_id: str, created_at: str | None = None
) -> httpx.Response:
    if created_at is None:
        created_at = _created_at.setdefault(alert_id, datetime.now(UTC).isoformat())
    return httpx.post(
        f"{server.url}/v1/support-alerts",
        json={"created_at": created_at},
        headers={**auth(token), "Idempotency-Key": alert_id},
        timeout=30,
    )
