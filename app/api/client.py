"""ClinicClient: the Clinic Sync API over one httpx.AsyncClient; all errors translated in `_send`."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable, Sequence
from datetime import datetime
from typing import Any, Protocol

import httpx

from app.api import errors
from app.api.models import (
    CalendarFeedRequest,
    Change,
    FamilySignup,
    LiveEvent,
    Mutation,
    MutationResult,
    ShareCreated,
    ShareRequest,
    SyncPage,
    TokenResponse,
    Tokens,
    parse_calendar_download,
    parse_calendar_feed,
    parse_calendar_feed_created,
)
from app.api.signing import DeviceSigner, alert_headers
from app.domain.address import address_problem
from app.domain.calendar import CalendarDownload, CalendarFeed, FeedOptions
from app.domain.clock import utc_now
from app.domain.model import JSON

DEFAULT_TIMEOUT = httpx.Timeout(15.0, connect=5.0)
# The live stream is quiet between changes; the clinic sends a keep-alive every 15 s.
LIVE_TIMEOUT = httpx.Timeout(15.0, connect=5.0, read=45.0)
MAX_BATCH = 100


class TokenStore(Protocol):
    """Where the client keeps its tokens (the keychain, in the app)."""

    async def load(self) -> Tokens | None: ...
    async def save(self, tokens: Tokens) -> None: ...


def check_server_url(url: str) -> str:
    """Return the base URL without a trailing slash; refuse plain http:// except to loopback."""
    if address_problem(url) is None:
        return str(httpx.URL(url)).rstrip("/")
    raise errors.InsecureServerError("the clinic server must use https:// (plain http only to loopback)")


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After")
    try:
        return max(0.0, float(value)) if value is not None else None
    except ValueError:
        return None


