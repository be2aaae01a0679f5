"""The DeviceSettings service: preferences and the app lock, readable before sign-in and across a wipe."""

from __future__ import annotations

import dataclasses

import app.services.lock as lockmod
from app.services.core import Core
from app.services.lock import AppLock
from app.services.ports import PinResult, Preferences


class StoredSettings:
    """Kept in the encrypted store; before any store exists, in memory (the Core's loose preferences)."""

    def __init__(self, core: Core, *, pin_kdf_n: int | None = None) -> None:
        self._core = core
        self._pin_kdf_n = pin_kdf_n  # tests make the PIN hash cheap

    async def preferences(self) -> Preferences:
        store = await self._core.existing_store()
        return self._core.loose_prefs if store is None else await lockmod.load_preferences(store)

    async def save_preferences(self, prefs: Preferences) -> None:
        store = await self._core.open_store()
        current = await lockmod.load_preferences(store)
        # The lock is switched only by set_pin/clear_pin, so a stale form cannot disable it.
        await lockmod.save_preferences(store, dataclasses.replace(prefs, lock_enabled=current.lock_enabled))
        self._core.loose_prefs = dataclasses.replace(prefs, lock_enabled=False)

    async def set_pin(self, pin: str) -> None:
        await AppLock(await self._core.open_store(), self._core.clock, kdf_n=self._pin_kdf_n).set_pin(pin)

    async def verify_pin(self, pin: str) -> PinResult:
        store = await self._core.existing_store()
        if store is None:
            return PinResult(ok=True, attempts_left=lockmod.ATTEMPTS_PER_ROUND)
        return await AppLock(store, self._core.clock, kdf_n=self._pin_kdf_n).verify_pin(pin)

    async def clear_pin(self) -> None:
        store = await self._core.existing_store()
        if store is not None:
            await AppLock(store, self._core.clock).clear_pin()
