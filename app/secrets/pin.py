"""Slow PIN hashing for the app lock (scrypt), off the event loop; the PIN itself is never stored."""

from __future__ import annotations

import asyncio
import base64
import os

from cryptography.exceptions import InvalidKey
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

# ~64 MiB and a few hundred ms: a 4–6 digit PIN must be slow to guess off a copied file.
SCRYPT_N = 2**16
SCRYPT_R = 8
SCRYPT_P = 1
SALT_BYTES = 16


def _kdf(salt: bytes, n: int) -> Scrypt:
    return Scrypt(salt=salt, length=32, n=n, r=SCRYPT_R, p=SCRYPT_P)


def _hash_sync(pin: str, n: int) -> str:
    salt = os.urandom(SALT_BYTES)
    digest = _kdf(salt, n).derive(pin.encode("utf-8"))
    return f"scrypt${n}${base64.b64encode(salt).decode()}${base64.b64encode(digest).decode()}"


def _verify_sync(pin: str, encoded: str) -> bool:
    try:
        scheme, n, salt, digest = encoded.split("$")
        if scheme != "scrypt":
            return False
        _kdf(base64.b64decode(salt), int(n)).verify(pin.encode("utf-8"), base64.b64decode(digest))
        return True
    except (InvalidKey, ValueError):
        return False


async def hash_pin(pin: str, *, n: int = SCRYPT_N) -> str:
    """An encoded scrypt hash of `pin` with a fresh salt."""
    return await asyncio.to_thread(_hash_sync, pin, n)


async def verify_pin(pin: str, encoded: str) -> bool:
    """True when `pin` matches `encoded` (scrypt's verify compares in constant time)."""
    return await asyncio.to_thread(_verify_sync, pin, encoded)
