"""Secrets: argon2 password hashes, opaque tokens stored as sha256, human-friendly one-time codes."""

from __future__ import annotations

import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

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


def digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def new_code() -> str:
    """A one-time code like K7P-4QX-9MD (45 bits)."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(9))
    return f"{raw[:3]}-{raw[3:6]}-{raw[6:]}"


def code_digest(code: str) -> str:
    """Codes are typed by people: ignore case, spaces and dashes."""
    return digest("".join(ch for ch in code.upper() if ch.isalnum()))
