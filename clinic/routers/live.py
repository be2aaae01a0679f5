"""`GET /v1/stream`: live updates for a patient's or family member's open app (no PHI in an event)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Header, Request
from fastapi.responses import StreamingResponse

from clinic.container import Services
from clinic.routers.alerts import event_id
from clinic.routers.deps import AUTHED, BearerToken, PatientOrFamily, Svc
from clinic.routers.streams import authorized_stream
from clinic.services.auth import Principal

router = APIRouter(prefix="/v1", tags=["sync"], responses=AUTHED)

POLL_SECONDS = 1.0  # staff edits and other server processes are seen by polling; alerts wake it at once
KEEPALIVE_SECONDS = 15.0


@router.get(
    "/stream",
    response_class=StreamingResponse,
    responses={
        200: {
            "content": {"text/event-stream": {"schema": {"type": "string"}}},
            "description": 'SSE: `event: changed` (data: {"version": int}, `id:` the same) whenever'
            " something this caller's sync would send changed, and a final `event: auth_lapsed`"
            " (data: a Problem) when the caller's credential lapses",
        }
    },
)
async def stream(
    request: Request,
    who: PatientOrFamily,
    svc: Svc,
    token: BearerToken,
    last_event_id: Annotated[str | None, Header(alias="Last-Event-ID", max_length=24)] = None,
) -> StreamingResponse:
    """`text/event-stream` telling an open app that its data changed: pull `/v1/sync` then.

    An event says only that something changed (`event: changed`, data `{"version": N}`, `id: N`);
    what changed comes through the normal sync. A patient hears of their own records and the
    clinic's; a family member only of what its shares disclose or withdraw. Without
    Last-Event-ID (or with an older one) the stream starts with one `changed`. The credential is
    re-checked on every event and every second; when it lapses the stream ends with
    `event: auth_lapsed`. A family member whose shares all ended gets 403 like its sync.
    """
    await asyncio.to_thread(svc.live.check_open, who)
    return authorized_stream(svc, token, _events(request, svc, who, event_id(last_event_id)))


def changed(version: int) -> str:
    return f"id: {version}\nevent: changed\ndata: {json.dumps({'version': version})}\n\n"


async def _events(request: Request, svc: Services, who: Principal, after: int | None) -> AsyncIterator[str]:
    yield "retry: 2000\n\n"
    position = await asyncio.to_thread(svc.live.position, who, 0 if after is None else after)
    if after is None or position > after:
        yield changed(position)
    idle = 0.0
    while True:
        if await request.is_disconnected():
            return
        await svc.hub.wait(POLL_SECONDS)
        newer = await asyncio.to_thread(svc.live.position, who, position)
        if newer > position:
            position, idle = newer, 0.0
            yield changed(position)
            continue
        idle += POLL_SECONDS
        if idle >= KEEPALIVE_SECONDS:
            idle = 0.0
            yield ": keep-alive\n\n"
