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


def bearer_token(
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> str | None:
    return None if credentials is None else credentials.credentials


def principal(request: Request, token: Annotated[str | None, Depends(bearer_token)]) -> Principal:
    return services(request).auth.authenticate(token)


def client_address(request: Request) -> str:
    """The caller's address (uvicorn applies X-Forwarded-For only from trusted proxies)."""
    return request.client.host if request.client is not None else ""


Svc = Annotated[Services, Depends(services)]
Caller = Annotated[Principal, Depends(principal)]
# The raw bearer, for endpoints that authenticate themselves (signed alerts, streams that re-check).
BearerToken = Annotated[str | None, Depends(bearer_token)]
ClientAddress = Annotated[str, Depends(client_address)]


HEADERS: dict[int, dict[str, Any]] = {
    401: {
        "WWW-Authenticate": {
            "description": 'RFC 6750: Bearer realm="waypoint" (with error="invalid_token" for a bad token)',
            "schema": {"type": "string"},
        }
    },
    429: {"Retry-After": {"description": "seconds to wait", "schema": {"type": "integer"}}},
}


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI: the problem+json answers an endpoint can give."""
    answers: dict[int | str, dict[str, Any]] = {}
    for s in statuses:
        answers[s] = {"model": Problem, "content": {"application/problem+json": {}}, "description": "Problem"}
        if s in HEADERS:
            answers[s]["headers"] = HEADERS[s]
    return answers


AUTHED = problems(400, 401, 403, 404, 413, 429)
