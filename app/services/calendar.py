"""The CalendarFeeds service: private calendar feeds, managed online, their links kept in the encrypted store.

The clinic says a feed's URL once (it holds the token); this device keeps it sealed so the link can
be shown again. Offline, the list is this device's copy, and nothing is changed or lost.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import datetime

from app.api import errors
from app.api.models import CalendarFeedRequest
from app.domain.calendar import CalendarDownload, CalendarFeed, FeedAlarm, FeedList, FeedOptions, FeedTitles
from app.domain.model import JSON
from app.services.core import Core
from app.services.ports import ServiceError
from app.store.encrypted import EncryptedStore

FEEDS = "calendar_feeds"  # one sealed store value: {feed id: the feed as last seen, with its URL if known}


def _to_json(feed: CalendarFeed) -> JSON:
    o = feed.options
    return {
        "id": feed.id,
        "created_at": feed.created_at.isoformat(),
        "titles": o.titles.value,
        "neutral_title": o.neutral_title,
        "lang": o.lang,
        "alarm": o.alarm.value,
        "share_id": feed.share_id,
        "patient_display_name": feed.patient_display_name,
        "last_read_at": None if feed.last_read_at is None else feed.last_read_at.isoformat(),
        "url": feed.url,
    }


def _from_json(raw: JSON) -> CalendarFeed | None:
    try:
        options = FeedOptions(
            FeedTitles(raw["titles"]), raw.get("neutral_title"), str(raw["lang"]), FeedAlarm(raw["alarm"])
        )
        read = raw.get("last_read_at")
        return CalendarFeed(
            id=str(raw["id"]),
            created_at=datetime.fromisoformat(raw["created_at"]),
            options=options,
            share_id=raw.get("share_id"),
            patient_display_name=raw.get("patient_display_name"),
            last_read_at=datetime.fromisoformat(read) if isinstance(read, str) else None,
            url=raw.get("url") if isinstance(raw.get("url"), str) else None,
        )
    except (KeyError, TypeError, ValueError):
        return None  # a damaged copy: the clinic's list replaces it when online


def _failed(exc: errors.ApiError) -> ServiceError:
    return ServiceError(exc.code)


class ClinicCalendarFeeds:
    """Feeds of the signed-in account; the clinic's answers are kept so the list reads offline."""

    def __init__(self, core: Core) -> None:
        self._core = core
        self._lock = asyncio.Lock()  # one read-modify-write of the kept copy at a time

    async def _kept(self, store: EncryptedStore) -> dict[str, CalendarFeed]:
        raw = await store.get_value(FEEDS)
        if not isinstance(raw, dict):
            return {}
        found = {}
        for value in raw.values():
            feed = _from_json(value) if isinstance(value, dict) else None
            if feed is not None:
                found[feed.id] = feed
        return found

    async def _keep(self, store: EncryptedStore, feeds: dict[str, CalendarFeed]) -> None:
        await store.set_value(FEEDS, {id_: _to_json(f) for id_, f in feeds.items()})

    @staticmethod
    def _ordered(feeds: dict[str, CalendarFeed]) -> tuple[CalendarFeed, ...]:
        return tuple(sorted(feeds.values(), key=lambda f: (f.created_at, f.id)))

    async def feeds(self) -> FeedList:
        session = await self._core.require_session()
        store = await self._core.require_store()
        try:
            live = await session.client.list_calendar_feeds()
        except errors.NetworkError:
            return FeedList(self._ordered(await self._kept(store)), offline=True)
        except errors.ApiError as exc:
            raise _failed(exc) from exc
        async with self._lock:
            kept = await self._kept(store)
            fresh = {f.id: replace(f, url=kept[f.id].url if f.id in kept else None) for f in live}
            await self._keep(store, fresh)  # a feed turned off elsewhere is forgotten here too
        return FeedList(self._ordered(fresh))

    async def turn_on(self, options: FeedOptions, share_id: str | None = None) -> CalendarFeed:
        if (problem := options.problem()) is not None:
            raise ServiceError(problem)
        session = await self._core.require_session()
        store = await self._core.require_store()
        try:
            feed = await session.client.create_calendar_feed(CalendarFeedRequest(options, share_id))
        except errors.ApiError as exc:
            raise _failed(exc) from exc
        async with self._lock:
            kept = await self._kept(store)
            kept[feed.id] = feed
            await self._keep(store, kept)  # sealed on disk: the clinic never says this URL again
        return feed

    async def turn_off(self, feed_id: str) -> None:
        session = await self._core.require_session()
        store = await self._core.require_store()
        try:
            await session.client.delete_calendar_feed(feed_id)
        except errors.NotFoundError:
            pass  # already gone: the outcome asked for
        except errors.ApiError as exc:
            raise _failed(exc) from exc
        async with self._lock:
            kept = await self._kept(store)
            if kept.pop(feed_id, None) is not None:
                await self._keep(store, kept)

    async def change(self, feed_id: str, options: FeedOptions) -> CalendarFeed:
        """New titles, word or alarm for a live feed; its link keeps working (and is kept)."""
        if (problem := options.problem()) is not None:
            raise ServiceError(problem)
        session = await self._core.require_session()
        store = await self._core.require_store()
        try:
            fresh = await session.client.update_calendar_feed(feed_id, options)
        except errors.ApiError as exc:
            raise _failed(exc) from exc
        async with self._lock:
            kept = await self._kept(store)
            old = kept.get(feed_id)
            fresh = replace(fresh, url=old.url if old is not None else None)
            kept[feed_id] = fresh
            await self._keep(store, kept)
        return fresh

    async def renew(self, feed_id: str) -> CalendarFeed:
        store = await self._core.require_store()
        old = (await self._kept(store)).get(feed_id)
        if old is None:
            raise ServiceError("not_found")
        await self.turn_off(feed_id)
        return await self.turn_on(old.options, old.share_id)

    async def download(self, options: FeedOptions, share_id: str | None = None) -> CalendarDownload:
        if (problem := options.problem()) is not None:
            raise ServiceError(problem)
        session = await self._core.require_session()
        try:
            return await session.client.calendar_download(CalendarFeedRequest(options, share_id))
        except errors.ApiError as exc:
            raise _failed(exc) from exc
