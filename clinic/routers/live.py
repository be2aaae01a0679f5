"""`GET /v1/stream`: live updates for a patient's or family member's open app (no PHI in an event)."""

from __future__ import annotations

import asyncio
import json
from typing import Annotated

from fastapi import APIRouter, Header
from fastapi.responses import StreamingResponse

from clinic.container import Services
from clinic.routers.alerts import event_id
from clinic.routers.deps import AUTHED, BearerToken, PatientOrFamily, Svc
from clinic.routers.streams import watched_stream
from clinic.services.auth import Principal
from clinic.services.watch import Wants

router = APIRouter(prefix="/v1", tags=["sync"], responses=AUTHED)


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
    feed = _Position(svc, who, event_id(last_event_id))
    return watched_stream(svc, token, _wants(who), feed.refresh, "retry: 2000\n\n")


def changed(version: int) -> str:
    return f"id: {version}\nevent: changed\ndata: {json.dumps({'version': version})}\n\n"


def _wants(who: Principal) -> Wants:
    """Which changes can move this caller's position (the watcher re-reads it only for those)."""
    if who.role == "family":  # what its shares disclose: re-read on any change
        return lambda moved: True
    return lambda moved: who.account_id in moved.patients or who.clinic_id in moved.clinic_records


class _Position:
    """A stream's position, read on the stream watcher's thread: `changed` whenever it moves."""

    def __init__(self, svc: Services, who: Principal, after: int | None) -> None:
        self.svc, self.who, self.after = svc, who, after
        self.position: int | None = None

    def refresh(self) -> tuple[list[str], bool]:
        if self.position is None:  # the first read: without Last-Event-ID (or an older one), one `changed`
            self.position = self.svc.live.position(self.who, 0 if self.after is None else self.after)
            tell = self.after is None or self.position > self.after
            return ([changed(self.position)] if tell else []), False
        newer = self.svc.live.position(self.who, self.position)
        if newer <= self.position:
            return [], False
        self.position = newer
        return [changed(newer)], False