class ClinicClient:
    """Typed calls to one clinic; bearer auth with one refresh on `auth.token_expired`.

    Support alerts also carry the device's signature when a `signer` is given, so the clinic
    accepts them when the session has lapsed or was revoked (docs/api.md, device-signed alerts).
    """

    def __init__(
        self,
        base_url: str,
        *,
        tokens: TokenStore | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        signer: DeviceSigner | None = None,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.base_url = check_server_url(base_url)
        self._tokens = tokens
        self._signer = signer
        self._clock = clock
        self._refresh_lock = asyncio.Lock()
        self._http = httpx.AsyncClient(
            base_url=self.base_url, transport=transport, timeout=timeout, follow_redirects=False
        )

    async def aclose(self) -> None:
        await self._http.aclose()

    # -- the one place where I/O happens and errors are translated ---------------------------

    async def _send(self, request: httpx.Request) -> httpx.Response:
        try:
            response = await self._http.send(request)
            await response.aread()
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            raise errors.OfflineError("the clinic server is unreachable") from exc
        except httpx.TransportError as exc:  # reset, read timeout, truncated body, protocol break
            raise errors.ConnectionLostError(f"connection lost: {type(exc).__name__}") from exc
        if response.is_success:
            return response
        raise self._problem(response)

    def _problem(self, response: httpx.Response) -> errors.ProblemError:
        code, detail = "", ""
        try:
            body = response.json()
            if isinstance(body, dict):
                code, detail = str(body.get("code") or ""), str(body.get("detail") or "")
        except (json.JSONDecodeError, UnicodeDecodeError):
            pass
        return errors.problem_error(response.status_code, code, detail, _retry_after(response))

    async def _call(
        self, method: str, path: str, *, body: JSON | bytes | None = None, params: JSON | None = None,
        headers: dict[str, str] | None = None, auth: bool = True,
    ) -> httpx.Response:  # fmt: skip
        if not auth:
            return await self._send(self._build(method, path, None, body, params, headers))
        tokens = await self._load_tokens()
        try:
            return await self._send(self._build(method, path, tokens, body, params, headers))
        except (errors.TokenExpiredError, errors.SessionEndedError) as exc:
            # A refresh on 401: its answer says whether the session goes on, ended, or the
            # device was revoked (a revoked device's access token may just read as invalid).
            if exc.problem_code == "auth.token_missing":
                raise
        for again in (True, False):
            fresh = await self._refresh_after(tokens)
            try:
                return await self._send(self._build(method, path, fresh, body, params, headers))
            except errors.TokenExpiredError:
                # A refresh replayed within the clinic's grace answers the pair it gave the first
                # time, whose access token may have expired since: refresh once more with it.
                if not again:
                    raise
                tokens = fresh
        raise AssertionError("unreachable")

    def _build(
        self, method: str, path: str, tokens: Tokens | None, body: JSON | bytes | None,
        params: JSON | None, headers: dict[str, str] | None,
    ) -> httpx.Request:  # fmt: skip
        all_headers = dict(headers or {})
        if tokens is not None:
            all_headers["Authorization"] = f"Bearer {tokens.access_token}"
        if isinstance(body, bytes):  # already serialised: the exact bytes a signature covers
            all_headers["Content-Type"] = "application/json"
            return self._http.build_request(method, path, content=body, params=params, headers=all_headers)
        return self._http.build_request(method, path, json=body, params=params, headers=all_headers)

    async def _load_tokens(self) -> Tokens:
        tokens = await self._tokens.load() if self._tokens is not None else None
        if tokens is None:
            raise errors.SessionEndedError(401, "auth.token_missing")
        return tokens

    async def _refresh_after(self, stale: Tokens) -> Tokens:
        # One refresh for many concurrent 401s: reusing a rotated refresh token revokes the device.
        async with self._refresh_lock:
            current = await self._load_tokens()
            if current.access_token != stale.access_token:
                return current
            try:
                answer = await self.refresh(current.refresh_token)
            except (errors.SessionEndedError, errors.TokenExpiredError, errors.InvalidRequestError) as exc:
                raise errors.SessionEndedError(401, "auth.session_ended") from exc
            return answer.tokens

    @staticmethod
    def _json(response: httpx.Response) -> Any:
        try:
            return response.json()
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise errors.ResponseFormatError("the answer was not JSON") from exc

    async def _token_call(self, path: str, body: JSON) -> TokenResponse:
        answer = TokenResponse.parse(self._json(await self._call("POST", path, body=body, auth=False)))
        if self._tokens is not None:
            await self._tokens.save(answer.tokens)
        return answer

    # -- auth ---------------------------------------------------------------------------------

    async def enrol(self, code: str, device_name: str, device_key: str | None = None) -> TokenResponse:
        body = {"code": code, "device_name": device_name}
        if device_key is not None:
            body["device_key"] = device_key
        return await self._token_call("/v1/auth/enrol", body)

    async def sign_in(
        self, username: str, password: str, device_name: str, device_key: str | None = None
    ) -> TokenResponse:
        body = {"username": username, "password": password, "device_name": device_name}
        if device_key is not None:
            body["device_key"] = device_key
        return await self._token_call("/v1/auth/token", body)

    async def renew(self) -> Tokens:
        """Refresh now (a device from before device ids learns its id from the answer)."""
        return await self._refresh_after(await self._load_tokens())

    async def register_device_key(self, device_key: str) -> None:
        """Register this device's public key (a device signed in before keys existed)."""
        await self._call("PUT", "/v1/devices/current/key", body={"device_key": device_key})

    async def refresh(self, refresh_token: str) -> TokenResponse:
        return await self._token_call("/v1/auth/refresh", {"refresh_token": refresh_token})

    async def logout(self) -> None:
        await self._call("POST", "/v1/auth/logout")

    async def family_signup(self, signup: FamilySignup) -> TokenResponse:
        return await self._token_call("/v1/family/signup", signup.to_json())

    async def accept_invitation(self, invitation_code: str) -> Change:
        body = {"invitation_code": invitation_code}
        return Change.parse(self._json(await self._call("POST", "/v1/family/invitations/accept", body=body)))

    # -- sync ---------------------------------------------------------------------------------

    async def pull(self, cursor: str | None, limit: int = 200) -> SyncPage:
        params: JSON = {"limit": limit} if cursor is None else {"cursor": cursor, "limit": limit}
        return SyncPage.parse(self._json(await self._call("GET", "/v1/sync", params=params)))

    async def live_events(self, last_event_id: str | None = None) -> AsyncIterator[LiveEvent]:
        """`GET /v1/stream`: "open", then each event until the clinic ends the stream.

        Errors are the tree's, as for every call (a 401 auth.token_expired is refreshed once);
        a lost connection mid-stream raises ConnectionLostError.
        """
        headers = {"Accept": "text/event-stream"}
        if last_event_id is not None:
            headers["Last-Event-ID"] = last_event_id
        tokens = await self._load_tokens()
        for again in (True, False):
            request = self._build("GET", "/v1/stream", tokens, None, None, headers)
            request.extensions["timeout"] = LIVE_TIMEOUT.as_dict()
            try:
                response = await self._http.send(request, stream=True)
            except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
                raise errors.OfflineError("the clinic server is unreachable") from exc
            except httpx.TransportError as exc:
                raise errors.ConnectionLostError(f"connection lost: {type(exc).__name__}") from exc
            try:
                if not response.is_success:
                    await response.aread()
                    problem = self._problem(response)
                    expired = isinstance(problem, errors.TokenExpiredError | errors.SessionEndedError)
                    if again and expired and problem.problem_code != "auth.token_missing":
                        tokens = await self._refresh_after(tokens)
                        continue
                    raise problem
                yield LiveEvent("open")
                async for event in _events(response.aiter_lines()):
                    yield event
                return
            except httpx.TransportError as exc:
                raise errors.ConnectionLostError(f"connection lost: {type(exc).__name__}") from exc
            finally:
                await response.aclose()

    async def push(self, mutations: Sequence[Mutation]) -> tuple[MutationResult, ...]:
        if not 0 < len(mutations) <= MAX_BATCH:
            raise ValueError(f"a batch holds 1 to {MAX_BATCH} mutations")
        body = {"mutations": [m.to_json() for m in mutations]}
        raw = self._json(await self._call("POST", "/v1/mutations", body=body))
        results = raw.get("results") if isinstance(raw, dict) else None
        if not isinstance(results, list) or len(results) != len(mutations):
            raise errors.ResponseFormatError("mutation results do not match the batch")
        return tuple(MutationResult.parse(r) for r in results)

    async def raise_support_alert(self, alert_id: str, created_at: str, *, session: bool = True) -> Change:
        """Send one alert with its bearer (unless `session` is False) and the device's signature.

        Without a usable session the signature alone must carry it; with neither the call raises
        SessionEndedError (`auth.token_missing`) without touching the network.
        """
        body = json.dumps({"created_at": created_at}, separators=(",", ":")).encode("utf-8")
        headers = {"Idempotency-Key": alert_id}
        identity = await self._signer.identity() if self._signer is not None else None
        if identity is not None:
            headers.update(alert_headers(identity, alert_id, self._clock(), body))
        path = "/v1/support-alerts"
        if session and self._tokens is not None and await self._tokens.load() is not None:
            response = await self._call("POST", path, body=body, headers=headers)
        elif identity is not None:
            response = await self._call("POST", path, body=body, headers=headers, auth=False)
        else:
            raise errors.SessionEndedError(401, "auth.token_missing")
        return Change.parse(self._json(response))

    # -- sharing ------------------------------------------------------------------------------

    async def create_share(self, request: ShareRequest) -> ShareCreated:
        return ShareCreated.parse(self._json(await self._call("POST", "/v1/shares", body=request.to_json())))

    async def list_shares(self) -> tuple[Change, ...]:
        raw = self._json(await self._call("GET", "/v1/shares"))
        items = raw.get("shares", raw.get("changes")) if isinstance(raw, dict) else raw
        if not isinstance(items, list):
            raise errors.ResponseFormatError("shares: expected a list")
        return tuple(Change.parse(item) for item in items)

    async def revoke_share(self, share_id: str) -> None:
        await self._call("DELETE", f"/v1/shares/{share_id}")

    # -- calendar feeds -----------------------------------------------------------------------

    async def create_calendar_feed(self, request: CalendarFeedRequest) -> CalendarFeed:
        """The feed with its `url`: the only time the clinic says it."""
        response = await self._call("POST", "/v1/calendar-feeds", body=request.to_json())
        return parse_calendar_feed_created(self._json(response))

    async def list_calendar_feeds(self) -> tuple[CalendarFeed, ...]:
        raw = self._json(await self._call("GET", "/v1/calendar-feeds"))
        if not isinstance(raw, list):
            raise errors.ResponseFormatError("calendar feeds: expected a list")
        return tuple(parse_calendar_feed(item) for item in raw)

    async def update_calendar_feed(self, feed_id: str, options: FeedOptions) -> CalendarFeed:
        body = {k: v for k, v in CalendarFeedRequest(options).to_json().items() if k != "share_id"}
        response = await self._call("PATCH", f"/v1/calendar-feeds/{feed_id}", body=body)
        return parse_calendar_feed(self._json(response))

    async def delete_calendar_feed(self, feed_id: str) -> None:
        await self._call("DELETE", f"/v1/calendar-feeds/{feed_id}")

    async def calendar_download(self, request: CalendarFeedRequest) -> CalendarDownload:
        """A one-use link to the next 4 weeks as a .ics attachment (valid a few minutes)."""
        body = request.to_json()
        raw = self._json(await self._call("POST", "/v1/calendar-feeds/download", body=body))
        return parse_calendar_download(raw)


async def _events(lines: AsyncIterator[str]) -> AsyncIterator[LiveEvent]:
    """Server-sent events as LiveEvents (unknown kinds and comments skipped)."""
    fields: dict[str, str] = {}
    async for line in lines:
        if line:
            name, _, value = line.partition(":")
            if name in ("id", "event", "data"):
                fields[name] = value.removeprefix(" ")
            continue
        kind = fields.get("event")
        if kind == "changed":
            yield LiveEvent("changed", id=fields.get("id"))
        elif kind == "auth_lapsed":
            try:
                code = json.loads(fields.get("data", "{}")).get("code")
            except (json.JSONDecodeError, AttributeError):
                code = None
            yield LiveEvent("auth_lapsed", code=code if isinstance(code, str) else None)
        fields = {}
