"""Calendar feeds (issue 14): the wire contract, privacy, lifetime, caching and the token's secrecy.

Real clinic on loopback (SQLite file and PostgreSQL); every feed is parsed with `icalendar`. The
DST and clock-dependent cases are in test_calendar_dst.py.
"""

from __future__ import annotations

import random
import secrets
import statistics
import string
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from icalendar import Alarm, Calendar

from bench.feed_poll import measure
from tests.clinic.feed_support import calendar, create_feed, family_account, read, share_id_of, uid_ids
from tests.clinic.helpers import auth
from tests.support.clinic_server import ClinicServer

FEEDS = "/v1/calendar-feeds"
# Words that would tell whoever glances at a phone's calendar what the appointments are for.
PROGRAMME_WORDS = ("Intensive", "Outpatient", "Program", "Recovery", "Baystate", "group", "counsel", "drug")


def _unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def _family(demo: ClinicServer, scope: str = "times") -> tuple[str, str]:
    """(family access token, their share id) for a fresh family member of Alex's."""
    member = family_account(demo, demo.patient_token(), scope, _unique("fam"), datetime.now(UTC))
    return member, share_id_of(demo, member)


# -- the contract ----------------------------------------------------------------------------------


def test_a_patient_turns_on_a_feed_and_the_url_is_returned_once(demo: ClinicServer) -> None:
    alex = demo.patient_token()
    created = create_feed(demo, alex)
    assert created["url"].startswith(f"{demo.url}/v1/calendar/")
    assert created["url"].endswith(".ics")
    token = created["url"].rsplit("/", 1)[1].removesuffix(".ics")
    assert len(token) >= 43  # 256 bits, base64url
    assert created["titles"] == "neutral"
    assert created["alarm"] == "none"
    assert created["lang"] == "en"
    assert created["share_id"] is None
    assert created["patient_display_name"] is None
    assert created["last_read_at"] is None
    calendar(created["url"])
    listed = httpx.get(f"{demo.url}{FEEDS}", headers=auth(alex), timeout=10)
    assert listed.status_code == 200
    mine = next(f for f in listed.json() if f["id"] == created["id"])
    assert "url" not in mine
    assert token not in listed.text
    assert mine["last_read_at"] is not None  # a calendar fetched it


def test_a_neutral_feed_says_nothing_about_the_programme(demo: ClinicServer) -> None:
    url = create_feed(demo, demo.patient_token())["url"]
    response = read(url)
    cal = Calendar.from_ical(response.content)
    events = cal.events
    assert events
    assert {str(e["SUMMARY"]) for e in events} == {"Appointment"}
    assert {str(e["CLASS"]) for e in events} == {"PRIVATE"}
    for e in events:
        assert "LOCATION" not in e
        assert "DESCRIPTION" not in e
        assert "URL" not in e
    assert str(cal["X-WR-CALNAME"]) == "Waypoint"
    for word in PROGRAMME_WORDS:
        assert word.lower() not in response.text.lower(), word
    assert "America/New_York" in {str(tz["TZID"]) for tz in cal.timezones}


@pytest.mark.parametrize(
    ("body", "summary"),
    [
        ({"lang": "es"}, "Cita"),
        ({"lang": "pt_BR"}, "Consulta"),
        ({"neutral_title": "Gym"}, "Gym"),
        ({"neutral_title": "  Café con Ana ", "lang": "es"}, "Café con Ana"),
    ],
)
def test_the_neutral_word_is_the_patients_or_the_default_in_their_language(
    demo: ClinicServer, body: dict[str, str], summary: str
) -> None:
    cal = calendar(create_feed(demo, demo.patient_token(), **body)["url"])
    assert {str(e["SUMMARY"]) for e in cal.events} == {summary}


