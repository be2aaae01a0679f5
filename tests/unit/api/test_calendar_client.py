"""ClinicClient's calendar-feed calls: the contract's paths and bodies, answers parsed strictly."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import httpx
import pytest

from app.api import errors
from app.api.client import ClinicClient
from app.api.models import CalendarFeedRequest, Tokens
from app.domain.calendar import FeedAlarm, FeedOptions, FeedTitles

FEED = {
    "id": "f1",
    "created_at": "2026-03-01T12:00:00+00:00",
    "titles": "neutral",
    "neutral_title": None,
    "lang": "pt_BR",
    "alarm": "1d",
    "share_id": "share-1",
    "patient_display_name": "Alex",
    "last_read_at": "2026-03-01T13:00:00Z",
}


class OneToken:
    async def load(self) -> Tokens | None:
        return Tokens("access", "refresh")

    async def save(self, tokens: Tokens) -> None:
        return None


def client(answers: dict[str, httpx.Response], seen: list[httpx.Request]) -> ClinicClient:
    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return answers[f"{request.method} {request.url.path}"]

    return ClinicClient("http://127.0.0.1:8000", tokens=OneToken(), transport=httpx.MockTransport(handle))


async def test_creating_a_feed_sends_the_request_and_reads_the_url_said_once() -> None:
    seen: list[httpx.Request] = []
    answer = httpx.Response(201, json={**FEED, "url": "https://c/v1/calendar/tok.ics"})
    api = client({"POST /v1/calendar-feeds": answer}, seen)
    options = FeedOptions(FeedTitles.NEUTRAL, None, "pt_BR", FeedAlarm.DAY)
    feed = await api.create_calendar_feed(CalendarFeedRequest(options, "share-1"))
    assert json.loads(seen[0].content) == {
        "titles": "neutral",
        "neutral_title": None,
        "lang": "pt_BR",
        "alarm": "1d",
        "share_id": "share-1",
    }
    assert seen[0].headers["Authorization"] == "Bearer access"
    assert feed.url == "https://c/v1/calendar/tok.ics"
    assert feed.options == options
    assert feed.last_read_at == datetime(2026, 3, 1, 13, tzinfo=UTC)
    assert feed.patient_display_name == "Alex"
    await api.aclose()


async def test_the_list_never_has_a_url_and_a_malformed_feed_is_a_format_error() -> None:
    seen: list[httpx.Request] = []
    api = client({"GET /v1/calendar-feeds": httpx.Response(200, json=[FEED])}, seen)
    (feed,) = await api.list_calendar_feeds()
    assert feed.url is None
    await api.aclose()
    bad = client({"GET /v1/calendar-feeds": httpx.Response(200, json=[{**FEED, "alarm": "2h"}])}, seen)
    with pytest.raises(errors.ResponseFormatError):
        await bad.list_calendar_feeds()
    await bad.aclose()


async def test_update_sends_no_share_id_delete_and_download_use_their_paths() -> None:
    seen: list[httpx.Request] = []
    api = client(
        {
            "PATCH /v1/calendar-feeds/f1": httpx.Response(200, json=FEED),
            "DELETE /v1/calendar-feeds/f1": httpx.Response(204),
            "POST /v1/calendar-feeds/download": httpx.Response(
                201, json={"url": "https://c/d/once.ics", "expires_at": "2026-03-01T12:05:00Z"}
            ),
        },
        seen,
    )
    await api.update_calendar_feed("f1", FeedOptions(alarm=FeedAlarm.HOUR))
    assert "share_id" not in json.loads(seen[0].content)
    await api.delete_calendar_feed("f1")
    link = await api.calendar_download(CalendarFeedRequest(FeedOptions()))
    assert link.expires_at == datetime(2026, 3, 1, 12, 5, tzinfo=UTC)
    await api.aclose()
