"""Patient endpoints: pull (sync), push (mutations), support alerts, sharing."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Response

from clinic.routers.deps import AUTHED, Caller, Svc
from clinic.schemas import (
    AlertRequest,
    Change,
    Id,
    MutationBatch,
    MutationResponse,
    ShareCreated,
    ShareRequest,
    SyncResponse,
)

router = APIRouter(prefix="/v1", tags=["patient"])


@router.get("/sync", response_model=SyncResponse, responses=AUTHED)
def sync(
    who: Caller,
    svc: Svc,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 200,
) -> dict[str, Any]:
    """The changes the caller may see since `cursor` (patients and family members)."""
    return svc.sync.pull(who, cursor, limit)


@router.post("/mutations", response_model=MutationResponse, responses=AUTHED)
def mutations(body: MutationBatch, who: Caller, svc: Svc) -> dict[str, Any]:
    """Apply a batch of patient edits, each once, each with its own result."""
    batch = [m.model_dump() for m in body.mutations]
    return {"results": svc.mutations.apply_batch(who, batch)}


@router.post(
    "/support-alerts", status_code=201, response_model=Change, responses={200: {"model": Change}, **AUTHED}
)
def support_alert(
    body: AlertRequest,
    who: Caller,
    svc: Svc,
    response: Response,
    idempotency_key: Annotated[Id, Header(alias="Idempotency-Key")],
) -> dict[str, Any]:
    """Raise a support alert now; the same Idempotency-Key again is the same alert (200)."""
    change, created = svc.alerts.raise_alert(who, idempotency_key, body.created_at)
    if not created:
        response.status_code = 200
    return change


@router.post("/shares", status_code=201, response_model=ShareCreated, responses=AUTHED)
def create_share(body: ShareRequest, who: Caller, svc: Svc) -> dict[str, Any]:
    """Consent to share the schedule with one person: returns a one-time invitation code."""
    return svc.sharing.create(who, body.model_dump())


@router.get("/shares", response_model=list[Change], responses=AUTHED)
def list_shares(who: Caller, svc: Svc) -> list[dict[str, Any]]:
    """The patient's pending and active shares."""
    return svc.sharing.list_shares(who)


@router.delete("/shares/{share_id}", status_code=204, responses=AUTHED)
def revoke_share(share_id: Id, who: Caller, svc: Svc) -> Response:
    """Revoke a share; effective on the family member's next request."""
    svc.sharing.revoke(who, share_id)
    return Response(status_code=204)