def test_real_titles_show_sessions_rooms_and_staff_only_when_asked(demo: ClinicServer) -> None:
    pid = demo.patient_id("alex")
    schedule = {i["id"]: i for i in demo.schedule(pid)}
    events = uid_ids(calendar(create_feed(demo, demo.patient_token(), titles="real")["url"]))
    assert events
    for item_id, event in events.items():
        item = schedule[item_id]
        assert str(event["SUMMARY"]) == item["title"]
        assert (str(event["LOCATION"]) if "LOCATION" in event else None) == item["location"]
        assert (str(event["DESCRIPTION"]) if "DESCRIPTION" in event else None) == item["staff_name"]


@pytest.mark.parametrize(("alarm", "trigger"), [("1h", timedelta(hours=-1)), ("1d", timedelta(days=-1))])
def test_an_alarm_reminds_before_each_session_but_not_a_cancelled_one(
    demo: ClinicServer, alarm: str, trigger: timedelta
) -> None:
    events = calendar(create_feed(demo, demo.patient_token(), alarm=alarm)["url"]).events
    for event in events:
        alarms = [a for a in event.subcomponents if isinstance(a, Alarm)]
        if str(event["STATUS"]) == "CANCELLED":
            assert alarms == []
        else:
            assert [a.TRIGGER for a in alarms] == [trigger]
            assert str(alarms[0]["ACTION"]) == "DISPLAY"
    assert any(str(e["STATUS"]) == "CANCELLED" for e in events)  # the demo's cancelled class


