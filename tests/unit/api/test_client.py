"""ClinicClient over httpx.MockTransport: error mapping, the refresh rule, the HTTPS rule, models."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable

import httpx
import pytest

from app.api import errors
from app.api.client import ClinicClient, check_server_url
from app.api.models import Mutation, SyncPage, Tokens
from app.api.mutations import RsvpSet
from app.domain.model import RsvpResponse

Handler = Callable[[httpx.Request], httpx.Response]


class Tokens1:
    def __init__(self) -> None:
        self.tokens: Tokens | None = Tokens("access-1", "refresh-1")
        self.saved = 0

    async def load(self) -> Tokens | None:
        return self.tokens

    async def save(self, tokens: Tokens) -> None:
        self.tokens = tokens
        self.saved += 1


def problem(status: int, code: str, headers: dict[str, str] | None = None) -> httpx.Response:
    return httpx.Response(status, json={"status": status, "code": code, "detail": "x"}, headers=headers)


def client(handler: Handler, tokens: Tokens1 | None = None) -> ClinicClient:
    return ClinicClient(
        "http://127.0.0.1:8000", tokens=tokens or Tokens1(), transport=httpx.MockTransport(handler)
    )


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://clinic.example.org", True),
        ("http://127.0.0.1:8000/", True),
        ("http://127.8.9.1", True),
        ("http://[::1]:81", True),
        ("http://localhost:5000", True),
        ("http://clinic.example.org", False),
        ("http://10.0.0.2", False),
        ("ftp://clinic.example.org", False),
    ],
)
def test_https_is_required_except_to_loopback(url: str, ok: bool) -> None:
    if ok:
        assert not check_server_url(url).endswith("/")
    else:
        with pytest.raises(errors.InsecureServerError):
            check_server_url(url)


@pytest.mark.parametrize(
    ("response", "expected"),
    [
        (problem(400, "request.invalid"), errors.InvalidRequestError),
        (problem(400, "sync.cursor_invalid"), errors.CursorInvalidError),
        (problem(400, "auth.code_expired"), errors.InvalidCodeError),
        (problem(401, "auth.invalid_credentials"), errors.InvalidCredentialsError),
        (problem(401, "auth.token_invalid"), errors.SessionEndedError),
        (problem(401, "auth.device_revoked"), errors.DeviceRevokedError),
        (problem(403, "auth.forbidden"), errors.ForbiddenError),
        (problem(403, "share.revoked"), errors.ShareEndedError),
        (problem(404, "not_found"), errors.NotFoundError),
        (problem(413, "request.too_large"), errors.InvalidRequestError),
        (problem(429, "rate_limited", {"Retry-After": "7"}), errors.RateLimitedError),
        (httpx.Response(502, text="<html>bad gateway</html>"), errors.ServerError),
        (httpx.Response(200, text="not json"), errors.ResponseFormatError),
        (httpx.Response(200, json={"changes": "nope"}), errors.ResponseFormatError),
    ],
)
async def test_answers_map_once_into_the_app_hierarchy(response: httpx.Response, expected: type) -> None:
    api = client(lambda _request: response)
    with pytest.raises(expected) as err:
        await api.pull(None)
    await api.aclose()
    assert isinstance(err.value, errors.ApiError)
    if expected is errors.RateLimitedError:
        assert isinstance(err.value, errors.ProblemError)
        assert err.value.retry_after == 7.0


@pytest.mark.parametrize(
    ("exc", "expected"),
    [
        (httpx.ConnectError("refused"), errors.OfflineError),
        (httpx.ConnectTimeout("slow"), errors.OfflineError),
        (httpx.ReadTimeout("slow"), errors.ConnectionLostError),
        (httpx.ReadError("reset"), errors.ConnectionLostError),
        (httpx.RemoteProtocolError("truncated"), errors.ConnectionLostError),
    ],
)
async def test_transport_failures_are_offline_or_connection_lost(exc: Exception, expected: type) -> None:
    def fail(request: httpx.Request) -> httpx.Response:
        raise exc

    api = client(fail)
    with pytest.raises(expected):
        await api.pull(None)
    await api.aclose()


async def test_an_expired_token_is_refreshed_once_and_the_call_retried() -> None:
    tokens = Tokens1()
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(f"{request.url.path} {request.headers.get('Authorization')}")
        if request.url.path == "/v1/auth/refresh":
            assert json.loads(request.content) == {"refresh_token": "refresh-1"}
            return httpx.Response(200, json={"access_token": "access-2", "refresh_token": "refresh-2",
                                             "expires_in": 900, "role": "patient", "account_id": "p",
                                             "display_name": "A"})  # fmt: skip
        if request.headers["Authorization"] == "Bearer access-1":
            return problem(401, "auth.token_expired")
        return httpx.Response(200, json={"changes": [], "cursor": "c", "has_more": False, "reset": False})

    api = client(handler, tokens)
    results = await asyncio.gather(api.pull(None), api.pull(None), api.pull(None))
    await api.aclose()
    assert all(isinstance(r, SyncPage) for r in results)
    assert sum(1 for s in seen if s.startswith("/v1/auth/refresh")) == 1  # a reused refresh revokes
    assert tokens.tokens == Tokens("access-2", "refresh-2")


async def test_a_failed_refresh_ends_the_session() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/v1/auth/refresh":
            return problem(401, "auth.token_invalid")
        return problem(401, "auth.token_expired")

    api = client(handler)
    with pytest.raises(errors.SessionEndedError):
        await api.pull(None)
    await api.aclose()


async def test_a_revoked_device_at_refresh_is_reported_as_revoked() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/v1/auth/refresh":
            return problem(401, "auth.device_revoked")
        return problem(401, "auth.token_expired")

    api = client(handler)
    with pytest.raises(errors.DeviceRevokedError):
        await api.pull(None)
    await api.aclose()


async def test_support_alert_carries_its_idempotency_key_and_push_its_batch() -> None:
    seen: dict[str, httpx.Request] = {}
    change = {
        "type": "support_alert",
        "id": "k1",
        "version": 3,
        "deleted": False,
        "data": {"created_at": "2026-03-01T10:00:00+00:00", "status": "received"},
    }

    def handler(request: httpx.Request) -> httpx.Response:
        seen[request.url.path] = request
        if request.url.path == "/v1/support-alerts":
            return httpx.Response(201, json=change)
        return httpx.Response(200, json={"results": [{"id": "m1", "status": "applied", "change": change}]})

    api = client(handler)
    got = await api.raise_support_alert("k1", "2026-03-01T10:00:00+00:00")
    results = await api.push([Mutation("m1", RsvpSet("s", RsvpResponse.GOING), 4)])
    await api.aclose()
    assert got.id == "k1"
    assert seen["/v1/support-alerts"].headers["Idempotency-Key"] == "k1"
    assert json.loads(seen["/v1/mutations"].content)["mutations"][0]["base_version"] == 4
    assert results[0].status == "applied"
    with pytest.raises(ValueError, match="1 to 100"):
        await client(handler).push([Mutation(f"m{i}", RsvpSet("s", RsvpResponse.GOING)) for i in range(101)])


async def test_without_tokens_the_session_has_ended() -> None:
    tokens = Tokens1()
    tokens.tokens = None
    api = client(lambda _r: httpx.Response(200), tokens)
    with pytest.raises(errors.SessionEndedError):
        await api.pull("c")
    await api.aclose()
