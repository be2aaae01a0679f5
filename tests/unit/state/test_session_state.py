"""AppState intents over the in-memory services twin: address checks, sign-in errors, the idle lock."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.domain.model import SyncStatus
from app.i18n import Translator
from app.state.session import AppState, address_problem
from app.ui.sync_line import sync_text
from tests.support.memory_services import MemoryPatientServices


class FakeMonotonic:
    """The idle lock's clock, moved by the test instead of by sleeping."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def state(
    services: MemoryPatientServices, lock_after: int | None = None, monotonic: FakeMonotonic | None = None
) -> AppState:
    return AppState(
        services=services,
        clock=lambda: datetime.now(UTC),
        lock_after_override=lock_after,
        monotonic=monotonic or FakeMonotonic(),
    )


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("https://clinic.example", None),
        ("http://127.0.0.1:8000", None),
        ("http://localhost:8000", None),
        ("http://clinic.example", "auth.https_required"),
        ("clinic.example", "auth.url_invalid"),
        ("ftp://clinic.example", "auth.url_invalid"),
    ],
)
def test_only_https_or_loopback_addresses_are_accepted(url: str, problem: str | None) -> None:
    assert address_problem(url) == problem


async def test_plain_http_to_a_remote_clinic_is_refused_before_any_request() -> None:
    services = MemoryPatientServices()
    app = state(services)
    await app.sign_in("http://clinic.example", "", "alex", "waypoint-demo")
    assert app.problem == "auth.https_required"
    assert await services.account.current_account() is None


@pytest.mark.parametrize(
    ("code", "problem"), [("WRONG", "auth.code_invalid"), ("EXPIRED", "auth.code_expired")]
)
async def test_enrolment_code_errors_are_kept_as_message_keys(code: str, problem: str) -> None:
    app = state(MemoryPatientServices())
    await app.sign_in("https://clinic.example", code, "", "")
    assert (app.problem, app.account) == (problem, None)


async def test_the_app_locks_after_the_idle_time_and_a_pin_opens_it() -> None:
    services = MemoryPatientServices()
    monotonic = FakeMonotonic()
    app = state(services, lock_after=0, monotonic=monotonic)
    await app.start(lambda: None)
    await app.sign_in("https://clinic.example", "", "alex", "waypoint-demo")
    assert await app.enable_lock("2468", "2468")
    monotonic.now += 0.01
    app.check_idle()
    assert app.locked
    await app.unlock("1111")
    assert (app.locked, app.pin_message, app.pin_attempts_left) == (True, "pin.wrong", 4)
    await app.unlock("2468")
    assert not app.locked
    app.stop()


async def test_the_idle_lock_waits_the_whole_idle_time_and_any_activity_restarts_it() -> None:
    monotonic = FakeMonotonic()
    app = state(MemoryPatientServices(), lock_after=60, monotonic=monotonic)
    await app.start(lambda: None)
    await app.sign_in("https://clinic.example", "", "alex", "waypoint-demo")
    assert await app.enable_lock("2468", "2468")
    monotonic.now += 59.9
    app.check_idle()
    assert not app.locked
    app.touch()  # the patient did something
    monotonic.now += 59.9
    app.check_idle()
    assert not app.locked
    monotonic.now += 0.1
    app.check_idle()
    assert app.locked
    app.stop()


def test_sync_line_says_offline_and_what_is_waiting() -> None:
    tr = Translator("en")
    text = sync_text(tr, SyncStatus(online=False, pending=2, problem="sync.offline"))
    assert text.startswith("Offline")
    assert "2 changes waiting" in text


async def test_the_support_screen_never_locks_and_reading_it_counts_as_use() -> None:
    monotonic = FakeMonotonic()
    app = state(MemoryPatientServices(), lock_after=60, monotonic=monotonic)
    await app.start(lambda: None)
    await app.sign_in("https://clinic.example", "", "alex", "waypoint-demo")
    assert await app.enable_lock("2468", "2468")
    leave = app.support_shown()
    monotonic.now += 3600  # an hour reading what became of the alert
    app.check_idle()
    assert not app.locked
    leave()
    monotonic.now += 59.9  # the idle time starts again only when the screen is left
    app.check_idle()
    assert not app.locked
    monotonic.now += 0.1
    app.check_idle()
    assert app.locked
    app.stop()


async def test_a_second_tap_is_the_same_alert_and_the_state_says_so() -> None:
    services = MemoryPatientServices()
    app = state(services)
    await app.start(lambda: None)
    await app.sign_in("https://clinic.example", "", "alex", "waypoint-demo")
    first = await app.raise_alert()
    assert app.repeated_alert is None
    again = await app.raise_alert()
    assert again.id == first.id
    assert app.repeated_alert == first.id
    assert app.support is not None
    assert len(app.support.alerts) == 1
    app.stop()


async def test_forgot_pin_signs_out_and_wipes_after_confirmation() -> None:
    services = MemoryPatientServices()
    app = state(services, lock_after=0)
    await app.start(lambda: None)
    await app.sign_in("https://clinic.example", "", "alex", "waypoint-demo")
    assert await app.enable_lock("2468", "2468")
    app.locked = True
    await app.forget_pin()
    assert (app.account, app.locked) == (None, False)
    app.stop()


async def test_the_pins_differ_message_goes_once_the_two_pins_match() -> None:
    # Issue 16, item 19: "The two PINs are not the same" stayed on screen after they matched.
    app = state(MemoryPatientServices())
    await app.start(lambda: None)
    await app.sign_in("https://clinic.example", "", "alex", "waypoint-demo")
    assert not await app.enable_lock("2468", "2469")
    assert app.problem == "pin.mismatch"
    app.pins_typed("2468", "246")
    assert app.problem == "pin.mismatch"
    app.pins_typed("2468", "2468")
    assert app.problem is None
