"""KeyringSecretStore: secrets in the desktop keychain (Secret Service, macOS Keychain, Windows)."""

from __future__ import annotations

import asyncio
import hashlib
from pathlib import Path
from typing import Any

import keyring
import keyring.errors
from keyring.backend import KeyringBackend

from app.secrets.errors import SecretAccessError, SecretBackendUnavailableError

SERVICE_PREFIX = "org.waypoint.app"

# Backends that would keep secrets unencrypted, or not at all.
_UNSAFE_MODULES = ("keyring.backends.fail", "keyring.backends.null", "keyrings.alt")


def service_name(data_dir: Path) -> str:
    """Keychain service name for one data directory, so two app instances never collide."""
    digest = hashlib.sha256(str(data_dir.expanduser().resolve()).encode("utf-8")).hexdigest()[:16]
    return f"{SERVICE_PREFIX}/{digest}"


def _leaves(backend: KeyringBackend) -> list[KeyringBackend]:
    inner = getattr(backend, "backends", None)
    if isinstance(inner, list | tuple):
        return [leaf for b in inner for leaf in _leaves(b)]
    return [backend]


def check_backend(backend: KeyringBackend) -> None:
    """Raise SecretBackendUnavailableError unless the backend keeps secrets encrypted."""
    leaves = _leaves(backend)
    unsafe = [
        b
        for b in leaves
        if type(b).__module__.startswith(_UNSAFE_MODULES) or "plaintext" in type(b).__name__.lower()
    ]
    if not leaves or unsafe or float(getattr(backend, "priority", 0)) <= 0:
        names = ", ".join(f"{type(b).__module__}.{type(b).__name__}" for b in leaves) or "none"
        raise SecretBackendUnavailableError(
            f"no encrypted keychain is available (keyring backend: {names}); "
            "install and unlock a Secret Service (e.g. gnome-keyring) — Waypoint never stores "
            "keys or tokens in plaintext"
        )


class KeyringSecretStore:
    """Secrets in the platform keychain via `keyring`, every call off the event loop."""

    def __init__(self, service: str, *, backend: KeyringBackend | None = None) -> None:
        self._service = service
        self._backend = backend if backend is not None else keyring.get_keyring()
        check_backend(self._backend)

    @classmethod
    def for_data_dir(cls, data_dir: Path, *, backend: KeyringBackend | None = None) -> KeyringSecretStore:
        return cls(service_name(data_dir), backend=backend)

    @property
    def service(self) -> str:
        return self._service

    @property
    def backend(self) -> KeyringBackend:
        return self._backend

    async def get(self, name: str) -> str | None:
        result = await self._call(self._backend.get_password, self._service, name)
        return result if isinstance(result, str) else None

    async def set(self, name: str, value: str) -> None:
        await self._call(self._backend.set_password, self._service, name, value)

    async def delete(self, name: str) -> None:
        try:
            await self._call(self._backend.delete_password, self._service, name)
        except SecretAccessError as exc:
            if not isinstance(exc.__cause__, keyring.errors.PasswordDeleteError):
                raise

    async def _call(self, fn: Any, *args: str) -> Any:
        """One keychain call, tried once more if the keychain failed under it (a Secret Service that
        restarts mid-call loses the session the call opened: NoSession). Failures come out as
        SecretAccessError, never as the backend's own (D-Bus) exceptions."""
        for attempt in (1, 2):
            try:
                return await asyncio.to_thread(fn, *args)
            except keyring.errors.PasswordDeleteError as exc:
                raise SecretAccessError(f"keychain call failed: {type(exc).__name__}") from exc
            except Exception as exc:
                if not _keychain_failure(exc):
                    raise
                if attempt == 2:
                    # The message may name the service or key; never the secret value.
                    raise SecretAccessError(f"keychain call failed: {type(exc).__name__}") from exc
        raise AssertionError("unreachable")


def _keychain_failure(exc: Exception) -> bool:
    """An error of the keychain itself (keyring's, or its D-Bus stack's), not a bug of ours."""
    return isinstance(exc, keyring.errors.KeyringError | OSError) or type(exc).__module__.split(".")[0] in (
        "jeepney",
        "secretstorage",
    )
