"""Calendar-feed view state (patient Settings, family home): the feeds, the form, the one-off download."""

from __future__ import annotations

from collections.abc import Awaitable
from dataclasses import dataclass, field, replace

import flet as ft

from app.domain.calendar import CalendarDownload, CalendarFeed, FeedAlarm, FeedOptions, FeedTitles
from app.services.ports import CalendarFeeds, ServiceError


@ft.observable
@dataclass
class CalendarState:
    """Intents ask the clinic; a failure leaves everything as it was and says why (`problem`, a key)."""

    calendar: CalendarFeeds
    feeds: tuple[CalendarFeed, ...] = ()
    offline: bool = False  # the list is this device's copy: the clinic could not be reached
    loaded: bool = False
    busy: bool = False
    problem: str | None = None
    options: FeedOptions = field(default_factory=FeedOptions)  # the form (lang set by the screen)
    word: str = ""  # the patient's own neutral word as typed ("" → the translated default)
    download: CalendarDownload | None = None
    confirming: str | None = None  # feed id waiting for "yes, turn it off"

    def feed_for(self, share_id: str | None) -> CalendarFeed | None:
        """This account's feed for one share (family) or its own schedule (patient: None)."""
        return next((f for f in self.feeds if f.share_id == share_id), None)

    def form(self, lang: str) -> FeedOptions:
        word = self.word.strip() or None
        neutral = self.options.titles is FeedTitles.NEUTRAL
        return replace(self.options, lang=lang, neutral_title=word if neutral else None)

    def choose(self, titles: FeedTitles | None = None, alarm: FeedAlarm | None = None) -> None:
        self.options = replace(
            self.options, titles=titles or self.options.titles, alarm=alarm or self.options.alarm
        )

    def type_word(self, word: str) -> None:
        self.word = word
        if self.problem == "calendar.title_invalid":
            self.problem = None

    async def load(self) -> None:
        try:
            found = await self.calendar.feeds()
        except ServiceError as exc:
            self.problem = exc.code
            return
        self.feeds, self.offline, self.loaded = found.feeds, found.offline, True

    async def _run(self, work: Awaitable[object]) -> bool:
        self.busy, self.problem = True, None
        try:
            await work
        except ServiceError as exc:
            self.problem = exc.code
            return False
        finally:
            self.busy = False
        return True

    async def turn_on(self, lang: str, share_id: str | None = None) -> bool:
        if await self._run(self.calendar.turn_on(self.form(lang), share_id)):
            await self.load()
            return True
        return False

    def ask_off(self, feed_id: str | None) -> None:
        self.confirming = feed_id

    async def turn_off(self, feed_id: str) -> bool:
        self.confirming = None
        if await self._run(self.calendar.turn_off(feed_id)):
            self.download = None
            await self.load()
            return True
        return False

    async def change_alarm(self, feed: CalendarFeed, alarm: FeedAlarm) -> bool:
        """The alert of a feed that is on: changed at the clinic, the same link keeps working."""
        if await self._run(self.calendar.change(feed.id, replace(feed.options, alarm=alarm))):
            await self.load()
            return True
        return False

    async def renew(self, feed_id: str) -> bool:
        if await self._run(self.calendar.renew(feed_id)):
            await self.load()
            return True
        return False

    async def prepare_download(self, lang: str, share_id: str | None = None) -> bool:
        """Ask for a one-use link; the screen then offers it as a link the browser opens on a tap."""
        feed = self.feed_for(share_id)
        options = feed.options if feed is not None else self.form(lang)
        self.busy, self.problem, self.download = True, None, None
        try:
            self.download = await self.calendar.download(options, share_id)
        except ServiceError as exc:
            self.problem = exc.code
            return False
        finally:
            self.busy = False
        return True
