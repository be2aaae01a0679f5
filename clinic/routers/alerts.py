"""Staff support-alert endpoints: list, acknowledge, and a resumable server-sent-events stream
(which also carries the care team's flags: one sequence, so one Last-Event-ID resumes both)."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Header, Request
from fastapi.responses import StreamingResponse

from clinic.routers.deps import AUTHED, BearerToken, CurrentStaff, Svc
from clinic.routers.streams import authorized_stream
from clinic.schemas import AlertAck, Id, StaffAlert
from clinic.services.auth import Principal

router = APIRouter(prefix="/v1/staff/support-alerts", tags=["staff"], responses=AUTHED)

POLL_SECONDS = 1.0  # also catches alerts accepted by another server process
KEEPALIVE_SECONDS = 15.0
LAST_EVENT_ID = re.compile(r"[0-9]{1,19}", re.ASCII)


@router.get("", response_model=list[StaffAlert])
def list_alerts(who: CurrentStaff, svc: Svc) -> list[StaffAlert]:
    """Support alerts of the clinic, newest first."""
    return svc.alerts.list_alerts(who)


@router.post("/{alert_id}/ack", response_model=StaffAlert)
def acknowledge(alert_id: Id, who: CurrentStaff, svc: Svc, body: AlertAck | None = None) -> StaffAlert:
    """Acknowledge, optionally with the outcome and a note (kept for staff; never synced to the
    patient); the patient's next sync shows who and when. Again on an acknowledged alert: 200, unchanged."""
    return svc.alerts.acknowledge(who, alert_id, body)


@router.get(
    "/stream",
    response_class=StreamingResponse,
    responses={
        200: {
            "content": {"text/event-stream": {"schema": {"type": "string"}}},
            "description": "SSE: `event: support_alert` (data: StaffAlert), `event: flag` (data: StaffFlag),"
            " and a final `event: auth_lapsed` (data: a Problem) when the caller's credential lapses",
        }
    },
)
async def stream(
    request: Request,
    who: CurrentStaff,
    svc: Svc,
    token: BearerToken,
    last_event_id: Annotated[str | None, Header(alias="Last-Event-ID", max_length=24)] = None,
) -> StreamingResponse:
    """`text/event-stream` of alert and flag changes (`event: support_alert` / `event: flag`, `id:`
    their shared sequence).

    Without Last-Event-ID the stream starts with the unacknowledged alerts and open flags; with
    it, with every change of either after that id. A Last-Event-ID that is not 1-19 ASCII digits is treated as
    absent. The credential is re-checked on every batch and every second: when it is logged
    out, expires or its device is revoked, the stream ends with `event: auth_lapsed`.
    """
    return authorized_stream(svc, token, _events(request, svc, who, event_id(last_event_id)))


def event_id(header: str | None) -> int | None:
    """Last-Event-ID as a stream position: ASCII digits only ("²".isdigit() is true, int() fails)."""
    value = (header or "").strip(" \t")
    if not LAST_EVENT_ID.fullmatch(value):
        return None
    return min(int(value), 2**62)


async def _events(request: Request, svc: Any, who: Principal, after: int | None) -> AsyncIterator[str]:
    """One chunk per batch of changes (so the credential is re-checked per batch, not per event)."""
    yield "retry: 1000\n\n"
    idle = 0.0
    while True:
        events, position = await asyncio.to_thread(svc.flags.events_after, who, after)
        if events:
            yield "".join(
                f"id: {e.version}\nevent: {kind}\ndata: {json.dumps(e.model_dump())}\n\n"
                for kind, e in events
            )
        after = position
        if await request.is_disconnected():
            return
        await svc.hub.wait(POLL_SECONDS)
        idle = 0.0 if events else idle + POLL_SECONDS
        if idle >= KEEPALIVE_SECONDS:
            idle = 0.0
            yield ": keep-alive\n\n"
