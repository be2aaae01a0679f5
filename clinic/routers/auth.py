"""Auth endpoints: enrolment codes, password sign-in, refresh rotation, logout."""

from __future__ import annotations

from fastapi import APIRouter, Response

from clinic.routers.deps import AUTHED, Caller, ClientAddress, Svc, problems
from clinic.schemas import EnrolRequest, RefreshRequest, TokenRequest, TokenResponse

router = APIRouter(prefix="/v1/auth", tags=["auth"])


@router.post("/enrol", response_model=TokenResponse, responses=problems(400, 413))
def enrol(body: EnrolRequest, svc: Svc) -> TokenResponse:
    """Exchange a one-time enrolment code (from staff) for a patient's tokens.

    `device_key` (optional): the new device's Ed25519 public key, for device-signed support alerts.
    """
    return svc.auth.enrol(body.code, body.device_name, body.device_key)


@router.post("/token", response_model=TokenResponse, responses=problems(400, 401, 413, 429))
def token(body: TokenRequest, svc: Svc, client: ClientAddress) -> TokenResponse:
    """Sign in with username and password (optionally registering the new device's `device_key`).

    Failures are throttled per (username, client address) with growing delays: 429 + Retry-After.
    """
    return svc.auth.sign_in(body.username, body.password, body.device_name, client, body.device_key)


@router.post("/refresh", response_model=TokenResponse, responses=problems(400, 401, 413))
def refresh(body: RefreshRequest, svc: Svc) -> TokenResponse:
    """Rotate: a new pair for the refresh token. The same token again within the grace window
    (60 s) answers the same pair (a lost reply); after it, the reuse revokes the device."""
    return svc.auth.refresh(body.refresh_token)


@router.post("/logout", status_code=204, responses=AUTHED)
def logout(who: Caller, svc: Svc) -> Response:
    """Revoke this device's tokens."""
    svc.auth.logout(who)
    return Response(status_code=204)
