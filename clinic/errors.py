"""API errors as RFC 9457 problem+json, and the handlers that make sure no input gives a 500.

ApiError                 (status, code, title, detail)
├── BadRequest           400 request.invalid, auth.code_*, sync.cursor_invalid
├── Unauthorized         401 auth.*
├── Forbidden            403 auth.forbidden, share.revoked, share.expired
├── NotFound             404 not_found
├── Conflict             409
├── TooLarge             413 request.too_large
└── RateLimited          429 rate_limited (with Retry-After)
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger("clinic")

PROBLEM = "application/problem+json"


class ApiError(Exception):
    status = 400

    def __init__(self, code: str, title: str, detail: str = "", *, headers: dict[str, str] | None = None):
        super().__init__(code)
        self.code = code
        self.title = title
        self.detail = detail or title
        self.headers = headers or {}
        self.extra: dict[str, Any] = {}


class BadRequest(ApiError):
    status = 400


class Unauthorized(ApiError):
    status = 401


class Forbidden(ApiError):
    status = 403


class NotFound(ApiError):
    status = 404

    def __init__(self, detail: str = "No such record.") -> None:
        super().__init__("not_found", "Not found", detail)


class Conflict(ApiError):
    status = 409


class TooLarge(ApiError):
    status = 413


class RateLimited(ApiError):
    status = 429

    def __init__(self, retry_after: int) -> None:
        super().__init__(
            "rate_limited",
            "Too many attempts",
            f"Too many attempts. Try again in {retry_after} seconds.",
            headers={"Retry-After": str(retry_after)},
        )


def forbidden() -> Forbidden:
    return Forbidden("auth.forbidden", "Forbidden", "Your account may not do this.")


def problem(
    status: int, code: str, title: str, detail: str, headers: dict[str, str] | None = None, **extra: Any
) -> JSONResponse:
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    body["code"] = code
    body.update(extra)
    return JSONResponse(body, status_code=status, media_type=PROBLEM, headers=headers)


def install_handlers(app: FastAPI) -> None:
    """Every failure leaves as problem+json; unexpected ones are logged by type, never by content."""

    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, exc: ApiError) -> JSONResponse:
        return problem(exc.status, exc.code, exc.title, exc.detail, exc.headers, **exc.extra)

    @app.exception_handler(RequestValidationError)
    async def _validation(_request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {
                "loc": [str(p) for p in err.get("loc", ())],
                "msg": str(err.get("msg", "")),
                "type": err.get("type"),
            }
            for err in exc.errors()
        ]
        json_invalid = any(e["type"] == "json_invalid" for e in errors)
        detail = "The body is not valid JSON." if json_invalid else "The request failed validation."
        return problem(400, "request.invalid", "Invalid request", detail, errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 404:
            return problem(404, "not_found", "Not found", "No such resource.")
        if exc.status_code == 405:
            return problem(405, "request.method_not_allowed", "Method not allowed", "Method not allowed.")
        code = "request.too_large" if exc.status_code == 413 else "request.invalid"
        return problem(exc.status_code, code, "Request error", str(exc.detail))

    @app.exception_handler(Exception)
    async def _unexpected(_request: Request, exc: Exception) -> JSONResponse:
        log.error("unhandled error type=%s", type(exc).__name__)
        return problem(500, "server.error", "Server error", "Something went wrong on the server.")
