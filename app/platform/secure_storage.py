"""FletSecretStore: the SecretStore seam over flet-secure-storage, for clients where keyring has none.

The secrets live on the client device (browser storage in web mode, Keychain/Keystore on mobile),
so a call needs a connected Flet session of that device. The store is bound to every session's
`SecureStorage` service as it connects and talks to the newest one still connected: one device
per app process, as on mobile. With no session connected a call fails with SecretAccessError.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from flet_secure_storage import SecureStorage

from app.secrets.errors import SecretAccessError

log = logging.getLogger(__name__)

CALL_TIMEOUT = 15.0  # the client answers in milliseconds; a silent one has no such service
MAX_BOUND = 16  # sessions remembered; older ones are closed tabs
POLL = 0.1  # seconds between checks that the window asked is still connected

T = TypeVar("T")


def _connected(storage: SecureStorage) -> bool:
    try:
        page = storage.page
    except RuntimeError:  # never attached, or its page is gone
        return False
    session = getattr(page, "session", None)
    return session is not None and getattr(session, "connection", None) is not None


class FletSecretStore:
    """Secrets in the connected client's secure storage; names are prefixed with `prefix`."""

    def __init__(self, prefix: str, *, timeout: float = CALL_TIMEOUT) -> None:
        self._prefix = prefix
        self._timeout = timeout
        self._bound: list[SecureStorage] = []

    def bind(self, storage: SecureStorage) -> None:
        """Use `storage` (a session's service, already registered on its page) from now on."""
        kept = [s for s in self._bound if s is not storage][-(MAX_BOUND - 1) :]
        self._bound = [*kept, storage]

    def _key(self, name: str) -> str:
        return f"{self._prefix}/{name}"

    def _newest_connected(self) -> SecureStorage | None:
        return next((s for s in reversed(self._bound) if _connected(s)), None)

    async def get(self, name: str) -> str | None:
        result = await self._call(lambda s: s.get(self._key(name)))
        return result if isinstance(result, str) else None

    async def set(self, name: str, value: str) -> None:
        await self._call(lambda s: s.set(self._key(name), value))

    async def delete(self, name: str) -> None:
        await self._call(lambda s: s.remove(self._key(name)))  # absent keys are no error

    async def _call(self, call: Callable[[SecureStorage], Awaitable[T]]) -> T:
        """Run `call` on the newest connected session; if that window goes away mid-call (a reload,
        a closed tab), ask the next one. Fails after `timeout` seconds with no answer."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self._timeout
        while loop.time() < deadline:
            storage = self._newest_connected()
            if storage is None:
                await asyncio.sleep(POLL)  # a reload in progress reconnects within moments
                continue
            task = asyncio.ensure_future(call(storage))
            try:
                while not task.done() and _connected(storage) and loop.time() < deadline:
                    await asyncio.wait({task}, timeout=POLL)
            except asyncio.CancelledError:
                task.cancel()
                raise
            if not task.done():
                task.cancel()
                continue
            try:
                return task.result()
            except (RuntimeError, ValueError) as exc:
                # Client errors name the method and key at most, never the value; keep only the type.
                log.warning("secure storage call failed: %s", type(exc).__name__)
                raise SecretAccessError(f"secure storage call failed: {type(exc).__name__}") from exc
        if self._newest_connected() is None:
            raise SecretAccessError("no app window is connected to reach the device's secure storage")
        raise SecretAccessError("secure storage did not answer")


def new_session_storage() -> SecureStorage:
    """A SecureStorage service registered on the page of the session being set up."""
    return SecureStorage()
