"""Dependencies every router shares: the service container, the authenticated caller and its role.

Who may call an endpoint is in its signature: `CurrentPatient`, `CurrentFamily`, `CurrentStaff`,
`PatientOrFamily` (a 403 `auth.forbidden` for any other role), or `Caller` (any signed-in role).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from clinic.container import Services
from clinic.errors import forbidden
from clinic.roles import Role
from clinic.schemas import Problem
from clinic.services.auth import Principal

bearer = HTTPBearer(auto_error=False, description="The access token from /v1/auth/*")


# The dependencies that do no I/O are `async def`: FastAPI runs a plain `def` dependency in its
# thread pool, and each such hop is a wait for a worker thread and then for the event loop — on a
# busy process that was most of a no-change sync's time (docs/PERFORMANCE.md, "Clinic capacity").


async def services(request: Request) -> Services:
    found: Services = request.app.state.services
    return found


async def bearer_token(
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> str | None:
    return None if credentials is None else credentials.credentials


def principal(request: Request, token: Annotated[str | None, Depends(bearer_token)]) -> Principal:
    found: Services = request.app.state.services
    return found.auth.authenticate(token)  # a database read: stays a thread-pool dependency


def require(who: Principal, *roles: Role) -> Principal:
    """`who` if their role is one of `roles`; else 403 auth.forbidden."""
    if who.role not in roles:
        raise forbidden()
    return who


def _role(*roles: Role) -> Callable[..., Awaitable[Principal]]:
    async def caller_with_role(who: Annotated[Principal, Depends(principal)]) -> Principal:
        return require(who, *roles)

    return caller_with_role


async def client_address(request: Request) -> str:
    """The caller's address (uvicorn applies X-Forwarded-For only from trusted proxies)."""
    return request.client.host if request.client is not None else ""


Svc = Annotated[Services, Depends(services)]
Caller = Annotated[Principal, Depends(principal)]
CurrentPatient = Annotated[Principal, Depends(_role("patient"))]
CurrentFamily = Annotated[Principal, Depends(_role("family"))]
CurrentStaff = Annotated[Principal, Depends(_role("staff"))]
PatientOrFamily = Annotated[Principal, Depends(_role("patient", "family"))]
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
