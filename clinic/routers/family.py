"""Family endpoints: sign up with an invitation, accept further invitations."""

from __future__ import annotations

from fastapi import APIRouter

from clinic.routers.deps import AUTHED, CurrentFamily, Svc, problems
from clinic.schemas import AcceptRequest, AnyChange, FamilySignup, SharedPatientChange, TokenResponse

router = APIRouter(prefix="/v1/family", tags=["family"])


@router.post("/signup", response_model=TokenResponse, status_code=201, responses=problems(400, 413))
def signup(body: FamilySignup, svc: Svc) -> TokenResponse:
    """Create a family account and accept the invitation."""
    return svc.sharing.signup(body)


@router.post("/invitations/accept", response_model=SharedPatientChange, responses=AUTHED)
def accept(body: AcceptRequest, who: CurrentFamily, svc: Svc) -> AnyChange:
    """Accept another patient's invitation with an existing family account."""
    return svc.sharing.accept(who, body.invitation_code)
