"""CalendarFeeds and Reminders over a real store file and an in-memory clinic.

The feed's URL is said once by the clinic: it is kept sealed so the link shows again (after a
restart too); offline the list is this device's copy and nothing is changed or lost. Reminders
come from local data at the core's clock, with no network.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.domain.calendar import FeedAlarm, FeedOptions, FeedTitles
from app.domain.checkins import Answer
from app.domain.reminders import ReminderKind
from app.secrets.memory import MemorySecretStore
from app.services.calendar import FEEDS
from app.services.patient import CoreServices
from app.services.ports import Preferences, ServiceError
from tests.unit.sync.fake_clinic import FakeClinic

URL = "http://127.0.0.1:9"
NOW = datetime(2026, 3, 1, 15, 0, tzinfo=UTC)
CALM: dict[str, Answer] = {"craving": 2, "mood": 7, "confidence": 8, "used": False, "contact": False}
OPTIONS = FeedOptions(FeedTitles.NEUTRAL, "Gym", "es", FeedAlarm.HOUR)


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clinic() -> FakeClinic:
    fake = FakeClinic()
    fake.seed_week()
    fake.seed_questionnaires()
    return fake


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


@pytest.fixture
def secrets() -> MemorySecretStore:
    return MemorySecretStore()


def build(tmp_path: Path, secrets: MemorySecretStore, clinic: FakeClinic, clock: Clock) -> CoreServices:
    return CoreServices(
        tmp_path, secrets, transport=clinic.transport(), clock=clock, pin_kdf_n=2**10, autosync=False
    )


@pytest.fixture
async def services(
    tmp_path: Path, secrets: MemorySecretStore, clinic: FakeClinic, clock: Clock
) -> AsyncIterator[CoreServices]:
    core = build(tmp_path, secrets, clinic, clock)
    await core.account.sign_in_with_password(URL, "alex", "waypoint-demo")
    await core.sync.sync_now()
    yield core
    await core.close()


async def test_a_feed_turned_on_keeps_its_link_sealed_and_shows_it_again_after_a_restart(
    tmp_path: Path, secrets: MemorySecretStore, clinic: FakeClinic, clock: Clock, services: CoreServices
) -> None:
    feed = await services.calendar.turn_on(OPTIONS)
    assert feed.url is not None
    assert feed.url.endswith(".ics")
    # Sealed: the URL (its token is the credential) is in no file on disk in plain bytes.
    sent = [b for p, _h, b in clinic.bodies if p == "/v1/calendar-feeds"][-1]
    assert b'"neutral_title":"Gym"' in sent.replace(b" ", b"")
    assert b'"alarm":"1h"' in sent.replace(b" ", b"")
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert feed.url.encode() not in path.read_bytes()
    await services.close()
    again = build(tmp_path, secrets, clinic, clock)
    try:
        listed = await again.calendar.feeds()
        assert not listed.offline
        assert [(f.id, f.url, f.options) for f in listed.feeds] == [(feed.id, feed.url, OPTIONS)]
    finally:
        await again.close()


async def test_offline_the_list_is_this_devices_copy_and_turning_off_changes_nothing(
    clinic: FakeClinic, services: CoreServices
) -> None:
    feed = await services.calendar.turn_on(OPTIONS)
    clinic.offline = True
    listed = await services.calendar.feeds()
    assert listed.offline
    assert [f.url for f in listed.feeds] == [feed.url]
    with pytest.raises(ServiceError) as err:
        await services.calendar.turn_off(feed.id)
    assert err.value.code == "sync.offline"
    with pytest.raises(ServiceError):
        await services.calendar.turn_on(OPTIONS)
    clinic.offline = False
    assert [f.id for f in (await services.calendar.feeds()).feeds] == [feed.id]


async def test_turning_off_forgets_the_link_and_a_feed_ended_elsewhere_is_forgotten_too(
    clinic: FakeClinic, services: CoreServices
) -> None:
    first = await services.calendar.turn_on(OPTIONS)
    await services.calendar.turn_off(first.id)
    assert clinic.feeds == {}
    assert (await services.calendar.feeds()).feeds == ()
    second = await services.calendar.turn_on(OPTIONS)
    clinic.feeds.clear()  # turned off on another device
    assert (await services.calendar.feeds()).feeds == ()
    store = await services.core.require_store()
    assert await store.get_value(FEEDS) == {}, second.id


async def test_a_feed_whose_link_this_device_never_had_can_be_renewed_with_the_same_options(
    clinic: FakeClinic, services: CoreServices
) -> None:
    feed = await services.calendar.turn_on(OPTIONS)
    store = await services.core.require_store()
    await store.set_value(FEEDS, {})  # the link was lost (another device turned it on)
    listed = await services.calendar.feeds()
    assert [f.url for f in listed.feeds] == [None]
    fresh = await services.calendar.renew(feed.id)
    assert fresh.id != feed.id
    assert fresh.url is not None
    assert fresh.options == OPTIONS
    assert list(clinic.feeds) == [fresh.id]  # the old link is dead


async def test_a_neutral_word_the_clinic_would_refuse_is_caught_before_the_network(
    clinic: FakeClinic, services: CoreServices
) -> None:
    with pytest.raises(ServiceError) as err:
        await services.calendar.turn_on(FeedOptions(neutral_title="x" * 41))
    assert err.value.code == "calendar.title_invalid"
    assert not any("calendar" in r for r in clinic.requests)


async def test_the_one_off_download_returns_the_clinics_one_use_link(services: CoreServices) -> None:
    link = await services.calendar.download(OPTIONS)
    assert link.url.endswith(".ics")
    assert link.expires_at.tzinfo is not None


async def test_reminders_come_from_local_data_at_the_cores_clock_even_offline(
    clinic: FakeClinic, clock: Clock, services: CoreServices
) -> None:
    clinic.offline = True
    # s1 is the check-in at 9:00 New York time on 2 March (14:00 UTC); 30 minutes before by default.
    clock.now = datetime(2026, 3, 2, 13, 35, tzinfo=UTC)
    due = await services.reminders.due()
    assert due.now == clock.now
    assert [(r.kind, r.session.id if r.session else None) for r in due.reminders] == [
        (ReminderKind.SESSION, "s1")
    ]
    clock.now = datetime(2026, 3, 2, 13, 25, tzinfo=UTC)
    assert (await services.reminders.due()).reminders == ()
    await services.device.save_preferences(Preferences(session_reminder_minutes=60))
    assert [r.kind for r in (await services.reminders.due()).reminders] == [ReminderKind.SESSION]


async def test_the_check_in_nudge_goes_once_todays_check_in_is_in_the_outbox(
    clock: Clock, services: CoreServices
) -> None:
    clock.now = datetime(2026, 3, 2, 23, 0, tzinfo=UTC)  # 18:00 in New York, a Monday
    kinds = [r.kind for r in (await services.reminders.due()).reminders]
    assert ReminderKind.CHECKIN in kinds
    await services.checkins.submit("q-daily", CALM)
    kinds = [r.kind for r in (await services.reminders.due()).reminders]
    assert ReminderKind.CHECKIN not in kinds


async def test_an_assignment_due_tomorrow_is_reminded(clock: Clock, services: CoreServices) -> None:
    clock.now = datetime(2026, 3, 3, 12, 0, tzinfo=UTC)  # a1 is due 4 March, 9:00 New York
    found = (await services.reminders.due()).reminders
    assert [(r.kind, r.assignment.id if r.assignment else None) for r in found] == [
        (ReminderKind.ASSIGNMENT, "a1")
    ]
    clock.now += timedelta(days=1)
    assert (await services.reminders.due()).reminders == ()


async def test_changing_a_feeds_alert_keeps_its_link_here_and_at_the_clinic(
    clinic: FakeClinic, services: CoreServices
) -> None:
    feed = await services.calendar.turn_on(OPTIONS)
    changed = await services.calendar.change(feed.id, replace(OPTIONS, alarm=FeedAlarm.DAY))
    assert changed.url == feed.url
    assert clinic.feeds[feed.id]["alarm"] == "1d"
    (listed,) = (await services.calendar.feeds()).feeds
    assert (listed.url, listed.options.alarm) == (feed.url, FeedAlarm.DAY)
