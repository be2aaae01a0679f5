"""CoreServices over a real store file and an in-memory clinic: sign in, read offline, queue, send."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from app.domain.alerts import REPEAT_WINDOW
from app.domain.model import AlertState, AssignmentStatus, RsvpResponse
from app.secrets.memory import MemorySecretStore
from app.services.patient import CoreServices
from app.services.ports import ServiceError, SignInError
from tests.unit.sync.fake_clinic import FakeClinic

URL = "http://127.0.0.1:9"
NOW = datetime(2026, 3, 1, 15, 0, tzinfo=UTC)


@pytest.fixture
def clinic() -> FakeClinic:
    fake = FakeClinic()
    fake.seed_week()
    return fake


@pytest.fixture
async def services(tmp_path: Path, clinic: FakeClinic) -> AsyncIterator[CoreServices]:
    core = CoreServices(
        tmp_path, MemorySecretStore(), transport=clinic.transport(), clock=lambda: NOW, pin_kdf_n=2**10
    )
    yield core
    await core.close()


async def test_sign_in_pulls_the_week_into_local_reads(services: CoreServices) -> None:
    account = await services.account.sign_in_with_password(URL, "alex", "waypoint-demo")
    assert account.display_name == "Alex"
    week = await services.schedule.overview(date(2026, 3, 2), date(2026, 3, 8))
    assert [s.title for s in week.sessions] == ["Check-in", "Process group"]
    first = week.sessions[0].starts_at
    assert first.utcoffset() is not None
    assert str(first.tzinfo) == "America/New_York"
    assert services.sync.status().online
    assert services.sync.status().last_synced == NOW


async def test_wrong_password_is_a_sign_in_error_with_a_code(services: CoreServices) -> None:
    with pytest.raises(SignInError) as err:
        await services.account.sign_in_with_password(URL, "alex", "nope")
    assert err.value.code == "auth.invalid_credentials"
    assert await services.account.current_account() is None


async def test_plain_http_to_a_remote_host_is_refused(services: CoreServices) -> None:
    with pytest.raises(SignInError) as err:
        await services.account.sign_in_with_password("http://clinic.example.org", "alex", "waypoint-demo")
    assert err.value.code == "api.insecure_server"


async def test_reads_work_offline_and_edits_overlay_until_sent(
    services: CoreServices, clinic: FakeClinic
) -> None:
    await services.account.sign_in_with_password(URL, "alex", "waypoint-demo")
    clinic.offline = True
    await services.schedule.set_rsvp("s1", RsvpResponse.LATE, "bus")
    await services.assignments.complete_assignment("a1", "done it")
    status = await services.sync.sync_now()
    assert not status.online
    assert status.pending == 2
    assert status.problem == "sync.offline"
    week = await services.schedule.overview(date(2026, 3, 2), date(2026, 3, 8))
    assert week.rsvps["s1"].pending
    assert week.rsvps["s1"].response is RsvpResponse.LATE
    assert week.assignments[0].status is AssignmentStatus.DONE
    assert week.assignments[0].pending
    clinic.offline = False
    status = await services.sync.sync_now()
    assert status.online
    assert status.pending == 0
    week = await services.schedule.overview(date(2026, 3, 2), date(2026, 3, 8))
    assert not week.rsvps["s1"].pending
    assert week.rsvps["s1"].response is RsvpResponse.LATE
    assert len(clinic.applied) == 2


async def test_support_alert_is_queued_then_sent(services: CoreServices, clinic: FakeClinic) -> None:
    await services.account.sign_in_with_password(URL, "alex", "waypoint-demo")
    clinic.offline = True
    alert = await services.support.raise_support_alert()
    assert alert.state is AlertState.QUEUED
    info = await services.support.support_info()
    assert info.alerts[0].state is AlertState.QUEUED
    assert info.coping_plan.reasons == ("my kids",)
    clinic.offline = False
    await services.sync.sync_now()
    info = await services.support.support_info()
    assert [a.state for a in info.alerts] == [AlertState.SENT]
    assert clinic.applied == [alert.id]


async def test_writes_need_an_account(services: CoreServices) -> None:
    with pytest.raises(ServiceError) as err:
        await services.support.raise_support_alert()
    assert err.value.code == "auth.signed_out"


async def test_sign_out_wipes_file_key_and_tokens(services: CoreServices, tmp_path: Path) -> None:
    secrets = services.core.secrets
    assert isinstance(secrets, MemorySecretStore)
    await services.account.sign_in_with_password(URL, "alex", "waypoint-demo")
    assert (tmp_path / "store.db").exists()
    assert secrets.values
    await services.account.sign_out()
    assert not list(tmp_path.iterdir())
    assert secrets.values == {}
    assert await services.account.current_account() is None


async def test_taps_together_or_soon_after_are_one_alert_and_a_later_one_is_new(
    tmp_path: Path, clinic: FakeClinic
) -> None:
    now = [NOW]
    services = CoreServices(
        tmp_path, MemorySecretStore(), transport=clinic.transport(), clock=lambda: now[0], pin_kdf_n=2**10
    )
    try:
        await services.account.sign_in_with_password(URL, "alex", "waypoint-demo")
        clinic.offline = True
        # A double tap: both handlers run at once, and each must see the other's alert.
        first, second = await asyncio.gather(
            services.support.raise_support_alert(), services.support.raise_support_alert()
        )
        now[0] = NOW + timedelta(seconds=15)
        third = await services.support.raise_support_alert()
        assert first.id == second.id == third.id
        assert [first.repeated, second.repeated, third.repeated].count(False) == 1  # one was new
        assert third.repeated
        assert (await services.sync.sync_now()).pending == 1
        clinic.offline = False
        await services.sync.sync_now()
        assert clinic.applied == [first.id]  # one alert, one promised answer time
        now[0] = NOW + timedelta(seconds=100)
        assert (await services.support.raise_support_alert()).id == first.id  # sent, not seen yet

        now[0] = NOW + REPEAT_WINDOW + timedelta(seconds=1)
        later = await services.support.raise_support_alert()
        assert later.id != first.id
        await services.sync.sync_now()
        assert clinic.applied == [first.id, later.id]
    finally:
        await services.close()
