"""Device keys against the real clinic: a device signed in before keys existed registers one, and its
alert then reaches the staff even after the patient's session on it was revoked."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest

from app.api.client import ClinicClient
from app.services.tokens import SecretTokenStore
from app.store.encrypted import EncryptedStore
from tests.integration.fault_transport import FaultTransport
from tests.integration.test_lost_refresh_reply import App
from tests.support.clinic_server import ClinicServer


@pytest.fixture
def clinic(tmp_path: Path) -> Iterator[ClinicServer]:
    with ClinicServer(tmp_path / "clinic") as server:
        yield server


@pytest.fixture
async def app(tmp_path: Path) -> AsyncIterator[App]:
    transport = FaultTransport()
    built = App(tmp_path / "app-data", transport)
    yield built
    await built.forget()
    await transport.shutdown()


async def sign_in_as_an_older_app(app: App, clinic: ClinicServer) -> None:
    """Tokens and an account as a version without device keys left them: no key, no device id."""
    client = ClinicClient(clinic.url, tokens=SecretTokenStore(app.secrets))
    answer = await client.sign_in("alex", "waypoint-demo", "Waypoint app")  # no device_key
    await client.aclose()
    await app.secrets.delete("device-id")
    store = await EncryptedStore.open(app.data_dir, app.secrets)
    account = {"role": "patient", "account_id": answer.account_id, "display_name": answer.display_name,
               "server_url": clinic.url}  # fmt: skip
    await store.set_value("account", account)
    await store.close()


async def test_an_older_device_registers_a_key_and_its_alert_is_accepted_after_its_session_was_revoked(
    app: App, clinic: ClinicServer
) -> None:
    await sign_in_as_an_older_app(app, clinic)
    services = app.start()
    try:
        assert await services.account.current_account() is not None
        assert await services.core.register_device_key()
        assert await app.secrets.get("device-id") is not None

        tokens = await SecretTokenStore(app.secrets).load()
        assert tokens is not None
        logout = httpx.post(
            f"{clinic.url}/v1/auth/logout", headers={"Authorization": f"Bearer {tokens.access_token}"}
        )
        assert logout.status_code == 204  # the session on this device is over (e.g. signed out elsewhere)

        alert = await services.support.raise_support_alert()
        status = await services.sync.sync_now()
        assert status.problem in ("auth.session_ended", "auth.device_revoked")
        assert await services.account.current_account() is None  # wiped, as a revoked device must be...
        assert await app.secrets.get("undelivered-alerts") is None  # ...with nothing left to send
    finally:
        await services.close()
    (delivered,) = [a for a in clinic.support_alerts() if a["id"] == alert.id]
    assert (delivered["authenticated_by"], delivered["session_state"]) == ("device_key", "revoked")


async def test_a_key_registered_once_is_not_replaced_by_another(app: App, clinic: ClinicServer) -> None:
    services = app.start()
    try:
        await services.account.sign_in_with_password(
            clinic.url, "alex", "waypoint-demo"
        )  # key sent at sign-in
        assert await services.core.register_device_key()  # nothing to do
        await app.secrets.delete("device-key")  # the keychain lost it: a new key would be a different one
        assert not await services.core.register_device_key()  # 409 device.key_exists: not replaced
    finally:
        await services.close()
