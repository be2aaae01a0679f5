"""Secrets: argon2 password hashes, opaque tokens stored as sha256, human-friendly one-time codes,
refresh successors derived from their predecessor, Ed25519 device signatures."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L


class Passwords:
    """argon2id, memory-hard; a dummy verify keeps unknown usernames as slow as wrong passwords."""

    def __init__(self, *, fast: bool = False) -> None:
        if fast:
            self._hasher = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)
        else:
            self._hasher = PasswordHasher()
        self._dummy = self._hasher.hash("waypoint-dummy-password")

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, stored: str | None, password: str) -> bool:
        try:
            return self._hasher.verify(stored or self._dummy, password) and stored is not None
        except (VerificationError, InvalidHashError):
            return False


def new_token() -> str:
    return secrets.token_urlsafe(32)


def successor_tokens(refresh_token: str) -> tuple[str, str]:
    """(access, refresh) that rotating `refresh_token` gives — the same every time.

    HMAC-SHA256 keyed with the presented token: only a holder of the old refresh token can compute
    them, and the server stores nothing but their sha256, so a replay within the grace window can
    be answered with the pair it already issued without keeping any token in plaintext.
    """
    key = refresh_token.encode()
    access = hmac.new(key, b"waypoint-refresh-successor-v1\naccess", hashlib.sha256).digest()
    refresh = hmac.new(key, b"waypoint-refresh-successor-v1\nrefresh", hashlib.sha256).digest()
    return b64url(access), b64url(refresh)


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def b64url_decode(text: str) -> bytes | None:
    """Strict base64url without padding (ASCII alphabet only, canonical); None if it is not."""
    if not re.fullmatch(r"[A-Za-z0-9_-]*", text, flags=re.ASCII) or len(text) % 4 == 1:
        return None
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        return None
    return raw if b64url(raw) == text else None


def device_key_bytes(text: str) -> bytes | None:
    """The 32 raw bytes of a device's Ed25519 public key (43 base64url characters), or None."""
    raw = b64url_decode(text)
    return raw if raw is not None and len(raw) == 32 else None


def alert_message(device_id: str, alert_id: str, signed_at: str, body: bytes) -> bytes:
    """What a device signs for a support alert (docs/api.md, "Device-signed support alerts")."""
    parts = ["waypoint-support-alert-v1", device_id, alert_id, signed_at, hashlib.sha256(body).hexdigest()]
    return "\n".join(parts).encode()


def signature_valid(public_key: str, signature: str, message: bytes) -> bool:
    key, sig = device_key_bytes(public_key), b64url_decode(signature)
    if key is None or sig is None or len(sig) != 64:
        return False
    try:
        Ed25519PublicKey.from_public_bytes(key).verify(sig, message)
    except (InvalidSignature, ValueError):
        return False
    return True


def digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def new_code() -> str:
    """A one-time code like K7P-4QX-9MD (45 bits)."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(9))
    return f"{raw[:3]}-{raw[3:6]}-{raw[6:]}"


def code_digest(code: str) -> str:
    """Codes are typed by people: ignore case, spaces and dashes."""
    return digest("".join(ch for ch in code.upper() if ch.isalnum()))