def test_a_changed_feed_keeps_its_url(demo: ClinicServer) -> None:
    alex = demo.patient_token()
    created = create_feed(demo, alex)
    first = read(created["url"])
    patched = httpx.patch(
        f"{demo.url}{FEEDS}/{created['id']}",
        json={"alarm": "1d", "titles": "real"},
        headers=auth(alex),
        timeout=10,
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["alarm"] == "1d"
    assert patched.json()["titles"] == "real"
    assert "url" not in patched.json()
    second = read(created["url"], **{"If-None-Match": first.headers["etag"]})
    assert second.status_code == 200  # the settings changed the body: a new ETag
    events = Calendar.from_ical(second.content).events
    assert any(isinstance(a, Alarm) for e in events for a in e.subcomponents)
    back = httpx.patch(
        f"{demo.url}{FEEDS}/{created['id']}", json={"neutral_title": None}, headers=auth(alex), timeout=10
    )
    assert back.status_code == 200
    assert back.json()["neutral_title"] is None


# -- caching ---------------------------------------------------------------------------------------


def test_an_unchanged_feed_answers_304_to_its_etag(demo: ClinicServer) -> None:
    url = create_feed(demo, demo.patient_token())["url"]
    first = read(url)
    etag = first.headers["etag"]
    assert etag.startswith('"')
    assert not etag.startswith("W/")
    assert first.headers["cache-control"] == "private, max-age=300"
    for header in (etag, f"W/{etag}", f'"nope", {etag}', "*"):
        again = read(url, **{"If-None-Match": header})
        assert again.status_code == 304, header
        assert again.content == b""
        assert again.headers["etag"] == etag
        assert again.headers["cache-control"] == "private, max-age=300"
    assert read(url, **{"If-None-Match": '"something-else"'}).status_code == 200


def test_a_no_change_poll_costs_under_1_kb_both_ways(demo: ClinicServer) -> None:
    """The bench (bench/feed_poll.py) as a test: request and response, headers included."""
    first, poll = measure(create_feed(demo, demo.patient_token())["url"])
    assert first.status == 200
    assert poll.status == 304
    assert poll.sent + poll.received < 1024, poll


# -- lifetime --------------------------------------------------------------------------------------


def test_a_revoked_feed_answers_410_on_the_very_next_request(demo: ClinicServer) -> None:
    alex = demo.patient_token()
    created = create_feed(demo, alex)
    assert read(created["url"]).status_code == 200
    assert (
        httpx.delete(f"{demo.url}{FEEDS}/{created['id']}", headers=auth(alex), timeout=10).status_code == 204
    )
    gone = read(created["url"])
    assert gone.status_code == 410
    assert gone.headers["content-type"].startswith("application/problem+json")
    assert gone.json()["code"] == "feed.revoked"
    listed = httpx.get(f"{demo.url}{FEEDS}", headers=auth(alex), timeout=10).json()
    assert created["id"] not in {f["id"] for f in listed}
    # deleting again changes nothing; editing a revoked feed does not bring it back
    assert (
        httpx.delete(f"{demo.url}{FEEDS}/{created['id']}", headers=auth(alex), timeout=10).status_code == 204
    )
    patched = httpx.patch(
        f"{demo.url}{FEEDS}/{created['id']}", json={"alarm": "1h"}, headers=auth(alex), timeout=10
    )
    assert patched.status_code == 410
    assert read(created["url"]).status_code == 410


def test_signing_the_device_out_does_not_end_the_feed(demo: ClinicServer) -> None:
    session = demo.sign_in("alex", "waypoint-demo", device_name="soon signed out")
    url = create_feed(demo, session["access_token"])["url"]
    out = httpx.post(f"{demo.url}/v1/auth/logout", headers=auth(session["access_token"]), timeout=10)
    assert out.status_code == 204
    assert read(url).status_code == 200


def test_an_unknown_token_is_404(demo: ClinicServer) -> None:
    for token in (secrets.token_urlsafe(32), "x", "a" * 128, "a" * 129, "not.a.token", "%00"):
        response = read(f"{demo.url}/v1/calendar/{token}.ics")
        assert response.status_code == 404, token
        assert response.json()["code"] == "not_found"


def test_a_download_link_serves_the_next_four_weeks_once(demo: ClinicServer) -> None:
    alex = demo.patient_token()
    link = httpx.post(f"{demo.url}{FEEDS}/download", json={"titles": "real"}, headers=auth(alex), timeout=10)
    assert link.status_code == 201, link.text
    expires_at = datetime.fromisoformat(link.json()["expires_at"])
    assert timedelta(minutes=4) < expires_at - datetime.now(UTC) <= timedelta(minutes=5)
    first = read(link.json()["url"])
    assert first.status_code == 200
    assert first.headers["content-disposition"] == 'attachment; filename="waypoint.ics"'
    assert first.headers["content-type"] == "text/calendar; charset=utf-8"
    events = Calendar.from_ical(first.content).events
    assert events
    now = datetime.now(UTC)
    for event in events:
        assert event.end > now - timedelta(minutes=1)
        assert event.start < now + timedelta(weeks=4, minutes=1)
    again = read(link.json()["url"])
    assert again.status_code == 410
    assert again.json()["code"] == "feed.link_used"
    listed = httpx.get(f"{demo.url}{FEEDS}", headers=auth(alex), timeout=10).json()
    assert link.json()["url"] not in str(listed)


def test_a_discharged_patients_feeds_answer_410(
    new_server: Any, tmp_path_factory: pytest.TempPathFactory
) -> None:
    with new_server(tmp_path_factory.mktemp("discharge")) as server:
        staff = server.staff_token()
        body = {"display_name": "Dee Leaving", "username": "dee", "password": "dee-password-1"}
        created = httpx.post(
            f"{server.url}/v1/staff/patients",
            json={**body, "start_date": datetime.now(UTC).date().isoformat(), "apply_pattern": True},
            headers=auth(staff),
            timeout=10,
        )
        assert created.status_code == 201, created.text
        dee = server.patient_token("dee", "dee-password-1")
        own = create_feed(server, dee)["url"]
        member = family_account(server, dee, "times", "dee-family", datetime.now(UTC))
        shared = create_feed(server, member, share_id=share_id_of(server, member))["url"]
        assert read(own).status_code == 200
        assert read(shared).status_code == 200
        out = httpx.post(
            f"{server.url}/v1/staff/patients/{created.json()['id']}/discharge",
            headers=auth(staff),
            timeout=10,
        )
        assert out.status_code == 204
        for url in (own, shared):
            gone = read(url)
            assert gone.status_code == 410
            assert gone.json()["code"] == "feed.discharged"


# -- family feeds ----------------------------------------------------------------------------------


def test_a_family_feed_shows_exactly_what_its_scope_allows(demo: ClinicServer) -> None:
    schedule = {i["id"]: i for i in demo.schedule(demo.patient_id("alex"))}
    hidden = {i for i, item in schedule.items() if not item["family_visible"] or item["kind"] == "drug_test"}
    times, times_share = _family(demo, "times")
    details, details_share = _family(demo, "details")
    sessions, sessions_share = _family(demo, "family_sessions")
    mine = uid_ids(calendar(create_feed(demo, demo.patient_token())["url"]))

    times_feed = create_feed(demo, times, titles="real", share_id=times_share)
    assert times_feed["patient_display_name"] == "Alex Rivera"
    assert times_feed["share_id"] == times_share
    shown = uid_ids(calendar(times_feed["url"]))
    assert shown
    assert not set(shown) & hidden
    assert set(shown) == set(mine) - hidden
    for event in shown.values():  # times only: even with real titles asked for, the neutral word
        assert str(event["SUMMARY"]) == "Appointment"
        assert "LOCATION" not in event
        assert "DESCRIPTION" not in event
        assert "URL" not in event

    shown = uid_ids(calendar(create_feed(demo, details, titles="real", share_id=details_share)["url"]))
    assert set(shown) == set(mine) - hidden
    assert {str(e["SUMMARY"]) for e in shown.values()} == {schedule[i]["title"] for i in shown}

    shown = uid_ids(calendar(create_feed(demo, sessions, titles="real", share_id=sessions_share)["url"]))
    assert {schedule[i]["kind"] for i in shown} <= {"family_session"}
    assert set(shown) == {i for i in set(mine) - hidden if schedule[i]["kind"] == "family_session"}


def test_a_family_feed_ends_when_the_share_is_revoked(demo: ClinicServer) -> None:
    member, share_id = _family(demo)
    url = create_feed(demo, member, share_id=share_id)["url"]
    assert read(url).status_code == 200
    revoked = httpx.delete(f"{demo.url}/v1/shares/{share_id}", headers=auth(demo.patient_token()), timeout=10)
    assert revoked.status_code == 204
    gone = read(url)
    assert gone.status_code == 410
    assert gone.json()["code"] == "feed.share_ended"


# -- audit and secrecy -----------------------------------------------------------------------------


def test_every_read_is_audited_and_the_token_is_never_logged(demo: ClinicServer) -> None:
    pid = demo.patient_id("alex")
    url = create_feed(demo, demo.patient_token())["url"]
    before = demo.audit_actions(pid)
    first = read(url)
    read(url, **{"If-None-Match": first.headers["etag"]})
    after = demo.audit_actions(pid)
    assert after["feed.read"] - before["feed.read"] == 2
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    assert token not in demo.log_path.read_text(encoding="utf-8", errors="replace")


def _altered(token: str, rng: random.Random) -> str:
    """The token with one character changed (still a well-formed token)."""
    at = rng.randrange(len(token))
    alphabet = string.ascii_letters + string.digits + "-_"
    return token[:at] + rng.choice(alphabet.replace(token[at], "")) + token[at + 1 :]


def test_an_unknown_token_and_an_altered_valid_one_take_the_same_time(demo: ClinicServer) -> None:
    """No timing difference worth measuring between "no such token" and "almost a real one".

    Both are looked up by their SHA-256 and compared in constant time, so nothing about a real
    token makes a near miss slower or faster. Measured as a robust statistic on a shared machine:
    the requests alternate in random order (load drift hits both alike), and the medians of many
    must agree within 25 % or 2 ms, whichever is larger — a real leak (say, a lookup by a token
    prefix) would show up as a consistent shift, noise does not move a median that far.
    """
    token = create_feed(demo, demo.patient_token())["url"].rsplit("/", 1)[1].removesuffix(".ics")
    rng = random.Random(14)
    samples: dict[str, list[float]] = {"unknown": [], "altered": []}
    with httpx.Client(base_url=demo.url, timeout=30) as client:

        def timed(candidate: str) -> float:
            started = time.perf_counter()
            response = client.get(f"/v1/calendar/{candidate}.ics")
            elapsed = time.perf_counter() - started
            assert response.status_code == 404
            return elapsed

        for _ in range(20):  # warm-up: connections, caches, the database's plan
            timed(secrets.token_urlsafe(32))
            timed(_altered(token, rng))
        for _ in range(200):
            kinds = ["unknown", "altered"]
            rng.shuffle(kinds)
            for kind in kinds:
                candidate = secrets.token_urlsafe(32) if kind == "unknown" else _altered(token, rng)
                samples[kind].append(timed(candidate))
    unknown, altered = statistics.median(samples["unknown"]), statistics.median(samples["altered"])
    assert abs(unknown - altered) <= max(0.002, 0.25 * min(unknown, altered)), (unknown, altered)


# -- bad input: a 4xx with its reason, never a 500 ---------------------------------------------------


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"neutral_title": ""}, "request.invalid"),
        ({"neutral_title": "   "}, "request.invalid"),
        ({"neutral_title": "x" * 41}, "request.invalid"),
        ({"neutral_title": "a\nb"}, "request.invalid"),
        ({"alarm": "2h"}, "request.invalid"),
        ({"alarm": 60}, "request.invalid"),
        ({"titles": "secret"}, "request.invalid"),
        ({"lang": "fr"}, "request.invalid"),
        ({"share_id": "not an id!"}, "request.invalid"),
        ({"share_id": str(uuid.uuid4())}, "feed.share_id_not_allowed"),
    ],
)
def test_a_patients_bad_request_is_400_with_its_reason(
    demo: ClinicServer, body: dict[str, Any], code: str
) -> None:
    for path in (FEEDS, f"{FEEDS}/download"):
        response = httpx.post(f"{demo.url}{path}", json=body, headers=auth(demo.patient_token()), timeout=10)
        assert response.status_code == 400, response.text
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["code"] == code
        assert response.json()["detail"]


