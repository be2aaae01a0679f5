"""Calendar feeds across a daylight-saving change: what a calendar app shows is the clinic's schedule.

The clinic runs on a shifted clock (`ClockedClinic`) whose "now" is 10 days before the next
America/New_York change (fall back, and spring forward), so each feed's window (4 weeks back,
12 ahead) spans it. Every feed is parsed with `icalendar` and expanded with
`recurring_ical_events`, as a calendar app would.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
import recurring_ical_events  # type: ignore[import-untyped]
from icalendar import Calendar

from tests.clinic.feed_support import (
    ClockedClinic,
    ShiftedClock,
    calendar,
    create_feed,
    family_account,
    read,
    share_id_of,
    uid_ids,
)
from tests.clinic.helpers import auth

NY = ZoneInfo("America/New_York")
BACK, AHEAD = timedelta(weeks=4), timedelta(weeks=12)


def next_change(after: datetime, offset_after: timedelta) -> datetime:
    """The first New York DST change after `after` whose new UTC offset is `offset_after`."""
    day = after.astimezone(NY).replace(hour=12, minute=0, second=0, microsecond=0)
    for _ in range(800):
        following = day + timedelta(days=1)
        before, now = day.utcoffset(), following.astimezone(NY).utcoffset()
        if before != now and now == offset_after:
            return following.astimezone(UTC)
        day = following.astimezone(NY)
    raise AssertionError("no DST change found")


CHANGES = {"fall_back": timedelta(hours=-5), "spring_forward": timedelta(hours=-4)}


@pytest.fixture(scope="module", params=sorted(CHANGES))
def clocked(
    request: pytest.FixtureRequest, backend: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ClockedClinic]:
    change = next_change(datetime.now(UTC), CHANGES[request.param])
    clock = ShiftedClock(change - timedelta(days=10) - datetime.now(UTC))
    url = request.getfixturevalue("postgres_server").create_database() if backend == "postgres" else None
    with ClockedClinic(tmp_path_factory.mktemp("clocked"), clock, database_url=url) as server:
        yield server


def _expand(cal: Calendar, start: datetime, end: datetime) -> list[Any]:
    return list(recurring_ical_events.of(cal).between(start, end))


def _patient_schedule(server: ClockedClinic, now: datetime) -> dict[str, dict[str, Any]]:
    """What the patient may see in the feed's window, from the staff API (staff see everything)."""
    out = {}
    for item in server.schedule(server.patient_id("alex")):
        starts, ends = datetime.fromisoformat(item["starts_at"]), datetime.fromisoformat(item["ends_at"])
        if ends <= now - BACK or starts >= now + AHEAD:
            continue
        if item["kind"] == "drug_test" and ends > now:
            continue  # never announced
        out[item["id"]] = item
    return out


def test_every_event_starts_when_the_clinic_schedules_it_across_the_dst_change(
    clocked: ClockedClinic,
) -> None:
    now = clocked.clock()
    feed = create_feed(clocked, clocked.patient_token(), titles="real")
    cal = calendar(feed["url"])
    (vtimezone,) = cal.timezones
    assert str(vtimezone["TZID"]) == "America/New_York"
    expected = _patient_schedule(clocked, now)
    events = _expand(cal, now - BACK - timedelta(days=1), now + AHEAD + timedelta(days=1))
    by_id = {str(e["UID"]).split("@", 1)[0]: e for e in events}
    assert set(by_id) == set(expected)
    feed_zone = vtimezone.to_tz()  # the feed's own VTIMEZONE, not the reader's tz database
    for item_id, item in expected.items():
        event = by_id[item_id]
        starts = datetime.fromisoformat(item["starts_at"])
        start = event["DTSTART"].dt
        assert start == starts, item
        assert start.astimezone(NY).time() == starts.astimezone(NY).time()
        assert start.replace(tzinfo=None).replace(tzinfo=feed_zone) == starts, "VTIMEZONE disagrees"
        assert event["DTEND"].dt == datetime.fromisoformat(item["ends_at"])
        assert str(event["CLASS"]) == "PRIVATE"
        assert str(event["STATUS"]) == ("CANCELLED" if item["status"] == "cancelled" else "CONFIRMED")
    # the window spans the change, and the morning check-in stays at 09:00 on both sides
    check_ins = [by_id[i]["DTSTART"].dt for i, item in expected.items() if item["kind"] == "check_in"]
    assert {s.utcoffset() for s in check_ins} == {timedelta(hours=-4), timedelta(hours=-5)}
    assert {s.astimezone(NY).time() for s in check_ins} == {time(9, 0)}
    # the demo's cancelled class and moved group are there as such
    assert any(i["status"] == "cancelled" for i in expected.values())
    moved = [i for i in expected.values() if i["status"] == "moved"]
    assert moved
    assert all(by_id[i["id"]]["DTSTART"].dt == datetime.fromisoformat(i["starts_at"]) for i in moved)


def _staff_patch(server: ClockedClinic, item_id: str, body: dict[str, Any]) -> None:
    response = httpx.patch(
        f"{server.url}/v1/staff/schedule/{item_id}", json=body, headers=auth(server.staff_token()), timeout=10
    )
    assert response.status_code == 200, response.text


