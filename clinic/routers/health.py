"""Liveness: GET /v1/health (no auth, touches the database)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from clinic.routers.deps import Svc
from clinic.schemas import Health

router = APIRouter(tags=["health"])

API_VERSION = "1"


@router.get("/v1/health", response_model=Health)
def health(svc: Svc) -> dict[str, Any]:
    """`{"status": "ok"}` once the server is up and its database answers."""
    svc.db.ping()
    return {"status": "ok", "version": API_VERSION}
