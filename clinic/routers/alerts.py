"""Staff support-alert endpoints: list, acknowledge, and a resumable server-sent-events stream
(which also carries the care team's flags: one sequence, so one Last-Event-ID resumes both)."""

from __future__ import annotations

import json
import re
from typing import Annotated

from fastapi import APIRouter, Header
from fastapi.responses import StreamingResponse

from clinic.container import Services
from clinic.routers.deps import AUTHED, BearerToken, CurrentStaff, Svc
from clinic.routers.streams import watched_stream
from clinic.schemas import AlertAck, Id, StaffAlert
from clinic.services.auth import Principal

router = APIRouter(prefix="/v1/staff/support-alerts", tags=["staff"], responses=AUTHED)

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
    feed = _Queue(svc, who, event_id(last_event_id))
    return watched_stream(
        svc, token, lambda moved: who.clinic_id in moved.clinics, feed.refresh, "retry: 1000\n\n"
    )


def event_id(header: str | None) -> int | None:
    """Last-Event-ID as a stream position: ASCII digits only ("²".isdigit() is true, int() fails)."""
    value = (header or "").strip(" \t")
    if not LAST_EVENT_ID.fullmatch(value):
        return None
    return min(int(value), 2**62)


class _Queue:
    """The staff queue's position, read on the stream watcher's thread: one chunk per batch of
    changes (so the credential is checked per batch, not per event)."""

    def __init__(self, svc: Services, who: Principal, after: int | None) -> None:
        self.svc, self.who, self.after = svc, who, after

    def refresh(self) -> tuple[list[str], bool]:
        events, self.after = self.svc.flags.events_after(self.who, self.after)
        if not events:
            return [], False
        chunk = "".join(
            f"id: {e.version}\nevent: {kind}\ndata: {json.dumps(e.model_dump())}\n\n" for kind, e in events
        )
        return [chunk], True  # a batch may be followed by more: read again at the next tick
