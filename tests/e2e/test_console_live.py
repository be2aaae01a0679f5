"""Issue 13's live e2e, all in Chromium against one real clinic on loopback: two staff consoles, the
patient's app and a family member's app, each in its own browser context, every app's periodic sync
at an hour (so only the live streams can explain what shows within 2 s).

1. The patient raises an alert → both consoles show it → one acknowledges with an outcome → the other
   shows it acknowledged → the patient's app shows "Seen by …" without a tap. Then an alert nobody
   answers climbs the clinic's ladder (seconds here): the first step fires at its time, the pager
   webhook (a real receiver on loopback) gets it exactly once, the consoles show the step and the
   patient's app says the on-call counsellor was alerted, with the call button.
2. Staff move a session in the console → the patient's week and the family's week show the new time.

Every "within 2 s" is timed from the action's completion at the clinic (polled there) and asserted.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser

from app.state.week import monday_of
from tests.clinic.test_escalation import FAST, SECRET, set_policy
from tests.clinic.test_sharing import share
from tests.clinic.webhook_receiver import WebhookReceiver
from tests.e2e.conftest import TALL_LAPTOP, sign_in
from tests.e2e.test_console import console_sign_in
from tests.support.app_server import AppServer
from tests.support.browser import AppPage
from tests.support.clinic_server import ClinicServer
from tests.support.console_server import ConsoleServer
from tests.support.polling import wait_until

pytestmark = pytest.mark.e2e
LIVE = 2.0  # the "within 2 s"
SYNC_INTERVAL = 3600  # the apps' periodic sync: never within a test
STEP_SECONDS = 4.0  # the ladder's first step in the escalation test
TZ = ZoneInfo("America/New_York")  # the demo clinic's zone
FAMILY_PASSWORD = "family-pass-live"


@dataclass
class Live:
    clinic: ClinicServer
    pager: WebhookReceiver
    a: AppPage  # counsellor A's console
    b: AppPage  # counsellor B's console
    patient: AppPage
    family: AppPage
    share_id: str
    timings: dict[str, float]


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory, browser: Browser) -> Iterator[Live]:
    root = tmp_path_factory.mktemp("console-live")
    with (
        WebhookReceiver(SECRET) as pager,
        ClinicServer(root / "clinic", env=FAST) as clinic,
        ConsoleServer(root, clinic.url) as console,
        AppServer(root / "patient", clinic_url=clinic.url, sync_interval=SYNC_INTERVAL) as patient_app,
        AppServer(root / "family", clinic_url=clinic.url, sync_interval=SYNC_INTERVAL) as family_app,
    ):
        pages: list[AppPage] = []
        try:
            patient = AppPage.open(browser, patient_app.url, TALL_LAPTOP)
            pages.append(patient)
            sign_in(patient)
            created = share(clinic, clinic.patient_token())
            share_id = str(created["share"]["id"])
            family = AppPage.open(browser, family_app.url, TALL_LAPTOP)
            pages.append(family)
            family_sign_up(family, created["invitation_code"], share_id)
            pages += [console_sign_in(browser, console.url), console_sign_in(browser, console.url)]
            for page in pages[2:]:
                page.wait_text("console-link", "Live")
            yield Live(clinic, pager, pages[2], pages[3], patient, family, share_id, {})
        finally:
            for page in pages:
                page.close()


def family_sign_up(page: AppPage, code: str, share_id: str) -> None:
    page.tap_until("sign-in-family", "family-code")
    page.fill("family-code", code)
    page.fill("family-name", "Pat")
    page.fill("family-username", "pat-live")
    page.fill("family-password", FAMILY_PASSWORD)
    page.tap("family-submit")
    page.wait_text(f"family-patient-{share_id}", "Alex")


def new_alert(clinic: ClinicServer, before: set[str]) -> dict[str, Any]:
    """The patient's alert, the moment the clinic has it (polled tightly: the clock starts there)."""
    found = wait_until(
        lambda: [x for x in clinic.support_alerts() if x["id"] not in before],
        15,
        interval=0.05,
        message="the patient's alert never reached the clinic",
    )
    alert: dict[str, Any] = found[0]
    return alert


def stored_alert(clinic: ClinicServer, alert_id: str) -> dict[str, Any]:
    return next(a for a in clinic.support_alerts() if a["id"] == alert_id)