def test_a_family_member_must_name_one_of_their_own_live_shares(demo: ClinicServer) -> None:
    member, _ = _family(demo)
    _, someone_elses = _family(demo)
    cases = [
        ({}, 400, "feed.share_id_required"),
        ({"share_id": None}, 400, "feed.share_id_required"),
        ({"share_id": someone_elses}, 404, "not_found"),
        ({"share_id": str(uuid.uuid4())}, 404, "not_found"),
    ]
    for body, status, code in cases:
        for path in (FEEDS, f"{FEEDS}/download"):
            response = httpx.post(f"{demo.url}{path}", json=body, headers=auth(member), timeout=10)
            assert response.status_code == status, (body, response.text)
            assert response.json()["code"] == code


def test_another_accounts_feed_or_an_unknown_one_is_404(demo: ClinicServer) -> None:
    alex = demo.patient_token()
    created = create_feed(demo, alex)
    morgan = demo.patient_token("morgan", "waypoint-demo-2")
    member, _ = _family(demo)
    for token in (morgan, member):
        for method, body in (("PATCH", {"alarm": "1h"}), ("DELETE", None)):
            response = httpx.request(
                method, f"{demo.url}{FEEDS}/{created['id']}", json=body, headers=auth(token), timeout=10
            )
            assert response.status_code == 404
            assert response.json()["code"] == "not_found"
    for method, body in (("PATCH", {"alarm": "1h"}), ("DELETE", None)):
        response = httpx.request(
            method, f"{demo.url}{FEEDS}/{uuid.uuid4()}", json=body, headers=auth(alex), timeout=10
        )
        assert response.status_code == 404
    bad = httpx.patch(
        f"{demo.url}{FEEDS}/{created['id']}", json={"alarm": "soon"}, headers=auth(alex), timeout=10
    )
    assert bad.status_code == 400
    assert bad.json()["code"] == "request.invalid"
    assert read(created["url"]).status_code == 200  # none of that touched it


def test_staff_have_no_calendar_feeds(demo: ClinicServer) -> None:
    response = httpx.post(f"{demo.url}{FEEDS}", json={}, headers=auth(demo.staff_token()), timeout=10)
    assert response.status_code == 403
    assert response.json()["code"] == "auth.forbidden"
