"""ClinicClient.live_events over httpx.MockTransport: the SSE events, the refresh rule, the error tree;
and the support_alert record's escalation step, read tolerantly."""

from __future__ import annotations

import httpx
import pytest

from app.api import errors
from app.api.client import ClinicClient
from app.api.models import LiveEvent, Tokens
from app.api.records import SupportAlertRecord
from tests.unit.api.test_client import Tokens1, problem

STREAM = (
    "retry: 2000\n\n"
    'id: 41\nevent: changed\ndata: {"version": 41}\n\n'
    ": keep-alive\n\n"
    "event: something_new\ndata: {}\n\n"
    'id: 45\nevent: changed\ndata: {"version": 45}\n\n'
    'event: auth_lapsed\ndata: {"status": 401, "code": "auth.token_expired"}\n\n'
)


def sse(text: str = STREAM) -> httpx.Response:
    return httpx.Response(200, content=text.encode(), headers={"Content-Type": "text/event-stream"})


async def events(client: ClinicClient, last: str | None = None) -> list[LiveEvent]:
    return [e async for e in client.live_events(last)]


async def test_the_stream_is_read_as_open_changed_and_auth_lapsed_events() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return sse()

    client = ClinicClient("http://127.0.0.1:8000", tokens=Tokens1(), transport=httpx.MockTransport(handler))
    assert await events(client, "40") == [
        LiveEvent("open"),
        LiveEvent("changed", id="41"),
        LiveEvent("changed", id="45"),
        LiveEvent("auth_lapsed", code="auth.token_expired"),
    ]
    (request,) = seen
    assert request.url.path == "/v1/stream"
    assert request.headers["Authorization"] == "Bearer access-1"
    assert request.headers["Last-Event-ID"] == "40"
    assert request.extensions["timeout"]["read"] == 45.0  # longer than the clinic's keep-alive


async def test_an_expired_token_is_refreshed_once_then_the_stream_opens() -> None:
    tokens = Tokens1()

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/v1/auth/refresh":
            return httpx.Response(
                200,
                json={"access_token": "access-2", "refresh_token": "refresh-2", "expires_in": 900,
                      "role": "patient", "account_id": "p", "display_name": "A"},
            )  # fmt: skip
        if request.headers["Authorization"] == "Bearer access-1":
            return problem(401, "auth.token_expired")
        return sse("id: 7\nevent: changed\ndata: {}\n\n")

    client = ClinicClient("http://127.0.0.1:8000", tokens=tokens, transport=httpx.MockTransport(handler))
    assert await events(client) == [LiveEvent("open"), LiveEvent("changed", id="7")]
    assert tokens.tokens == Tokens("access-2", "refresh-2")


@pytest.mark.parametrize(
    ("answer", "error"),
    [
        (problem(404, "not_found"), errors.NotFoundError),
        (problem(403, "share.revoked"), errors.ShareEndedError),
        (problem(401, "auth.device_revoked"), errors.DeviceRevokedError),
        (problem(503, "server.unavailable", {"Retry-After": "3"}), errors.ServerError),
    ],
)
async def test_refusals_raise_the_clients_errors(answer: httpx.Response, error: type[Exception]) -> None:
    client = ClinicClient(
        "http://127.0.0.1:8000", tokens=Tokens1(), transport=httpx.MockTransport(lambda _r: answer)
    )
    with pytest.raises(error):
        await events(client)


async def test_an_unreachable_clinic_is_offline() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    client = ClinicClient("http://127.0.0.1:8000", tokens=Tokens1(), transport=httpx.MockTransport(handler))
    with pytest.raises(errors.OfflineError):
        await events(client)


BASE = {"created_at": "2026-11-30T03:00:00+00:00", "status": "received", "acknowledged_by": None,
        "acknowledged_at": None, "expected_response_by": "2026-11-30T03:30:00+00:00"}  # fmt: skip


@pytest.mark.parametrize(
    ("raw", "step"),
    [({}, 0), ({"escalation_step": 2}, 2), ({"escalation_step": "2"}, 0), ({"escalation_step": -1}, 0),
     ({"escalation_step": True}, 0), ({"escalation_step": 10**9}, 0)],
)  # fmt: skip
def test_a_support_alerts_escalation_step_is_read_and_anything_odd_is_none(
    raw: dict[str, object], step: int
) -> None:
    record = SupportAlertRecord.parse({**BASE, **raw})
    assert record.escalation_step == step
    assert SupportAlertRecord.parse(record.to_json()) == record