def within(since: float, what: str, timings: dict[str, float]) -> None:
    took = time.monotonic() - since
    timings[what] = took
    assert took <= LIVE, f"{what} after {took:.2f} s (bound {LIVE:.0f} s)"


def raise_alert_in_app(patient: AppPage) -> None:
    if not patient.by_id("support-screen").count():
        patient.tap_until("support-button", "support-screen")
    patient.tap("alert-care-team")


def test_two_consoles_and_the_patients_app_follow_an_alert_live_and_its_escalation(live: Live) -> None:
    clinic, a, b, patient, t = live.clinic, live.a, live.b, live.patient, live.timings
    # No ladder yet that could fire while a counsellor acknowledges (a step an hour away).
    set_policy(clinic, {"alert_steps": [{"after_seconds": 3600, "to": "On-call group"}]})

    raise_alert_in_app(patient)
    alert = new_alert(clinic, set())
    arrived = time.monotonic()
    card = f"console-alert-{alert['id']}"
    a.wait_id(card, timeout=LIVE * 1000)
    within(arrived, "alert on console A", t)
    b.wait_id(card, timeout=LIVE * 1000)
    within(arrived, "alert on consoles A and B", t)
    assert "Alex Rivera" in b.text_of(card)

    a.tap(f"console-ack-{alert['id']}")
    a.tap(f"console-outcome-safe-{alert['id']}")
    a.tap(f"console-ack-confirm-{alert['id']}")
    wait_until(
        lambda: stored_alert(clinic, alert["id"])["status"] == "acknowledged",
        10,
        interval=0.05,
        message="the acknowledgement never reached the clinic",
    )
    acked = time.monotonic()
    b.wait_text(f"console-status-{alert['id']}", "Acknowledged by Sam Ortiz", timeout=LIVE * 1000)
    within(acked, "acknowledgement on console B", t)
    assert "Outcome: Called — safe" in b.text_of(card)
    patient.wait_text("alert-status", r"Seen by Sam Ortiz", timeout=LIVE * 1000)  # no tap: the live stream
    within(acked, "'Seen by' on the patient's app", t)
    patient.assert_accessible("support, alert acknowledged live")

    # An alert nobody answers: the clinic's ladder, in seconds, pages a real receiver on loopback.
    set_policy(
        clinic,
        {
            "alert_steps": [{"after_seconds": STEP_SECONDS, "to": "On-call group"}],
            "webhook_url": live.pager.url,
        },
    )
    raise_alert_in_app(patient)
    second = new_alert(clinic, {alert["id"]})
    raised_at = datetime.fromisoformat(second["created_at"])

    def stepped_up() -> dict[str, Any] | None:
        found = stored_alert(clinic, second["id"])
        return found if found["escalation_step"] == 1 else None

    escalated = wait_until(
        stepped_up,
        STEP_SECONDS + 15,
        interval=0.05,
        message="the first escalation step never fired",
    )
    stepped = time.monotonic()
    fired_after = (datetime.now(UTC) - raised_at).total_seconds()
    t["step fired after raise"] = fired_after
    assert STEP_SECONDS <= fired_after <= STEP_SECONDS + 2, f"step 1 fired {fired_after:.2f} s after"
    assert escalated["escalated_to"] == "On-call group"
    assert escalated["status"] == "received"

    card = f"console-alert-{second['id']}"
    for name, console in (("A", a), ("B", b)):
        console.wait_text(card, r"Escalation: step 1, On-call group alerted", timeout=LIVE * 1000)
        within(stepped, f"escalation step on console {name}", t)
    patient.wait_text(
        "alert-status", r"No answer yet — we've alerted the on-call counsellor", timeout=LIVE * 1000
    )
    patient.wait_id("alert-overdue-call", timeout=LIVE * 1000)  # the call button comes with the step
    within(stepped, "escalation step on the patient's app", t)
    b.assert_accessible("console queue with an escalated alert")
    patient.assert_accessible("support, alert escalated live")

    wait_until(lambda: [r for r in live.pager.requests() if r.json["subject_id"] == second["id"]], 10)
    time.sleep(1.0)  # ten sweeps more (0.1 s each): a second page for this step would be here by now
    paged = [r for r in live.pager.requests() if r.json["subject_id"] == second["id"]]
    assert len(paged) == 1, [r.json for r in paged]
    (page,) = paged
    assert page.status == 200
    assert page.signed_by(SECRET)
    assert page.json["step"] == 1
    assert page.key == page.json["id"]
    assert "Alex" not in page.body.decode()
    print("live latencies (s):", {k: round(v, 2) for k, v in t.items()})


