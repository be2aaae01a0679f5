"""The client's half of device-signed support alerts (docs/api.md): keys in sign-in, headers, signature."""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import UTC, datetime

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from app.api import errors
from app.api.client import ClinicClient
from app.api.signing import alert_message, signed_at
from app.secrets.device_key import DeviceKeys
from app.secrets.memory import MemorySecretStore
from app.services.tokens import SecretTokenStore
from tests.unit.sync.fake_clinic import FakeClinic

URL = "http://127.0.0.1:9"
NOW = datetime(2026, 3, 1, 12, 0, 7, 500_000, tzinfo=UTC)
ALERT = "0b7c5a53-1f0e-4f55-9d7e-2b8f0e6d1c11"


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


async def signed_client(clinic: FakeClinic, secrets: MemorySecretStore) -> tuple[ClinicClient, str]:
    keys = DeviceKeys(secrets)
    client = ClinicClient(
        URL, tokens=SecretTokenStore(secrets), transport=clinic.transport(), signer=keys, clock=lambda: NOW
    )
    public = await keys.create()
    await client.sign_in("alex", "waypoint-demo", "test", public)
    return client, public


def test_the_signed_message_and_time_follow_the_contract() -> None:
    body = b'{"created_at":"2026-03-01T12:00:00+00:00"}'
    assert signed_at(NOW) == "2026-03-01T12:00:07Z"
    assert (
        alert_message("dev", ALERT, "2026-03-01T12:00:07Z", body)
        == (
            f"waypoint-support-alert-v1\ndev\n{ALERT}\n2026-03-01T12:00:07Z\n{hashlib.sha256(body).hexdigest()}"
        ).encode()
    )


async def test_sign_in_sends_the_public_key_and_keeps_the_device_id() -> None:
    clinic, secrets = FakeClinic(), MemorySecretStore()
    client, public = await signed_client(clinic, secrets)
    path, _headers, content = clinic.bodies[-1]
    assert path == "/v1/auth/token"
    assert json.loads(content)["device_key"] == public
    assert clinic.device_keys == {clinic.device_id: public}
    assert await DeviceKeys(secrets).device_id() == clinic.device_id
    await client.aclose()


async def test_every_alert_carries_a_signature_over_its_exact_body_id_and_time() -> None:
    clinic, secrets = FakeClinic(), MemorySecretStore()
    client, public = await signed_client(clinic, secrets)
    await client.raise_support_alert(ALERT, "2026-03-01T11:59:00+00:00")
    path, headers, content = clinic.bodies[-1]
    assert path == "/v1/support-alerts"
    assert headers["authorization"].startswith("Bearer ")
    assert headers["idempotency-key"] == ALERT
    assert headers["waypoint-device-id"] == clinic.device_id
    assert headers["waypoint-signed-at"] == "2026-03-01T12:00:07Z"
    assert json.loads(content) == {"created_at": "2026-03-01T11:59:00+00:00"}
    message = alert_message(clinic.device_id, ALERT, "2026-03-01T12:00:07Z", content)
    Ed25519PublicKey.from_public_bytes(unb64(public)).verify(unb64(headers["waypoint-signature"]), message)
    assert clinic.alert_auth == {ALERT: "session"}
    await client.aclose()


async def test_a_revoked_session_still_delivers_the_alert_on_the_signature_without_a_refresh() -> None:
    clinic, secrets = FakeClinic(), MemorySecretStore()
    client, _ = await signed_client(clinic, secrets)
    clinic.revoked = True
    change = await client.raise_support_alert(ALERT, "2026-03-01T11:59:00+00:00")
    assert change.id == ALERT
    assert clinic.alert_auth == {ALERT: "device_key"}
    assert "POST /v1/auth/refresh" not in clinic.requests
    await client.aclose()


async def test_without_a_session_the_alert_goes_on_the_signature_alone() -> None:
    clinic, secrets = FakeClinic(), MemorySecretStore()
    client, _ = await signed_client(clinic, secrets)
    await client.raise_support_alert(ALERT, "2026-03-01T11:59:00+00:00", session=False)
    _path, headers, _content = clinic.bodies[-1]
    assert "authorization" not in headers
    assert clinic.alert_auth == {ALERT: "device_key"}
    await client.aclose()


async def test_with_neither_session_nor_key_the_client_does_not_call_the_clinic() -> None:
    clinic = FakeClinic()
    client = ClinicClient(URL, transport=clinic.transport())
    with pytest.raises(errors.SessionEndedError):
        await client.raise_support_alert(ALERT, "2026-03-01T11:59:00+00:00")
    assert clinic.requests == []
    await client.aclose()


async def test_a_key_is_registered_for_an_older_device_and_a_different_one_is_a_conflict() -> None:
    clinic, secrets = FakeClinic(), MemorySecretStore()
    client = ClinicClient(URL, tokens=SecretTokenStore(secrets), transport=clinic.transport())
    await client.sign_in("alex", "waypoint-demo", "test")  # no key: an install from before keys
    assert clinic.device_keys == {}
    await client.register_device_key("A" * 43)
    await client.register_device_key("A" * 43)  # the same again (a lost reply): fine
    with pytest.raises(errors.DeviceKeyExistsError):
        await client.register_device_key("B" * 43)
    await client.aclose()


def test_a_token_answer_without_a_device_id_still_parses_and_a_bad_one_does_not() -> None:
    from app.api.models import TokenResponse

    base = {"access_token": "a", "refresh_token": "r", "expires_in": 900, "role": "patient",
            "account_id": "p", "display_name": "Alex"}  # fmt: skip
    assert TokenResponse.parse(base).device_id is None
    assert TokenResponse.parse({**base, "device_id": "d1"}).tokens.device_id == "d1"
    with pytest.raises(errors.ResponseFormatError):
        TokenResponse.parse({**base, "device_id": 5})


async def test_an_access_token_already_expired_when_a_refresh_hands_it_over_is_refreshed_once_more() -> None:
    # A refresh replayed within the clinic's grace gets the pair of the first answer back, whose
    # access token may have expired in the meantime: the call must still go through.
    clinic, secrets = FakeClinic(), MemorySecretStore()
    client, _ = await signed_client(clinic, secrets)
    clinic.seed_week()
    clinic.expire_count = 2
    page = await client.pull(None)
    assert page.changes
    assert clinic.requests.count("POST /v1/auth/refresh") == 2
    clinic.expire_count = 3
    with pytest.raises(errors.TokenExpiredError):
        await client.pull(None)  # bounded: two refreshes per call, not a loop
    await client.aclose()
