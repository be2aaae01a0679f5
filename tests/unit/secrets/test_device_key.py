"""The device key: Ed25519, private half only in the SecretStore, signatures the clinic can verify."""

from __future__ import annotations

import base64

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from app.secrets.device_key import DEVICE_ID, DEVICE_KEY, DeviceKeys, FixedIdentity
from app.secrets.memory import MemorySecretStore


def unb64(text: str) -> bytes:
    assert "=" not in text
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


async def test_a_new_key_keeps_its_private_half_in_the_secret_store_and_returns_the_public_half() -> None:
    secrets = MemorySecretStore()
    keys = DeviceKeys(secrets)
    public = await keys.create()
    assert len(public) == 43
    assert len(unb64(public)) == 32
    assert set(secrets.values) == {DEVICE_KEY}
    assert secrets.values[DEVICE_KEY] != public
    assert await keys.public_key() == public
    assert await keys.create() != public  # a new sign-in, a new pair


async def test_the_identity_signs_messages_that_verify_with_the_public_key() -> None:
    secrets = MemorySecretStore()
    keys = DeviceKeys(secrets)
    assert await keys.identity() is None  # no key yet
    public = await keys.create()
    assert await keys.identity() is None  # no device id yet: nothing to sign for
    await keys.set_device_id("dev-1")
    identity = await keys.identity()
    assert identity is not None
    device_id, sign = identity
    assert device_id == "dev-1"
    signature = sign(b"message")
    verifier = Ed25519PublicKey.from_public_bytes(unb64(public))
    verifier.verify(unb64(signature), b"message")
    with pytest.raises(InvalidSignature):
        verifier.verify(unb64(signature), b"another message")
    assert "private" in repr(sign)
    assert secrets.values[DEVICE_KEY] not in repr(sign)


async def test_delete_removes_the_key_and_the_device_id() -> None:
    secrets = MemorySecretStore()
    keys = DeviceKeys(secrets)
    await keys.create()
    await keys.set_device_id("dev-1")
    await keys.delete()
    assert secrets.values == {}
    assert DEVICE_ID not in secrets.values


async def test_a_kept_identity_signs_like_the_one_it_was_copied_from() -> None:
    secrets = MemorySecretStore()
    keys = DeviceKeys(secrets)
    public = await keys.create()
    kept = FixedIdentity("dev-9", secrets.values[DEVICE_KEY])
    identity = await kept.identity()
    assert identity is not None
    assert identity[0] == "dev-9"
    Ed25519PublicKey.from_public_bytes(unb64(public)).verify(unb64(identity[1](b"m")), b"m")
