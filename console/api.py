"""The console's only HTTP user: typed calls to the clinic's staff API, one client per browser session.

Tokens live in this object only (server memory): never on disk, never in the browser. A 401 with
`auth.token_expired` is answered with one refresh (one at a time) and the call is retried once, as
the patient app does; any other 401 means the session ended.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx

from console.models import (
    Assignment,
    AssignmentTemplate,
    AuditEntry,
    CheckinPoint,
    Device,
    EnrolmentCode,
    Outcome,
    Patient,
    QueueItem,
    Rsvp,
    ScheduleItem,
    Tokens,
    TrendWeek,
    attendance_status,
)

TIMEOUT = httpx.Timeout(10.0)
# The stream waits for events: no read timeout (the clinic sends a keep-alive every 15 s and
# ends the stream itself when the credential lapses); connecting still times out.
STREAM_TIMEOUT = httpx.Timeout(10.0, read=None)
DEVICE_NAME = "staff console"


class ConsoleError(Exception):
    """Something the person at the console should be told about."""


class OfflineError(ConsoleError):
    pass


class ProblemError(ConsoleError):
    def __init__(self, status: int, code: str, detail: str) -> None:
        super().__init__(f"{status} {code}")
        self.status = status
        self.code = code
        self.detail = detail


class SessionEndedError(ProblemError):
    """The staff session is over (logged out, revoked, refresh refused): back to sign-in."""


@dataclass(frozen=True)
class StreamEvent:
    event: str
    id: str | None
    data: Any


def check_url(url: str) -> str:
    """HTTPS, or plain HTTP to loopback only (as the patient app)."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    if parts.scheme == "https" and host:
        return url.strip().rstrip("/")
    if parts.scheme == "http" and (host in ("localhost", "::1") or host.startswith("127.")):
        if host.startswith("127.") and not all(p.isdigit() for p in host.split(".")):
            raise ValueError("not a clinic address")
        return url.strip().rstrip("/")
    raise ValueError("not a clinic address")


async def parse_sse(lines: AsyncIterator[str]) -> AsyncIterator[StreamEvent]:
    """Server-sent events from a line iterator (comments and `retry:` skipped)."""
    event, event_id, data = "message", None, list[str]()
    async for line in lines:
        if line == "":
            if data:
                text = "\n".join(data)
                try:
                    payload: Any = json.loads(text)
                except json.JSONDecodeError:
                    payload = text
                yield StreamEvent(event, event_id, payload)
            event, event_id, data = "message", None, list[str]()
            continue
        if line.startswith(":"):
            continue
        name, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if name == "event":
            event = value
        elif name == "id":
            event_id = value
        elif name == "data":
            data.append(value)


