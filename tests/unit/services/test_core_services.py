"""CoreServices over a real store file and an in-memory clinic: sign in, read offline, queue, send."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

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