def clock(moment: datetime) -> str:
    local = moment.astimezone(TZ)
    return f"{local.hour % 12 or 12}:{local.minute:02d}"


def at(moment: datetime) -> re.Pattern[str]:
    return re.compile(rf"(?<!\d){clock(moment)}(?!\d)")


def shown(page: AppPage, identifier: str) -> str:
    return page.text_of(identifier).replace("\u202f", " ")


def test_a_session_moved_in_the_console_shows_on_the_patients_and_the_familys_open_week(live: Live) -> None:
    clinic, a, patient, family, t = live.clinic, live.a, live.patient, live.family, live.timings
    pid = clinic.patient_id("alex")
    now = datetime.now(UTC)

    def movable(item: dict[str, Any]) -> bool:
        starts = datetime.fromisoformat(item["starts_at"])
        return (
            item["kind"] != "drug_test"
            and item.get("family_visible", True)
            and item["status"] == "scheduled"
            and now + timedelta(hours=2) < starts < now + timedelta(days=6)
            and starts.astimezone(TZ).hour < 22
        )

    item = min(
        (i for i in clinic.schedule(pid) if movable(i)), key=lambda i: datetime.fromisoformat(i["starts_at"])
    )
    old = datetime.fromisoformat(item["starts_at"])
    new = old + timedelta(minutes=35)  # the same day, a time no session of the day starts or ends at

    # The patient's week and the family's week, open on the week of that session.
    session, shared = f"session-{item['id']}", f"shared-session-{item['id']}"
    # Both weeks open on this week; the session is in it or the next. Which one is worked out here,
    # not read off the screen: a week whose sessions are still being drawn looks like the wrong week.
    ahead = (monday_of(old.astimezone(TZ).date()) - monday_of(now.astimezone(TZ).date())).days // 7
    if patient.by_id("support-screen").count():
        patient.tap("support-close")
    patient.tap_until("nav-week", "week-next")
    family.tap_until(f"family-patient-{live.share_id}", "family-week-next")
    weeks = ((patient, "week-next", session), (family, "family-week-next", shared))
    for page, next_week, identifier in weeks:
        if ahead:
            page.tap_until(next_week, identifier, wait_ms=10_000)
        else:
            page.wait_id(identifier)
    for page, identifier in ((patient, session), (family, shared)):
        assert at(old).search(shown(page, identifier))
        assert not at(new).search(shown(page, identifier))

    a.button(re.compile(r"^Patients")).click()
    a.tap(f"console-open-patient-{pid}")
    # Below the attendance list, which grows through the day: a lazily built list, so scroll to it.
    a.scroll_to(f"console-move-{item['id']}")
    a.tap(f"console-move-{item['id']}")
    a.fill(f"console-move-time-{item['id']}", new.astimezone(TZ).strftime("%Y-%m-%d %H:%M"))
    a.assert_accessible("console patient detail, moving a session")
    a.tap(f"console-move-save-{item['id']}")

    def stored() -> bool:
        current = next(i for i in clinic.schedule(pid) if i["id"] == item["id"])
        return datetime.fromisoformat(current["starts_at"]) == new

    wait_until(stored, 10, interval=0.05, message="the move never reached the clinic")
    moved = time.monotonic()
    patient.wait_text(session, at(new), timeout=LIVE * 1000)
    within(moved, "moved session on the patient's week", t)
    family.wait_text(shared, at(new), timeout=LIVE * 1000)
    within(moved, "moved session on the family's week", t)
    assert not at(old).search(shown(patient, session))
    assert not at(old).search(shown(family, shared))
    a.wait_text(f"console-item-{item['id']}", at(new))
    patient.assert_accessible("patient week, session moved live")
    family.assert_accessible("family week, session moved live")
    print("live latencies (s):", {k: round(v, 2) for k, v in t.items()})
