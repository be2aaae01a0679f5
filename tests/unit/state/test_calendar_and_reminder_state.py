"""Calendar and reminder view state: the form sent as chosen, failures leave the list as it was,
one reminder banner at a time and a dismissed one stays away."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from app.domain.calendar import CalendarDownload, CalendarFeed, FeedAlarm, FeedList, FeedOptions, FeedTitles
from app.domain.reminders import DueReminders, Reminder, ReminderKind
from app.services.ports import ServiceError
from app.state.calendar import CalendarState
from app.state.reminders import ReminderState

NOW = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)


class Feeds:
    """A CalendarFeeds twin: a clinic in a dict, `offline` makes every change fail as the real one does."""

    def __init__(self) -> None:
        self.stored: dict[str, CalendarFeed] = {}
        self.offline = False
        self.sent: list[tuple[FeedOptions, str | None]] = []

    async def feeds(self) -> FeedList:
        return FeedList(tuple(self.stored.values()), offline=self.offline)

    async def turn_on(self, options: FeedOptions, share_id: str | None = None) -> CalendarFeed:
        if self.offline:
            raise ServiceError("sync.offline")
        self.sent.append((options, share_id))
        feed = CalendarFeed(
            f"f{len(self.sent)}", NOW, options, share_id, url=f"https://c/{len(self.sent)}.ics"
        )
        self.stored[feed.id] = feed
        return feed

    async def turn_off(self, feed_id: str) -> None:
        if self.offline:
            raise ServiceError("sync.offline")
        self.stored.pop(feed_id, None)

    async def change(self, feed_id: str, options: FeedOptions) -> CalendarFeed:
        if self.offline:
            raise ServiceError("sync.offline")
        self.stored[feed_id] = replace(self.stored[feed_id], options=options)
        return self.stored[feed_id]

    async def renew(self, feed_id: str) -> CalendarFeed:
        old = self.stored[feed_id]
        await self.turn_off(feed_id)
        return await self.turn_on(old.options, old.share_id)

    async def download(self, options: FeedOptions, share_id: str | None = None) -> CalendarDownload:
        self.sent.append((options, share_id))
        return CalendarDownload("https://c/once.ics", NOW + timedelta(minutes=5))


async def test_the_form_sends_the_chosen_word_alarm_and_language_and_the_feed_is_listed() -> None:
    twin = Feeds()
    s = CalendarState(calendar=twin)
    s.choose(alarm=FeedAlarm.DAY)
    s.type_word("  Gym  ")
    assert await s.turn_on("es")
    assert twin.sent == [(FeedOptions(FeedTitles.NEUTRAL, "Gym", "es", FeedAlarm.DAY), None)]
    assert s.feed_for(None) is not None
    assert s.feed_for(None).url == "https://c/1.ics"  # type: ignore[union-attr]


async def test_real_names_send_no_neutral_word_and_an_empty_word_means_the_clinics_default() -> None:
    twin = Feeds()
    s = CalendarState(calendar=twin)
    s.type_word("Gym")
    s.choose(titles=FeedTitles.REAL)
    assert s.form("en").neutral_title is None
    s.choose(titles=FeedTitles.NEUTRAL)
    s.type_word("   ")
    assert s.form("pt_BR") == FeedOptions(FeedTitles.NEUTRAL, None, "pt_BR", FeedAlarm.NONE)


async def test_offline_a_change_fails_with_a_message_key_and_the_feed_stays() -> None:
    twin = Feeds()
    s = CalendarState(calendar=twin)
    await s.turn_on("en")
    twin.offline = True
    feed = s.feed_for(None)
    assert feed is not None
    assert not await s.turn_off(feed.id)
    assert s.problem == "sync.offline"
    assert s.feed_for(None) == feed
    assert not s.busy


async def test_a_family_members_download_uses_the_options_of_that_shares_feed() -> None:
    twin = Feeds()
    s = CalendarState(calendar=twin)
    s.choose(alarm=FeedAlarm.HOUR)
    await s.turn_on("es", "share-1")
    s.choose(alarm=FeedAlarm.NONE)  # the form moved on; the feed's own options are what it serves
    assert await s.prepare_download("en", "share-1")
    assert twin.sent[-1] == (FeedOptions(FeedTitles.NEUTRAL, None, "es", FeedAlarm.HOUR), "share-1")
    assert s.download is not None


class Due:
    def __init__(self, *reminders: Reminder) -> None:
        self.reminders = reminders

    async def due(self) -> DueReminders:
        return DueReminders(NOW, self.reminders)


async def test_one_banner_at_a_time_the_most_urgent_and_a_dismissed_one_stays_away() -> None:
    first = Reminder("session:s1", ReminderKind.SESSION, NOW + timedelta(minutes=20))
    second = Reminder("checkin:2026-03-02", ReminderKind.CHECKIN, NOW)
    twin = Due(first, second)
    s = ReminderState(reminders=twin)
    await s.refresh()
    assert s.shown == first
    assert s.now == NOW
    s.dismiss(first.key)
    assert s.shown == second
    await s.refresh()  # still due: still dismissed
    assert s.shown == second
    s.dismiss(second.key)
    assert s.shown is None


async def test_changing_the_alert_of_a_feed_that_is_on_keeps_its_link() -> None:
    twin = Feeds()
    s = CalendarState(calendar=twin)
    await s.turn_on("en")
    feed = s.feed_for(None)
    assert feed is not None
    assert await s.change_alarm(feed, FeedAlarm.DAY)
    changed = s.feed_for(None)
    assert changed is not None
    assert (changed.id, changed.url, changed.options.alarm) == (feed.id, feed.url, FeedAlarm.DAY)
