"""Dependencies every router shares: the service container and the authenticated caller."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from clinic.container import Services
from clinic.schemas import Problem
from clinic.services.auth import Principal

bearer = HTTPBearer(auto_error=False, description="The access token from /v1/auth/*")


def services(request: Request) -> Services:
    found: Services = request.app.state.services
    return found


def principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Principal:
    svc = services(request)
    return svc.auth.authenticate(None if credentials is None else credentials.credentials)


Svc = Annotated[Services, Depends(services)]
Caller = Annotated[Principal, Depends(principal)]


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI: the problem+json answers an endpoint can give."""
    return {
        s: {"model": Problem, "content": {"application/problem+json": {}}, "description": "Problem"}
        for s in statuses
    }


AUTHED = problems(400, 401, 403, 404, 413, 429)