class StaffClient:
    """One signed-in staff session's calls to one clinic."""

    def __init__(self, base_url: str, *, transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.base_url = check_url(base_url)
        self._tokens: Tokens | None = None
        self._expires_at = 0.0  # monotonic: when the access token runs out (from expires_in)
        self._refresh_lock = asyncio.Lock()
        # No idle keep-alive connections: what stays open to the clinic is this session's stream.
        self._http = httpx.AsyncClient(
            base_url=self.base_url,
            transport=transport,
            timeout=TIMEOUT,
            follow_redirects=False,
            limits=httpx.Limits(max_keepalive_connections=0),
        )

    @property
    def tokens(self) -> Tokens | None:
        return self._tokens

    async def aclose(self) -> None:
        await self._http.aclose()

    # -- I/O --------------------------------------------------------------------------------------

    @staticmethod
    def _problem(response: httpx.Response) -> ProblemError:
        code, detail = "", ""
        try:
            body = response.json()
            if isinstance(body, dict):
                code, detail = str(body.get("code") or ""), str(body.get("detail") or "")
        except (json.JSONDecodeError, UnicodeDecodeError):
            pass
        if response.status_code == 401 and code != "auth.token_expired":
            return SessionEndedError(401, code or "auth.session_ended", detail)
        return ProblemError(response.status_code, code, detail)

    async def _send(
        self, method: str, path: str, *, json_body: Any = None, params: dict[str, Any] | None = None,
        auth: bool = True,
    ) -> httpx.Response:  # fmt: skip
        headers = {}
        if auth:
            if self._tokens is None:
                raise SessionEndedError(401, "auth.token_missing", "not signed in")
            headers["Authorization"] = f"Bearer {self._tokens.access_token}"
        try:
            response = await self._http.request(method, path, json=json_body, params=params, headers=headers)
        except httpx.TransportError as exc:
            raise OfflineError(f"the clinic did not answer: {type(exc).__name__}") from exc
        if response.is_success:
            return response
        raise self._problem(response)

    async def _call(
        self, method: str, path: str, *, json_body: Any = None, params: dict[str, Any] | None = None
    ) -> httpx.Response:
        stale = self._tokens
        try:
            return await self._send(method, path, json_body=json_body, params=params)
        except ProblemError as exc:
            if exc.status != 401 or isinstance(exc, SessionEndedError):
                raise
        await self.refresh_after(stale)
        return await self._send(method, path, json_body=json_body, params=params)

    async def _json(self, method: str, path: str, **kwargs: Any) -> Any:
        response = await self._call(method, path, **kwargs)
        return response.json() if response.content else None

    # -- auth -------------------------------------------------------------------------------------

    async def sign_in(self, username: str, password: str) -> Tokens:
        response = await self._send(
            "POST",
            "/v1/auth/token",
            json_body={"username": username, "password": password, "device_name": DEVICE_NAME},
            auth=False,
        )
        tokens = Tokens.parse(response.json())
        if tokens.role != "staff":
            # A patient's or family member's credentials: end that session again at once.
            self._tokens = tokens
            await self.logout()
            raise ProblemError(403, "console.not_staff", "the console is for clinic staff")
        self._keep(tokens)
        return tokens

    async def refresh_after(self, stale: Tokens | None) -> Tokens:
        """One refresh for many concurrent 401s (reusing a rotated refresh token ends the session)."""
        async with self._refresh_lock:
            current = self._tokens
            if current is None:
                raise SessionEndedError(401, "auth.token_missing", "not signed in")
            if stale is not None and current.access_token != stale.access_token:
                return current
            try:
                response = await self._send(
                    "POST", "/v1/auth/refresh", json_body={"refresh_token": current.refresh_token}, auth=False
                )
            except ProblemError as exc:
                self._tokens = None
                raise SessionEndedError(401, "auth.session_ended", exc.detail) from exc
            self._keep(Tokens.parse(response.json()))
            assert self._tokens is not None
            return self._tokens

    def _keep(self, tokens: Tokens) -> None:
        self._tokens = tokens
        self._expires_at = time.monotonic() + tokens.expires_in

    async def fresh_for(self, seconds: float) -> None:
        """Refresh first when the access token would run out within `seconds` (a stream is about to
        open: refreshing only after the clinic ends it would cost a lapse and a reconnect each time)."""
        if self._tokens is not None and time.monotonic() + seconds >= self._expires_at:
            await self.refresh_after(self._tokens)

    async def logout(self) -> None:
        """Ends the session on the clinic (its streams end with it) and forgets the tokens."""
        if self._tokens is None:
            return
        try:
            await self._send("POST", "/v1/auth/logout")
        except (ProblemError, OfflineError):
            pass  # expired or unreachable: the tokens are dropped all the same
        finally:
            self._tokens = None

    # -- queue ------------------------------------------------------------------------------------

    async def alerts(self) -> list[QueueItem]:
        return [QueueItem.alert(a) for a in await self._json("GET", "/v1/staff/support-alerts")]

    async def ack_alert(self, alert_id: str, outcome: Outcome, note: str = "") -> QueueItem:
        body: dict[str, Any] = {"outcome": outcome}
        if note.strip():
            body["note"] = note.strip()
        return QueueItem.alert(
            await self._json("POST", f"/v1/staff/support-alerts/{alert_id}/ack", json_body=body)
        )

    async def flags(self) -> list[QueueItem] | None:
        """Open and acknowledged flags, or None while the clinic has no flags endpoint yet."""
        try:
            return [QueueItem.flag(f) for f in await self._json("GET", "/v1/staff/flags")]
        except ProblemError as exc:
            if exc.status in (404, 405):
                return None
            raise

    async def ack_flag(self, flag_id: str, note: str = "") -> QueueItem:
        body = {"note": note.strip()} if note.strip() else {}
        return QueueItem.flag(await self._json("POST", f"/v1/staff/flags/{flag_id}/ack", json_body=body))

    async def stream(self, last_event_id: str | None) -> AsyncIterator[StreamEvent]:
        """The staff SSE stream's events until it ends (first a local `open` once the clinic accepted
        the request); the caller reconnects with the last id it saw."""
        if self._tokens is None:
            raise SessionEndedError(401, "auth.token_missing", "not signed in")
        await self.fresh_for(min(30.0, self._tokens.expires_in / 2))
        assert self._tokens is not None
        headers = {"Authorization": f"Bearer {self._tokens.access_token}", "Accept": "text/event-stream"}
        if last_event_id:
            headers["Last-Event-ID"] = last_event_id
        try:
            async with self._http.stream(
                "GET", "/v1/staff/support-alerts/stream", headers=headers, timeout=STREAM_TIMEOUT
            ) as response:
                if not response.is_success:
                    await response.aread()
                    raise self._problem(response)
                yield StreamEvent("open", None, None)  # connected: the clinic accepted the credential
                async for event in parse_sse(response.aiter_lines()):
                    yield event
        except httpx.TransportError as exc:
            raise OfflineError(f"the stream broke: {type(exc).__name__}") from exc

    # -- patients ---------------------------------------------------------------------------------

    async def patients(self) -> list[Patient]:
        return [Patient.parse(p) for p in await self._json("GET", "/v1/staff/patients")]

    async def schedule(self, patient_id: str) -> list[ScheduleItem]:
        items = await self._json("GET", f"/v1/staff/patients/{patient_id}/schedule")
        return sorted((ScheduleItem.parse(i) for i in items), key=lambda i: i.starts_at)

    async def rsvps(self, patient_id: str) -> list[Rsvp]:
        return [Rsvp.parse(r) for r in await self._json("GET", f"/v1/staff/patients/{patient_id}/rsvps")]

    async def assignments(self, patient_id: str) -> list[Assignment]:
        items = await self._json("GET", f"/v1/staff/patients/{patient_id}/assignments")
        return [Assignment.parse(a) for a in items]

    async def checkins(self, patient_id: str, limit: int = 28) -> list[CheckinPoint] | None:
        """Recent daily check-ins, or None while the clinic has no check-ins endpoint yet."""
        try:
            rows = await self._json(
                "GET", f"/v1/staff/patients/{patient_id}/checkins", params={"limit": limit}
            )
        except ProblemError as exc:
            if exc.status in (404, 405):
                return None
            raise
        return [
            CheckinPoint.parse(r) for r in rows if isinstance(r, dict) and "craving" in r.get("answers", {})
        ]

    async def trends(self, patient_id: str, weeks: int = 2) -> list[TrendWeek] | None:
        """Weekly check-in averages, oldest first, or None while the clinic has no trends endpoint."""
        try:
            body = await self._json("GET", f"/v1/staff/patients/{patient_id}/trends", params={"weeks": weeks})
        except ProblemError as exc:
            if exc.status in (404, 405):
                return None
            raise
        return [TrendWeek.parse(w) for w in body.get("weeks", [])] if isinstance(body, dict) else []

    async def move_item(self, item_id: str, starts_at: str, ends_at: str) -> ScheduleItem:
        body = {"starts_at": starts_at, "ends_at": ends_at, "status": "moved"}
        return ScheduleItem.parse(await self._json("PATCH", f"/v1/staff/schedule/{item_id}", json_body=body))

    async def cancel_item(self, item_id: str, note: str = "") -> ScheduleItem:
        body: dict[str, Any] = {"status": "cancelled"}
        if note.strip():
            body["note"] = note.strip()
        return ScheduleItem.parse(await self._json("PATCH", f"/v1/staff/schedule/{item_id}", json_body=body))

    async def assignment_templates(self) -> list[AssignmentTemplate]:
        """The clinic's templates a new assignment starts from."""
        return [
            AssignmentTemplate.parse(t) for t in await self._json("GET", "/v1/staff/assignment-templates")
        ]

    async def set_attendance(self, item_id: str, status: str) -> str:
        """Records a past session as "attended" or "absent" (again to correct it); the status stored."""
        body = {"status": status}
        answer = await self._json("PUT", f"/v1/staff/schedule/{item_id}/attendance", json_body=body)
        return attendance_status(answer)

    async def add_assignment(
        self, patient_id: str, title: str, modality: str, instructions: str
    ) -> Assignment:
        body = {"title": title, "modality": modality, "instructions": instructions}
        return Assignment.parse(
            await self._json("POST", f"/v1/staff/patients/{patient_id}/assignments", json_body=body)
        )

    async def feedback(self, assignment_id: str, text: str) -> Assignment:
        return Assignment.parse(
            await self._json(
                "POST", f"/v1/staff/assignments/{assignment_id}/feedback", json_body={"feedback": text}
            )
        )

    async def enrolment_code(self, patient_id: str) -> EnrolmentCode:
        return EnrolmentCode.parse(
            await self._json("POST", f"/v1/staff/patients/{patient_id}/enrolment-codes")
        )

    async def devices(self, patient_id: str) -> list[Device]:
        return [Device.parse(d) for d in await self._json("GET", f"/v1/staff/patients/{patient_id}/devices")]

    async def revoke_device(self, device_id: str) -> None:
        await self._call("POST", f"/v1/staff/devices/{device_id}/revoke")

    # -- audit ------------------------------------------------------------------------------------

    async def audit(
        self, patient_id: str | None = None, before: int | None = None, limit: int = 200
    ) -> list[AuditEntry]:
        params: dict[str, Any] = {"limit": limit}
        if patient_id:
            params["patient_id"] = patient_id
        if before is not None:
            params["before"] = before
        return [AuditEntry.parse(e) for e in await self._json("GET", "/v1/staff/audit", params=params)]