def test_a_cancelled_session_is_cancelled_and_a_moved_one_keeps_its_uid(clocked: ClockedClinic) -> None:
    now = clocked.clock()
    url = create_feed(clocked, clocked.patient_token())["url"]
    first = read(url)
    before = uid_ids(Calendar.from_ical(first.content))
    future = sorted(
        (i for i in _patient_schedule(clocked, now).values() if i["status"] == "scheduled"),
        key=lambda i: i["starts_at"],
    )
    later = [i for i in future if datetime.fromisoformat(i["starts_at"]) > now + timedelta(days=14)]
    cancelled, moved = later[0], later[1]
    _staff_patch(clocked, cancelled["id"], {"status": "cancelled"})
    new_start = datetime.fromisoformat(moved["starts_at"]) + timedelta(days=1, hours=2)
    new_end = datetime.fromisoformat(moved["ends_at"]) + timedelta(days=1, hours=2)
    _staff_patch(clocked, moved["id"], {"starts_at": new_start.isoformat(), "ends_at": new_end.isoformat()})
    second = read(url, **{"If-None-Match": first.headers["etag"]})
    assert second.status_code == 200  # changed: a full body, a new ETag
    assert second.headers["etag"] != first.headers["etag"]
    after = uid_ids(Calendar.from_ical(second.content))
    assert set(after) == set(before)  # nothing new, nothing lost: updated in place
    assert str(after[cancelled["id"]]["STATUS"]) == "CANCELLED"
    assert after[cancelled["id"]]["SEQUENCE"] > before[cancelled["id"]]["SEQUENCE"]
    assert after[moved["id"]]["UID"] == before[moved["id"]]["UID"]
    assert after[moved["id"]]["DTSTART"].dt == new_start
    assert after[moved["id"]]["SEQUENCE"] > before[moved["id"]]["SEQUENCE"]
    expanded = _expand(Calendar.from_ical(second.content), new_start - timedelta(hours=1), new_end)
    assert moved["id"] in {str(e["UID"]).split("@", 1)[0] for e in expanded}


def test_a_drug_test_is_in_no_feed_before_it_happens_and_never_in_a_family_feed(
    clocked: ClockedClinic,
) -> None:
    now = clocked.clock()
    alex = clocked.patient_token()
    tests = [i for i in clocked.schedule(clocked.patient_id("alex")) if i["kind"] == "drug_test"]
    upcoming = [i for i in tests if datetime.fromisoformat(i["ends_at"]) > now]
    past = [i for i in tests if datetime.fromisoformat(i["ends_at"]) <= now]
    assert upcoming
    assert past
    mine = create_feed(clocked, alex, titles="real")["url"]
    family = []
    for scope in ("times", "details", "family_sessions"):
        member = family_account(clocked, alex, scope, f"drug-{scope}-{now.timestamp():.0f}", now)
        family.append(
            create_feed(clocked, member, titles="real", share_id=share_id_of(clocked, member))["url"]
        )
    seen = set(uid_ids(calendar(mine)))
    assert {i["id"] for i in past} <= seen
    assert not {i["id"] for i in upcoming} & seen
    for url in family:
        assert not {i["id"] for i in tests} & set(uid_ids(calendar(url)))
    # once the upcoming test has happened, the patient's feed shows it; family feeds still never do
    clocked.clock.offset += (
        max(datetime.fromisoformat(i["ends_at"]) for i in upcoming) - now + timedelta(minutes=1)
    )
    try:
        assert {i["id"] for i in upcoming} <= set(uid_ids(calendar(mine)))
        for url in family:
            body = read(url)
            assert body.status_code == 200, body.text
            assert not {i["id"] for i in tests} & set(uid_ids(Calendar.from_ical(body.content)))
    finally:
        clocked.clock.offset -= (
            max(datetime.fromisoformat(i["ends_at"]) for i in upcoming) - now + timedelta(minutes=1)
        )


def test_a_download_link_expires_after_five_minutes_unused(clocked: ClockedClinic) -> None:
    alex = clocked.patient_token()
    link = httpx.post(f"{clocked.url}/v1/calendar-feeds/download", json={}, headers=auth(alex), timeout=10)
    assert link.status_code == 201, link.text
    clocked.clock.offset += timedelta(minutes=5, seconds=1)
    try:
        gone = read(link.json()["url"])
    finally:
        clocked.clock.offset -= timedelta(minutes=5, seconds=1)
    assert gone.status_code == 410
    assert gone.json()["code"] == "feed.link_expired"


def test_a_family_feed_ends_when_its_share_expires(clocked: ClockedClinic) -> None:
    now = clocked.clock()
    member = family_account(clocked, clocked.patient_token(), "times", f"expiring-{now.timestamp():.0f}", now)
    url = create_feed(clocked, member, share_id=share_id_of(clocked, member))["url"]
    assert read(url).status_code == 200
    clocked.clock.offset += timedelta(days=31)
    try:
        gone = read(url)
    finally:
        clocked.clock.offset -= timedelta(days=31)
    assert gone.status_code == 410
    assert gone.json()["code"] == "feed.share_ended"
