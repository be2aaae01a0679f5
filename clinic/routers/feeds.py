"""Calendar feeds: managed by patients and family members; read by calendars with the URL's token."""

from __future__ import annotations

import asyncio
import re
from typing import Annotated

from fastapi import APIRouter, Header, Request, Response

from clinic.errors import NotFound
from clinic.routers.deps import AUTHED, PatientOrFamily, Svc, problems
from clinic.schemas import (
    CalendarDownload,
    CalendarFeed,
    CalendarFeedCreated,
    CalendarFeedRequest,
    CalendarFeedUpdate,
    Id,
)

router = APIRouter(prefix="/v1", tags=["calendar"])

TOKEN = re.compile(r"[A-Za-z0-9_-]{1,128}", re.ASCII)
CACHE = "private, max-age=300"
CALENDAR = "text/calendar; charset=utf-8"


FEED_HEADERS = {
    "ETag": {"description": "strong; send it back as If-None-Match", "schema": {"type": "string"}},
    "Cache-Control": {
        "description": "private, max-age=300 (a download link: no-store)",
        "schema": {"type": "string"},
    },
}


def _base(request: Request) -> str:
    return str(request.base_url)


@router.post(
    "/calendar-feeds",
    status_code=201,
    response_model=CalendarFeedCreated,
    responses={**AUTHED, **problems(409)},
)
def create_feed(
    body: CalendarFeedRequest, who: PatientOrFamily, svc: Svc, request: Request
) -> CalendarFeedCreated:
    """A private calendar feed: the patient's schedule, or (family, `share_id`) what that share shows.
    The answer's `url` holds the token: it is returned this once only."""
    return svc.feeds.create(who, body, _base(request))


@router.get("/calendar-feeds", response_model=list[CalendarFeed], responses=AUTHED)
def list_feeds(who: PatientOrFamily, svc: Svc) -> list[CalendarFeed]:
    """The caller's live feeds (never their URLs)."""
    return svc.feeds.list_feeds(who)


@router.patch("/calendar-feeds/{feed_id}", response_model=CalendarFeed, responses={**AUTHED, **problems(410)})
def update_feed(feed_id: Id, body: CalendarFeedUpdate, who: PatientOrFamily, svc: Svc) -> CalendarFeed:
    """Change a feed's titles, word, language or alarm; its URL keeps working."""
    return svc.feeds.update(who, feed_id, body)


@router.delete("/calendar-feeds/{feed_id}", status_code=204, responses=AUTHED)
def revoke_feed(feed_id: Id, who: PatientOrFamily, svc: Svc) -> Response:
    """Turn a feed off: its URL answers 410 from the very next request."""
    svc.feeds.revoke(who, feed_id)
    return Response(status_code=204)


@router.post("/calendar-feeds/download", status_code=201, response_model=CalendarDownload, responses=AUTHED)
def download_link(
    body: CalendarFeedRequest, who: PatientOrFamily, svc: Svc, request: Request
) -> CalendarDownload:
    """A one-use link, valid 5 minutes, to the next 4 weeks as an .ics attachment."""
    return svc.feeds.download_link(who, body, _base(request))


@router.get(
    "/calendar/{token}.ics",
    response_class=Response,
    responses={
        200: {
            "content": {"text/calendar": {"schema": {"type": "string"}}},
            "description": "iCalendar (RFC 5545); a download link's as an attachment",
            "headers": FEED_HEADERS,
        },
        304: {"description": "Not modified (If-None-Match matched the ETag)", "headers": FEED_HEADERS},
        **problems(400, 404, 410),
    },
    openapi_extra={"security": []},
)
async def read_feed(
    token: str,
    svc: Svc,
    request: Request,
    if_none_match: Annotated[str | None, Header(alias="If-None-Match", max_length=2000)] = None,
) -> Response:
    """The feed itself (no bearer: the token in the URL is the credential)."""
    if not TOKEN.fullmatch(token):
        raise NotFound("No such calendar.")
    feed = await asyncio.to_thread(svc.feeds.read, token, _base(request))
    if feed.download:
        headers = {
            "Cache-Control": "no-store",
            "Content-Disposition": 'attachment; filename="waypoint.ics"',
        }
        return Response(feed.body, media_type=CALENDAR, headers=headers)
    headers = {"ETag": feed.etag, "Cache-Control": CACHE}
    if if_none_match is not None and _matches(if_none_match, feed.etag):
        return Response(status_code=304, headers=headers)
    return Response(feed.body, media_type=CALENDAR, headers=headers)


def _matches(if_none_match: str, etag: str) -> bool:
    """RFC 9110 If-None-Match: weak comparison against any listed tag, or `*`."""
    tags = [t.strip() for t in if_none_match.split(",")]
    return "*" in tags or any(t.removeprefix("W/") == etag for t in tags)
