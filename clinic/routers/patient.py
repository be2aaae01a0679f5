"""Patient endpoints: pull (sync), push (mutations), support alerts (session or device-signed),
the device key, sharing."""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, Header, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from clinic.errors import BadRequest, Unauthorized
from clinic.routers.deps import AUTHED, BearerToken, CurrentPatient, PatientOrFamily, Svc, problems, require
from clinic.schemas import (
    AlertRequest,
    AnyChange,
    DeviceKeyRequest,
    Id,
    MutationBatch,
    MutationResponse,
    ShareChange,
    ShareCreated,
    ShareRequest,
    SupportAlertChange,
    SyncResponse,
)

router = APIRouter(prefix="/v1", tags=["patient"])


@router.get("/sync", response_model=SyncResponse, responses=AUTHED)
async def sync(
    who: PatientOrFamily,
    svc: Svc,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 200,
) -> SyncResponse:
    """The changes the caller may see since `cursor` (patients and family members)."""
    # async, with the read in FastAPI's thread pool: a plain `def` endpoint costs a second hop there
    # to validate its answer (the most frequent request: docs/PERFORMANCE.md, "Clinic capacity").
    return await run_in_threadpool(svc.sync.pull, who, cursor, limit)


@router.post("/mutations", response_model=MutationResponse, responses=AUTHED)
def mutations(body: MutationBatch, who: CurrentPatient, svc: Svc) -> MutationResponse:
    """Apply a batch of patient edits, each once, each with its own result."""
    return MutationResponse(results=svc.mutations.apply_batch(who, body.mutations))


SIGNED_ALERT_HEADERS = (
    "Without a valid bearer, the alert is accepted if signed by the device's registered key "
    "(docs/api.md, Device-signed support alerts)."
)


@router.post(
    "/support-alerts",
    status_code=201,
    response_model=SupportAlertChange,
    responses={200: {"model": SupportAlertChange}, **AUTHED, **problems(409)},
)
async def support_alert(
    request: Request,
    body: AlertRequest,
    svc: Svc,
    response: Response,
    token: BearerToken,
    idempotency_key: Annotated[Id, Header(alias="Idempotency-Key")],
    device_id: Annotated[
        str | None, Header(alias="Waypoint-Device-Id", description="The sending device's id.")
    ] = None,
    signed_at: Annotated[
        str | None,
        Header(alias="Waypoint-Signed-At", description="UTC time of signing, e.g. 2026-11-29T23:55:00Z."),
    ] = None,
    signature: Annotated[
        str | None,
        Header(
            alias="Waypoint-Signature", description="Ed25519 signature, base64url. " + SIGNED_ALERT_HEADERS
        ),
    ] = None,
) -> AnyChange:
    """Raise a support alert now; the same Idempotency-Key and body again is the same alert (200).

    The key is scoped to the caller and to support alerts: a key already used for another kind of
    request, or with another body, is 409 `idempotency.key_reused`. A patient whose session lapsed
    (token missing, expired or revoked) can still raise it with a device signature; staff then see
    `authenticated_by: "device_key"` and the session's state.
    """
    if len(request.headers.getlist("idempotency-key")) != 1:
        raise BadRequest("request.invalid", "Invalid request", "Send exactly one Idempotency-Key header.")
    via = ("session", "active")
    try:
        who = await asyncio.to_thread(svc.auth.authenticate, token)
    except Unauthorized as lapse:  # the bearer failed: a patient's device signature may stand in
        raw = await request.body()
        who, state = await asyncio.to_thread(
            svc.auth.device_signer, device_id, idempotency_key, signed_at, signature, raw, lapse
        )
        via = ("device_key", state)
    require(who, "patient")  # a valid bearer of another role stays refused, signature or not
    change, created = await asyncio.to_thread(
        svc.alerts.raise_alert,
        who,
        idempotency_key,
        body.created_at,
        authenticated_by=via[0],
        session_state=via[1],
    )
    if not created:
        response.status_code = 200
    return change


@router.put("/devices/current/key", status_code=204, tags=["devices"], responses={**AUTHED, **problems(409)})
def device_key(body: DeviceKeyRequest, who: CurrentPatient, svc: Svc) -> Response:
    """Register the Ed25519 public key of the caller's device (patients; for devices signed in
    before keys existed): 204 if it has none or the same one, 409 `device.key_exists` otherwise."""
    svc.auth.register_key(who, body.device_key)
    return Response(status_code=204)


@router.post("/shares", status_code=201, response_model=ShareCreated, responses=AUTHED)
def create_share(body: ShareRequest, who: CurrentPatient, svc: Svc) -> ShareCreated:
    """Consent to share the schedule with one person: returns a one-time invitation code."""
    return svc.sharing.create(who, body)


@router.get("/shares", response_model=list[ShareChange], responses=AUTHED)
def list_shares(who: CurrentPatient, svc: Svc) -> list[AnyChange]:
    """The patient's pending and active shares."""
    return svc.sharing.list_shares(who)


@router.delete("/shares/{share_id}", status_code=204, responses=AUTHED)
def revoke_share(share_id: Id, who: CurrentPatient, svc: Svc) -> Response:
    """Revoke a share; effective on the family member's next request."""
    svc.sharing.revoke(who, share_id)
    return Response(status_code=204)
