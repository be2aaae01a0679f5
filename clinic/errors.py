"""API errors as RFC 9457 problem+json, and the handlers that make sure no input gives a 500.

ApiError                 (status, code, title, detail)
├── BadRequest           400 request.invalid, auth.code_*, sync.cursor_invalid
├── Unauthorized         401 auth.*
├── Forbidden            403 auth.forbidden, share.revoked, share.expired
├── NotFound             404 not_found
├── Conflict             409
├── Gone                 410 feed.* (a calendar feed or download link that ended)
├── TooLarge             413 request.too_large
└── RateLimited          429 rate_limited (with Retry-After)
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

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


class Gone(ApiError):
    status = 410


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


def invalid_request(errors: Sequence[Mapping[str, Any]], where: str = "") -> BadRequest:
    """400 request.invalid from pydantic errors, naming the fields (never echoing their values).

    `where` prefixes each location for errors found outside FastAPI's parsing (e.g. "body" when a
    service validates a stored record merged with a patch), so they read like FastAPI's own.
    """
    locs = [[*([where] if where else []), *(str(p) for p in err.get("loc", ()))] for err in errors]
    listed = [
        {"loc": loc, "msg": str(err.get("msg", "")), "type": err.get("type")}
        for loc, err in zip(locs, errors, strict=True)
    ]
    if any(e["type"] == "json_invalid" for e in listed):
        detail = "The body is not valid JSON."
    else:
        fields = list(dict.fromkeys(loc[-1][:64] for loc in locs if len(loc) > 1))[:10]
        detail = "The request failed validation"
        detail += f": {', '.join(fields)}." if fields else "."
    bad = BadRequest("request.invalid", "Invalid request", detail)
    bad.extra["errors"] = listed
    return bad


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
    """Every failure leaves as problem+json (unexpected ones through `CatchAll`, installed by app.py)."""

    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, exc: ApiError) -> JSONResponse:
        return problem(exc.status, exc.code, exc.title, exc.detail, exc.headers, **exc.extra)

    @app.exception_handler(RequestValidationError)
    async def _validation(_request: Request, exc: RequestValidationError) -> JSONResponse:
        bad = invalid_request(exc.errors())
        return problem(bad.status, bad.code, bad.title, bad.detail, **bad.extra)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 404:
            return problem(404, "not_found", "Not found", "No such resource.")
        if exc.status_code == 405:
            # Starlette puts the path's methods in `Allow` (RFC 9110 requires it on a 405).
            allow = {"Allow": exc.headers["Allow"]} if exc.headers and "Allow" in exc.headers else None
            return problem(
                405, "request.method_not_allowed", "Method not allowed", "Method not allowed.", allow
            )
        code = "request.too_large" if exc.status_code == 413 else "request.invalid"
        return problem(exc.status_code, code, "Request error", str(exc.detail))


class CatchAll:
    """Outermost ASGI middleware: an exception nobody handled is a bare 500 problem+json.

    It is logged as one line, its type and a fresh request id (also in the answer, for support),
    and not raised further: Starlette's ServerErrorMiddleware would re-raise it for the server to
    log the whole traceback, whose SQL and parameters may carry PHI. Mid-response (a stream) the
    connection just ends.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracked(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracked)
        except Exception as exc:
            request_id = uuid.uuid4().hex
            log.error("unhandled error type=%s request_id=%s", type(exc).__name__, request_id)
            if started:
                return
            answer = problem(
                500,
                "server.error",
                "Server error",
                "Something went wrong on the server.",
                {"X-Request-ID": request_id},
                request_id=request_id,
            )
            await answer(scope, receive, send)
