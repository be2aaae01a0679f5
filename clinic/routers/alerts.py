"""Staff support-alert endpoints: list, acknowledge, and a resumable server-sent-events stream."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Header, Request
from fastapi.responses import StreamingResponse

from clinic.errors import forbidden
from clinic.routers.deps import AUTHED, Caller, Svc
from clinic.schemas import Id, StaffAlert
from clinic.services.auth import Principal

router = APIRouter(prefix="/v1/staff/support-alerts", tags=["staff"], responses=AUTHED)

POLL_SECONDS = 1.0  # also catches alerts accepted by another server process
KEEPALIVE_SECONDS = 15.0


@router.get("", response_model=list[StaffAlert])
def list_alerts(who: Caller, svc: Svc) -> list[dict[str, Any]]:
    """Support alerts of the clinic, newest first."""
    return svc.alerts.list_alerts(who)


@router.post("/{alert_id}/ack", response_model=StaffAlert)
def acknowledge(alert_id: Id, who: Caller, svc: Svc) -> dict[str, Any]:
    """Acknowledge; the patient's next sync shows who and when."""
    return svc.alerts.acknowledge(who, alert_id)


@router.get(
    "/stream",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {"schema": {"type": "string"}}}, "description": "SSE"}},
)
async def stream(
    request: Request,
    who: Caller,
    svc: Svc,
    last_event_id: Annotated[str | None, Header(alias="Last-Event-ID", max_length=24)] = None,
) -> StreamingResponse:
    """`text/event-stream` of alert changes (`event: support_alert`, `id:` its sequence).

    Without Last-Event-ID the stream starts with the unacknowledged alerts; with it, with
    every change after that id.
    """
    if who.role != "staff":
        raise forbidden()
    after: int | None = None
    if last_event_id is not None and last_event_id.strip().isdigit():
        after = min(int(last_event_id.strip()), 2**62)
    return StreamingResponse(
        _events(request, svc, who, after),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


async def _events(request: Request, svc: Any, who: Principal, after: int | None) -> AsyncIterator[str]:
    yield "retry: 1000\n\n"
    idle = 0.0
    while True:
        events, position = await asyncio.to_thread(svc.alerts.events_after, who, after)
        for event in events:
            yield f"id: {event['version']}\nevent: support_alert\ndata: {json.dumps(event)}\n\n"
        after = position
        if await request.is_disconnected():
            return
        await svc.hub.wait(POLL_SECONDS)
        idle = 0.0 if events else idle + POLL_SECONDS
        if idle >= KEEPALIVE_SECONDS:
            idle = 0.0
            yield ": keep-alive\n\n"
