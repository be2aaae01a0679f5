"""The device key: an Ed25519 key pair whose private half lives only in the SecretStore (keychain).

The clinic registers the public half at sign-in; support alerts are signed with the private half so
they are accepted even when the session has lapsed or was revoked. Keys and signatures travel as
unpadded base64url (the public key is the 32 raw bytes: 43 characters).
"""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Callable

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from app.secrets.base import SecretStore

Identity = tuple[str, Callable[[bytes], str]]  # matches app.api.signing.DeviceIdentity

DEVICE_KEY = "device-key"  # the private key (raw 32 bytes, base64url)
DEVICE_ID = "device-id"  # the clinic's id of this device, from the last token answer


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def _unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def new_private_key() -> str:
    raw = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    return b64url(raw)


def _key(private: str) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(_unb64url(private))


def public_key(private: str) -> str:
    """The registrable public key of a stored private key: 43 base64url characters."""
    raw = _key(private).public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return b64url(raw)


class KeySigner:
    """Signs with one private key; holds the key object only, never logs or prints it."""

    def __init__(self, private: str) -> None:
        self._key = _key(private)

    def __call__(self, message: bytes) -> str:
        return b64url(self._key.sign(message))

    def __repr__(self) -> str:
        return "KeySigner(<private>)"


class DeviceKeys:
    """This device's key and id in the keychain; also the live session's `DeviceSigner`."""

    def __init__(self, secrets: SecretStore) -> None:
        self._secrets = secrets

    async def private_key(self) -> str | None:
        return await self._secrets.get(DEVICE_KEY)

    async def device_id(self) -> str | None:
        return await self._secrets.get(DEVICE_ID)

    async def create(self) -> str:
        """A fresh key pair for a new sign-in; returns the public key to register."""
        private = await asyncio.to_thread(new_private_key)
        await self._secrets.set(DEVICE_KEY, private)
        return public_key(private)

    async def public_key(self) -> str | None:
        private = await self.private_key()
        return None if private is None else public_key(private)

    async def set_device_id(self, device_id: str) -> None:
        if await self._secrets.get(DEVICE_ID) != device_id:
            await self._secrets.set(DEVICE_ID, device_id)

    async def identity(self) -> Identity | None:
        private, device_id = await self.private_key(), await self.device_id()
        if private is None or device_id is None:
            return None
        return device_id, KeySigner(private)

    async def delete(self) -> None:
        await self._secrets.delete(DEVICE_KEY)
        await self._secrets.delete(DEVICE_ID)


class FixedIdentity:
    """A `DeviceSigner` for a kept device identity (an undelivered alert outliving its session)."""

    def __init__(self, device_id: str, private: str) -> None:
        self._identity: Identity = (device_id, KeySigner(private))

    async def identity(self) -> Identity | None:
        return self._identity
