"""Calendar feeds and reminders in Chromium (issue 14): one real clinic, a patient app and a family app.

The patient turns a feed on in Settings, the link shown is fetched over HTTP and is a calendar,
turns it off, and the same link answers 410; a family member does the same from their home screen
for the schedule shared with them. (The reminder banner: test_reminder_banner.py.)
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from icalendar import Calendar
from playwright.sync_api import Browser

from tests.e2e.conftest import sign_in
from tests.support.app_server import AppServer
from tests.support.browser import AppPage
from tests.support.clinic_server import ClinicServer

pytestmark = pytest.mark.e2e
URL = re.compile(r"https?://\S+\.ics")


@dataclass
class Calendars:
    clinic: ClinicServer
    patient: AppPage
    family_app: AppServer
    schedule: list[dict[str, Any]]


@pytest.fixture(scope="module")
def cal(tmp_path_factory: pytest.TempPathFactory, browser: Browser) -> Iterator[Calendars]:
    root = tmp_path_factory.mktemp("calendar-e2e")
    with (
        ClinicServer(root / "clinic") as clinic,
        AppServer(root / "patient", clinic_url=clinic.url, sync_interval=2) as app,
        AppServer(root / "family", clinic_url=clinic.url, sync_interval=2) as family_app,
    ):
        page = AppPage.open(browser, app.url, {"width": 1280, "height": 2400})
        try:
            sign_in(page)
            yield Calendars(clinic, page, family_app, clinic.schedule(clinic.patient_id("alex")))
        finally:
            page.close()


def fetch_calendar(url: str) -> Calendar:
    answer = httpx.get(url, timeout=10)
    assert answer.status_code == 200, answer.text[:200]
    assert answer.headers["content-type"].startswith("text/calendar")
    return Calendar.from_ical(answer.content)


def summaries(calendar: Calendar) -> list[str]:
    return [str(e.get("SUMMARY")) for e in calendar.walk("VEVENT")]


def test_the_patient_turns_a_feed_on_in_settings_it_is_a_calendar_and_once_off_it_answers_410(
    cal: Calendars,
) -> None:
    page = cal.patient
    page.open_settings("calendar-feed-on")
    page.assert_accessible("settings, calendar off")
    page.tap("calendar-alarm-1h")
    page.tap("calendar-feed-on")
    url = URL.search(page.wait_text("calendar-feed-link", URL, timeout=30_000))
    assert url is not None
    page.assert_accessible("settings, calendar on")
    assert "Alert: 1 hour before" in page.text_of("calendar-feed-status")

    calendar = fetch_calendar(url.group(0))
    events = list(calendar.walk("VEVENT"))
    assert len(events) > 20
    titles = set(summaries(calendar))
    assert titles == {"Appointment"}, titles  # neutral by default: no session names
    live = [e for e in events if str(e.get("STATUS", "CONFIRMED")) != "CANCELLED"]
    assert live
    for event in live:  # the alert chosen: one hour before each session that still happens
        (alarm,) = event.walk("VALARM")
        assert alarm.decoded("TRIGGER") == -timedelta(hours=1)
    body = httpx.get(url.group(0), timeout=10).text
    for item in cal.schedule:
        assert item["title"] not in body
        if item.get("location"):
            assert item["location"] not in body

    page.tap("calendar-feed-alarm-1d")  # changed at the clinic: the same link, a new alert
    page.wait_text("calendar-feed-status", r"Alert: 1 day before", timeout=30_000)
    assert page.text_of("calendar-feed-link").strip() == url.group(0)
    (first, *_rest) = (
        e for e in fetch_calendar(url.group(0)).walk("VEVENT") if str(e.get("STATUS", "")) != "CANCELLED"
    )
    assert first.walk("VALARM")[0].decoded("TRIGGER") == -timedelta(days=1)

    page.page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.tap("calendar-feed-copy")
    page.wait_text("calendar-feed-copy", r"Copied")
    assert page.page.evaluate("() => navigator.clipboard.readText()") == url.group(0)

    page.tap_until("calendar-feed-off", "calendar-feed-off-confirm")
    page.tap("calendar-feed-off-confirm")
    page.wait_id("calendar-feed-on", timeout=30_000)
    assert page.by_id("calendar-feed-link").count() == 0
    gone = httpx.get(url.group(0), timeout=10)
    assert gone.status_code == 410
    assert "Appointment" not in gone.text


def test_the_one_off_download_is_offered_as_a_link_that_serves_the_next_four_weeks(cal: Calendars) -> None:
    page = cal.patient
    page.open_settings("calendar-download")
    page.tap("calendar-download")
    page.wait_id("calendar-download-open", timeout=30_000)
    clinic = cal.clinic.url
    # Chromium opens the link in a new tab, which turns into a download and closes: the answer is
    # read off the wire.
    with page.page.context.expect_event(
        "response", predicate=lambda r: r.url.startswith(clinic), timeout=30_000
    ) as got:
        page.tap("calendar-download-open")
    answer = got.value
    assert answer.status == 200
    assert answer.headers["content-type"].startswith("text/calendar")
    assert 'filename="waypoint.ics"' in answer.headers["content-disposition"]
    assert answer.headers["content-disposition"].startswith("attachment")
    assert httpx.get(answer.url, timeout=10).status_code == 410  # one use only


def invite_by_api(clinic: ClinicServer) -> tuple[str, str]:
    body = {
        "recipient_name": "Sam Rivera",
        "relationship": "brother",
        "scope": "times",
        "purpose": "Rides to my sessions",
        "expires_at": (datetime.now(UTC) + timedelta(days=90)).isoformat(),
    }
    headers = {"Authorization": f"Bearer {clinic.patient_token()}"}
    answer = httpx.post(f"{clinic.url}/v1/shares", json=body, headers=headers, timeout=10)
    answer.raise_for_status()
    created = answer.json()
    return str(created["share"]["id"]), str(created["invitation_code"])


def test_a_family_member_turns_a_feed_on_from_their_home_it_shows_the_share_and_dies_when_off(
    cal: Calendars, browser: Browser
) -> None:
    share_id, code = invite_by_api(cal.clinic)
    page = AppPage.open(browser, cal.family_app.url, {"width": 1280, "height": 2400})
    try:
        page.tap_until("sign-in-family", "family-code")
        page.fill("family-code", code)
        page.fill("family-name", "Sam")
        page.fill("family-username", "sam-calendar")
        page.fill("family-password", "family-pass-calendar")
        page.tap("family-submit")
        page.wait_id("family-home")
        page.wait_id(f"family-patient-{share_id}")
        page.wait_id("family-calendar-feed-on", timeout=30_000)  # the feeds are loaded
        assert page.by_id("family-calendar-feed-on").count() == 1  # one panel per shared person
        panel = page.wait_text("family-calendar-scope", r"dates and times")
        assert "without their names or places" in panel
        # Dates and times only: the clinic sends no names, so the form offers only the word.
        page.wait_id("family-calendar-word")
        assert page.by_id("family-calendar-titles-real").count() == 0
        assert page.by_id("family-calendar-titles-neutral").count() == 0
        page.assert_accessible("family home, calendar off")
        page.tap("family-calendar-feed-on")
        url = URL.search(page.wait_text("family-calendar-feed-link", URL, timeout=30_000))
        assert url is not None
        page.assert_accessible("family home, calendar on")

        calendar = fetch_calendar(url.group(0))
        assert set(summaries(calendar)) == {"Appointment"}
        starts = {e.decoded("DTSTART") for e in calendar.walk("VEVENT")}
        tests = {datetime.fromisoformat(i["starts_at"]) for i in cal.schedule if i["kind"] == "drug_test"}
        assert not starts & tests  # never a drug test in a family feed

        page.tap_until("family-calendar-feed-off", "family-calendar-feed-off-confirm")
        page.tap("family-calendar-feed-off-confirm")
        page.wait_id("family-calendar-feed-on", timeout=30_000)
        assert httpx.get(url.group(0), timeout=10).status_code == 410
    finally:
        page.close()
