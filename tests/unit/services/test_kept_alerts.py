"""An undelivered support alert outlives its session: kept, shown, and delivered on the device signature."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.domain.model import AlertState
from app.secrets.device_key import DEVICE_ID, DEVICE_KEY
from app.secrets.memory import MemorySecretStore
from app.services.courier import PARCELS
from app.services.patient import CoreServices
from app.services.tokens import ACCESS
from app.store.database import STORE_FILE
from tests.unit.sync.fake_clinic import FakeClinic, _problem

URL = "http://127.0.0.1:9"
NOW = datetime(2026, 3, 1, 12, 1, tzinfo=UTC)


@pytest.fixture
def clinic() -> FakeClinic:
    fake = FakeClinic()
    fake.seed_week()
    return fake


@pytest.fixture
def secrets() -> MemorySecretStore:
    return MemorySecretStore()


def core(tmp_path: Path, secrets: MemorySecretStore, clinic: FakeClinic) -> CoreServices:
    return CoreServices(
        tmp_path, secrets, transport=clinic.transport(), clock=lambda: NOW, pin_kdf_n=2**10, autosync=False
    )


@pytest.fixture
async def services(
    tmp_path: Path, secrets: MemorySecretStore, clinic: FakeClinic
) -> AsyncIterator[CoreServices]:
    built = core(tmp_path, secrets, clinic)
    yield built
    await built.close()


async def test_signing_out_offline_keeps_the_alert_and_delivers_it_signed_when_the_clinic_is_back(
    services: CoreServices, clinic: FakeClinic, secrets: MemorySecretStore, tmp_path: Path
) -> None:
    await services.account.sign_in_with_password(URL, "alex", "waypoint-demo")
    clinic.offline = True
    alert = await services.support.raise_support_alert()
    await services.account.sign_out()  # offline: nothing reached the clinic, the session is gone anyway

    assert await services.account.current_account() is None
    assert not (tmp_path / STORE_FILE).exists()  # records wiped as before
    assert ACCESS not in secrets.values
    assert DEVICE_KEY not in secrets.values
    assert PARCELS in secrets.values  # ...but the alert and what signing it needs are kept
    info = await services.support.support_info()
    assert [(a.id, a.state) for a in info.alerts] == [(alert.id, AlertState.QUEUED)]

    await services.sync.sync_now()  # still offline: "try again now" changes nothing
    assert (await services.support.support_info()).alerts[0].state is AlertState.QUEUED

    clinic.offline = False
    await services.sync.sync_now()
    assert clinic.applied == [alert.id]
    assert clinic.alert_auth == {alert.id: "device_key"}
    assert [(a.id, a.state) for a in (await services.support.support_info()).alerts] == [
        (alert.id, AlertState.SENT)
    ]
    assert secrets.values == {}  # the key copy went with the delivered alert
    await services.sync.sync_now()
    assert clinic.applied == [alert.id]  # exactly once


async def test_kept_alerts_survive_a_restart_and_go_out_from_the_new_process(
    tmp_path: Path, secrets: MemorySecretStore, clinic: FakeClinic
) -> None:
    first = core(tmp_path, secrets, clinic)
    await first.account.sign_in_with_password(URL, "alex", "waypoint-demo")
    clinic.offline = True
    alert = await first.support.raise_support_alert()
    await first.account.sign_out()
    await first.close()

    clinic.offline = False
    second = core(tmp_path, secrets, clinic)
    try:
        assert [a.state for a in (await second.support.support_info()).alerts] == [AlertState.QUEUED]
        await second.sync.sync_now()
        assert clinic.applied == [alert.id]
        assert PARCELS not in secrets.values
    finally:
        await second.close()


async def test_when_the_bearer_is_refused_the_engine_sends_the_alert_on_the_signature_before_the_wipe(
    services: CoreServices, clinic: FakeClinic, secrets: MemorySecretStore
) -> None:
    await services.account.sign_in_with_password(URL, "alex", "waypoint-demo")
    clinic.offline = True
    alert = await services.support.raise_support_alert()
    clinic.offline = False
    clinic.canned.append(_problem(401, "auth.device_revoked"))  # the alert's bearer try is refused
    status = await services.sync.sync_now()
    assert status.problem == "auth.device_revoked"
    assert await services.account.current_account() is None  # wiped...
    assert clinic.applied == [alert.id]  # ...after the alert went out on its signature
    assert clinic.alert_auth == {alert.id: "device_key"}
    assert PARCELS not in secrets.values


async def test_an_alert_the_clinic_will_not_take_on_the_signature_is_kept_and_retried(
    services: CoreServices, clinic: FakeClinic, secrets: MemorySecretStore
) -> None:
    await services.account.sign_in_with_password(URL, "alex", "waypoint-demo")
    clinic.offline = True
    alert = await services.support.raise_support_alert()
    clinic.offline = False
    registered, clinic.device_keys = clinic.device_keys, {}  # e.g. the key never reached the clinic
    clinic.revoked = True
    status = await services.sync.sync_now()
    assert status.problem == "auth.device_revoked"
    assert await services.account.current_account() is None
    assert clinic.applied == []
    assert [(a.id, a.state) for a in (await services.support.support_info()).alerts] == [
        (alert.id, AlertState.QUEUED)
    ]
    assert DEVICE_KEY not in secrets.values
    assert DEVICE_ID not in secrets.values

    clinic.device_keys = registered
    await services.sync.sync_now()
    assert clinic.applied == [alert.id]
    assert clinic.alert_auth == {alert.id: "device_key"}


async def test_a_keychain_that_lost_the_tokens_hands_the_alert_over_on_the_next_start(
    tmp_path: Path, secrets: MemorySecretStore, clinic: FakeClinic
) -> None:
    first = core(tmp_path, secrets, clinic)
    await first.account.sign_in_with_password(URL, "alex", "waypoint-demo")
    clinic.offline = True
    alert = await first.support.raise_support_alert()
    await first.close()
    await secrets.delete(ACCESS)

    clinic.offline = False
    second = core(tmp_path, secrets, clinic)
    try:
        assert await second.account.current_account() is None
        assert not (tmp_path / STORE_FILE).exists()
        await second.sync.sync_now()
        assert clinic.applied == [alert.id]
    finally:
        await second.close()


async def test_an_alert_that_cannot_be_signed_rejoins_the_outbox_when_the_patient_signs_in_again(
    tmp_path: Path, secrets: MemorySecretStore, clinic: FakeClinic
) -> None:
    first = core(tmp_path, secrets, clinic)
    await first.account.sign_in_with_password(URL, "alex", "waypoint-demo")
    clinic.offline = True
    alert = await first.support.raise_support_alert()
    await first.close()
    for name in (ACCESS, DEVICE_KEY):  # the keychain lost the tokens and the key
        await secrets.delete(name)

    clinic.offline = False
    second = core(tmp_path, secrets, clinic)
    try:
        await second.sync.sync_now()
        assert clinic.applied == []
        assert [a.state for a in (await second.support.support_info()).alerts] == [AlertState.QUEUED]
        await second.account.sign_in_with_password(URL, "alex", "waypoint-demo")  # sends the outbox
        assert clinic.applied == [alert.id]
        assert PARCELS not in secrets.values
    finally:
        await second.close()


async def test_sign_out_with_nothing_pending_leaves_no_key_behind(
    services: CoreServices, secrets: MemorySecretStore
) -> None:
    await services.account.sign_in_with_password(URL, "alex", "waypoint-demo")
    assert DEVICE_KEY in secrets.values
    assert DEVICE_ID in secrets.values
    await services.account.sign_out()
    assert secrets.values == {}


async def test_a_device_signed_in_before_keys_existed_registers_one(
    services: CoreServices, clinic: FakeClinic, secrets: MemorySecretStore
) -> None:
    await services.account.sign_in_with_password(URL, "alex", "waypoint-demo")
    clinic.device_keys.clear()
    await secrets.delete(DEVICE_KEY)  # as if installed before keys (and device ids)
    await secrets.delete(DEVICE_ID)
    assert await services.core.register_device_key()
    assert secrets.values[DEVICE_ID] == clinic.device_id  # learnt from a refresh
    assert clinic.device_keys[clinic.device_id] == await services.core.keys.public_key()
    assert await services.core.register_device_key()  # known: nothing sent again
    assert sum(r == "PUT /v1/devices/current/key" for r in clinic.requests) == 1
    clinic.revoked = True
    alert = await services.support.raise_support_alert()
    await services.sync.sync_now()
    assert clinic.alert_auth == {alert.id: "device_key"}


async def test_a_failed_sign_in_leaves_no_key_behind(
    services: CoreServices, secrets: MemorySecretStore
) -> None:
    from app.services.ports import SignInError

    with pytest.raises(SignInError):
        await services.account.sign_in_with_password(URL, "alex", "wrong")
    assert secrets.values == {}


async def test_the_same_patient_signing_in_again_takes_the_kept_alert_into_the_new_session(
    services: CoreServices, clinic: FakeClinic, secrets: MemorySecretStore
) -> None:
    await services.account.sign_in_with_password(URL, "alex", "waypoint-demo")
    clinic.offline = True
    alert = await services.support.raise_support_alert()
    await services.account.sign_out()
    clinic.offline = False
    await services.account.sign_in_with_password(URL, "alex", "waypoint-demo")  # its first sync sends it
    assert clinic.applied == [alert.id]
    assert clinic.alert_auth == {alert.id: "session"}
    assert PARCELS not in secrets.values
    info = await services.support.support_info()
    assert [(a.id, a.state) for a in info.alerts] == [(alert.id, AlertState.SENT)]


async def test_another_patient_signing_in_does_not_take_or_see_the_kept_alert(
    services: CoreServices, clinic: FakeClinic, secrets: MemorySecretStore
) -> None:
    await services.account.sign_in_with_password(URL, "alex", "waypoint-demo")
    clinic.offline = True
    alert = await services.support.raise_support_alert()
    await services.account.sign_out()
    clinic.offline = False
    clinic.patient_id = "patient-2"  # someone else signs in on this device
    await services.account.sign_in_with_password(URL, "alex", "waypoint-demo")
    assert [a.id for a in (await services.support.support_info()).alerts] == []
    assert PARCELS in secrets.values  # still kept for its own patient...
    await services.core.courier.deliver()
    assert clinic.applied == [alert.id]  # ...and sent on its own device's signature
    assert clinic.alert_auth == {alert.id: "device_key"}
    assert PARCELS not in secrets.values
