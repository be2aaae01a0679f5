"""The API client's errors: every httpx exception and problem+json answer is translated here, once.

ApiError                          .code is a stable message key the UI translates
├── InsecureServerError           a plain http:// URL that is not loopback
├── NetworkError                  transient: try again later
│   ├── OfflineError              could not reach the server at all (connect/DNS/refused)
│   └── ConnectionLostError       reached it, but the exchange broke (reset, timeout, truncation)
├── ResponseFormatError           the answer was not what docs/api.md promises
└── ProblemError                  the server answered with a problem (.status, .problem_code)
    ├── InvalidRequestError       400 request.invalid, 413 request.too_large
    ├── CursorInvalidError        400 sync.cursor_invalid
    ├── InvalidCodeError          400 auth.code_invalid / code_expired / code_used
    ├── AuthError                 401
    │   ├── InvalidCredentialsError   auth.invalid_credentials
    │   ├── TokenExpiredError         auth.token_expired (refreshed once, inside the client)
    │   ├── SessionEndedError         refresh failed, the token is missing/invalid, or an
    │   │                             alert's signature was refused with no valid bearer: sign out
    │   └── DeviceRevokedError        auth.device_revoked: wipe this device
    ├── ForbiddenError            403 auth.forbidden
    │   └── ShareEndedError       403 share.revoked / share.expired
    ├── NotFoundError             404
    ├── ConflictError             409
    │   └── DeviceKeyExistsError  device.key_exists: another key is registered for this device
    ├── RateLimitedError          429 (.retry_after)
    └── ServerError               5xx or any status the contract does not list (.retry_after)
"""

from __future__ import annotations


class ApiError(Exception):
    """Base of the client's errors. `str()` never contains tokens, bodies or PHI."""

    code = "api.error"


class InsecureServerError(ApiError, ValueError):
    code = "api.insecure_server"


class NetworkError(ApiError):
    code = "sync.connection_lost"


class OfflineError(NetworkError):
    code = "sync.offline"


class ConnectionLostError(NetworkError):
    code = "sync.connection_lost"


class ResponseFormatError(ApiError):
    code = "api.bad_response"


class ProblemError(ApiError):
    """The server answered with an RFC 9457 problem."""

    code = "api.problem"

    def __init__(
        self, status: int, problem_code: str, detail: str = "", *, retry_after: float | None = None
    ) -> None:
        super().__init__(f"{status} {problem_code}")
        self.status = status
        self.problem_code = problem_code
        self.detail = detail  # English prose from the server; for logs of staff, never PHI-checked
        self.retry_after = retry_after


class InvalidRequestError(ProblemError):
    code = "api.invalid_request"


class CursorInvalidError(ProblemError):
    code = "sync.cursor_invalid"


class InvalidCodeError(ProblemError):
    code = "auth.code_invalid"


class AuthError(ProblemError):
    code = "auth.error"


class InvalidCredentialsError(AuthError):
    code = "auth.invalid_credentials"


class TokenExpiredError(AuthError):
    code = "auth.token_expired"


class SessionEndedError(AuthError):
    code = "auth.session_ended"


class DeviceRevokedError(AuthError):
    code = "auth.device_revoked"


class ForbiddenError(ProblemError):
    code = "auth.forbidden"


class ShareEndedError(ForbiddenError):
    code = "share.ended"


class NotFoundError(ProblemError):
    code = "api.not_found"


class ConflictError(ProblemError):
    code = "api.conflict"


class DeviceKeyExistsError(ConflictError):
    code = "device.key_exists"


class RateLimitedError(ProblemError):
    code = "sync.rate_limited"


class ServerError(ProblemError):
    code = "sync.server_error"


_BY_CODE: dict[str, type[ProblemError]] = {
    "request.invalid": InvalidRequestError,
    "request.too_large": InvalidRequestError,
    "sync.cursor_invalid": CursorInvalidError,
    "auth.code_invalid": InvalidCodeError,
    "auth.code_expired": InvalidCodeError,
    "auth.code_used": InvalidCodeError,
    "auth.invalid_credentials": InvalidCredentialsError,
    "auth.token_expired": TokenExpiredError,
    "auth.token_missing": SessionEndedError,
    "auth.token_invalid": SessionEndedError,
    "auth.device_revoked": DeviceRevokedError,
    "auth.signature_invalid": SessionEndedError,
    "device.key_exists": DeviceKeyExistsError,
    "auth.forbidden": ForbiddenError,
    "share.revoked": ShareEndedError,
    "share.expired": ShareEndedError,
    "not_found": NotFoundError,
    "rate_limited": RateLimitedError,
}

_BY_STATUS: dict[int, type[ProblemError]] = {
    400: InvalidRequestError,
    401: SessionEndedError,
    403: ForbiddenError,
    404: NotFoundError,
    409: ConflictError,
    413: InvalidRequestError,
    422: InvalidRequestError,
    429: RateLimitedError,
}


def problem_error(status: int, problem_code: str, detail: str, retry_after: float | None) -> ProblemError:
    """The error class for a problem answer: by its code, else by its status."""
    cls = _BY_CODE.get(problem_code) or _BY_STATUS.get(status, ServerError)
    return cls(status, problem_code, detail, retry_after=retry_after)
