"""Defect 1 through the real clinic: a lost refresh reply must not wipe the device or lose its queued alert.

The scenario of issue 10: the alert is tapped offline ("Not sent yet"), the app restarts after its
access token expired, its refresh reaches the clinic (which rotates the token) but the reply is
lost. Real server on loopback (1 s access tokens), real store file, real keychain.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from app.domain.model import AlertState
from app.secrets.keyring_store import KeyringSecretStore
from app.services.patient import CoreServices
from app.services.tokens import SecretTokenStore
from app.store.database import STORE_FILE
from tests.integration.fault_transport import FaultTransport
from tests.support.clinic_server import ClinicServer
from tests.support.polling import eventually

GRACE = 2  # seconds: the clinic's refresh grace in the "exceeded" test
SECRET_NAMES = (
    "data-key",
    "access-token",
    "refresh-token",
    "device-key",
    "device-id",
    "undelivered-alerts",
)


def utc_now() -> datetime:
    return datetime.now(UTC)


class App:
    """Builds the app core over one data dir and its keychain entry, again after every 'restart'."""

    def __init__(self, data_dir: Path, transport: FaultTransport) -> None:
        self.data_dir = data_dir
        self.transport = transport
        self.secrets = KeyringSecretStore.for_data_dir(data_dir)

    def start(self) -> CoreServices:
        return CoreServices(
            self.data_dir, self.secrets, transport=self.transport, clock=utc_now, sync_interval=3600,
            autosync=False,
        )  # fmt: skip

    async def access_token_expired(self, clinic: ClinicServer, timeout: float = 10.0) -> None:
        """Wait (bounded) until the clinic reads the stored access token as expired."""
        tokens = await SecretTokenStore(self.secrets).load()
        assert tokens is not None

        def expired() -> bool:
            answer = httpx.get(
                f"{clinic.url}/v1/sync", headers={"Authorization": f"Bearer {tokens.access_token}"}, timeout=5
            )
            if answer.status_code == 401:
                assert answer.json()["code"] == "auth.token_expired"
                return True
            return False

        await eventually(expired, timeout, interval=0.1, message="the access token did not expire")

    async def forget(self) -> None:
        for name in SECRET_NAMES:
            await self.secrets.delete(name)


def short_ttl_clinic(tmp_path: Path, grace: int | None = None) -> ClinicServer:
    env = {} if grace is None else {"WAYPOINT_REFRESH_GRACE_SECONDS": str(grace)}
    return ClinicServer(tmp_path / "clinic", extra_args=["--access-ttl-seconds", "1"], env=env)


@pytest.fixture
def clinic(tmp_path: Path) -> Iterator[ClinicServer]:
    with short_ttl_clinic(tmp_path) as server:
        yield server


@pytest.fixture
def strict_clinic(tmp_path: Path) -> Iterator[ClinicServer]:
    with short_ttl_clinic(tmp_path, grace=GRACE) as server:
        yield server


@pytest.fixture
async def app(tmp_path: Path) -> AsyncIterator[App]:
    transport = FaultTransport()
    built = App(tmp_path / "app-data", transport)
    yield built
    await built.forget()
    await transport.shutdown()


async def queue_alert_offline_then_restart_expired(app: App, clinic: ClinicServer) -> tuple[str, str]:
    first = app.start()
    try:
        account = await first.account.sign_in_with_password(clinic.url, "alex", "waypoint-demo")
        app.transport.offline = True
        alert = await first.support.raise_support_alert()
        assert (await first.sync.sync_now()).problem == "sync.offline"
        assert (await first.support.support_info()).alerts[0].state is AlertState.QUEUED
    finally:
        await first.close()
    await app.access_token_expired(clinic)
    app.transport.offline = False
    app.transport.script["refresh"] = ["drop_reply"]  # the clinic rotates, the app never hears
    return account.account_id, alert.id


def alerts_of(clinic: ClinicServer, alert_id: str) -> list[dict[str, object]]:
    return [a for a in clinic.support_alerts() if a["id"] == alert_id]


async def test_a_lost_refresh_reply_leaves_the_device_signed_in_and_the_alert_delivered_once(
    app: App, clinic: ClinicServer
) -> None:
    _patient, alert_id = await queue_alert_offline_then_restart_expired(app, clinic)
    second = app.start()
    try:
        status = await second.sync.sync_now()
        assert app.transport.injected[("refresh", "drop_reply")] == 1
        assert status.problem == "sync.connection_lost"  # the reply was lost: a network problem
        assert await second.account.current_account() is not None

        status = await second.sync.sync_now()  # the same refresh token again, within the grace
        assert (status.problem, status.pending) == (None, 0)
        assert await second.account.current_account() is not None
        assert (app.data_dir / STORE_FILE).exists()
        assert (await second.support.support_info()).alerts[0].state is AlertState.SENT
    finally:
        await second.close()
    assert len(alerts_of(clinic, alert_id)) == 1


async def test_past_the_grace_the_device_is_wiped_but_the_alert_went_out_on_its_signature_first(
    app: App, strict_clinic: ClinicServer
) -> None:
    _patient, alert_id = await queue_alert_offline_then_restart_expired(app, strict_clinic)
    second = app.start()
    try:
        assert (await second.sync.sync_now()).problem == "sync.connection_lost"
        await asyncio.sleep(GRACE + 0.5)  # no event marks the end of the clinic's grace window
        status = await second.sync.sync_now()  # the rotated refresh token, too late: reuse → revoked
        assert status.problem == "auth.device_revoked"
        assert await second.account.current_account() is None
        assert not (app.data_dir / STORE_FILE).exists()
        assert await app.secrets.get("undelivered-alerts") is None  # nothing left to deliver
    finally:
        await second.close()
    delivered = alerts_of(strict_clinic, alert_id)
    assert len(delivered) == 1
    assert delivered[0]["authenticated_by"] == "device_key"  # the bearer had expired


async def test_an_alert_left_by_an_offline_sign_out_reaches_the_clinic_on_the_signature(
    app: App, clinic: ClinicServer
) -> None:
    first = app.start()
    try:
        await first.account.sign_in_with_password(clinic.url, "alex", "waypoint-demo")
        app.transport.offline = True
        alert = await first.support.raise_support_alert()
        await first.account.sign_out()  # offline: the clinic never heard the logout either
        assert await first.account.current_account() is None
        info = await first.support.support_info()
        assert [(a.id, a.state) for a in info.alerts] == [(alert.id, AlertState.QUEUED)]
        assert await app.secrets.get("access-token") is None
        assert await app.secrets.get("device-key") is None
    finally:
        await first.close()

    app.transport.offline = False
    second = app.start()  # a restart, still signed out: the kept alert goes out from here
    try:
        assert [a.state for a in (await second.support.support_info()).alerts] == [AlertState.QUEUED]
        await second.sync.sync_now()
        assert [a.state for a in (await second.support.support_info()).alerts] == [AlertState.SENT]
        await second.sync.sync_now()
    finally:
        await second.close()
    delivered = alerts_of(clinic, alert.id)
    assert len(delivered) == 1
    assert delivered[0]["authenticated_by"] == "device_key"
    assert await app.secrets.get("undelivered-alerts") is None
