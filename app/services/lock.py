"""Device preferences and the app-lock PIN: a slow hash and a growing lockout, sealed in the store."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import datetime, timedelta

from app.secrets.pin import hash_pin, verify_pin
from app.services.ports import PinResult, Preferences
from app.store.encrypted import EncryptedStore

PREFERENCES = "preferences"
PIN = "pin"
ATTEMPTS_PER_ROUND = 5
FIRST_LOCKOUT = timedelta(seconds=30)
MAX_LOCKOUT = timedelta(hours=1)


def prefs_from(raw: object) -> Preferences:
    if not isinstance(raw, dict):
        return Preferences()
    fields = {f.name for f in dataclasses.fields(Preferences)}
    try:
        return Preferences(**{k: v for k, v in raw.items() if k in fields})
    except TypeError:
        return Preferences()


async def load_preferences(store: EncryptedStore) -> Preferences:
    return prefs_from(await store.get_value(PREFERENCES))


async def save_preferences(store: EncryptedStore, prefs: Preferences) -> None:
    await store.set_value(PREFERENCES, dataclasses.asdict(prefs))


class AppLock:
    """PIN checks with limited attempts; after each round of failures the wait doubles."""

    def __init__(
        self, store: EncryptedStore, clock: Callable[[], datetime], *, kdf_n: int | None = None
    ) -> None:
        self._store = store
        self._clock = clock
        self._kdf_n = kdf_n

    async def set_pin(self, pin: str) -> None:
        if not pin.isdigit() or not 4 <= len(pin) <= 12:
            from app.services.ports import ServiceError

            raise ServiceError("lock.pin_invalid")
        encoded = await (hash_pin(pin) if self._kdf_n is None else hash_pin(pin, n=self._kdf_n))
        await self._store.set_value(PIN, {"hash": encoded, "failures": 0, "locked_until": None})
        prefs = await load_preferences(self._store)
        await save_preferences(self._store, dataclasses.replace(prefs, lock_enabled=True))

    async def clear_pin(self) -> None:
        await self._store.delete_value(PIN)
        prefs = await load_preferences(self._store)
        await save_preferences(self._store, dataclasses.replace(prefs, lock_enabled=False))

    async def verify_pin(self, pin: str) -> PinResult:
        state = await self._store.get_value(PIN)
        if not isinstance(state, dict) or not isinstance(state.get("hash"), str):
            return PinResult(ok=True, attempts_left=ATTEMPTS_PER_ROUND)  # no PIN set: nothing to unlock
        now = self._clock()
        failures = int(state.get("failures") or 0)
        locked_until = datetime.fromisoformat(state["locked_until"]) if state.get("locked_until") else None
        if locked_until is not None and now < locked_until:
            return PinResult(ok=False, attempts_left=0, locked_until=locked_until)
        if await verify_pin(pin, state["hash"]):
            await self._store.set_value(PIN, {**state, "failures": 0, "locked_until": None})
            return PinResult(ok=True, attempts_left=ATTEMPTS_PER_ROUND)
        failures += 1
        left = ATTEMPTS_PER_ROUND - failures % ATTEMPTS_PER_ROUND
        until = None
        if left == ATTEMPTS_PER_ROUND:  # a round is used up
            rounds = failures // ATTEMPTS_PER_ROUND
            until = now + min(MAX_LOCKOUT, FIRST_LOCKOUT * 2 ** (rounds - 1))
            left = 0
        await self._store.set_value(
            PIN, {**state, "failures": failures, "locked_until": until.isoformat() if until else None}
        )
        return PinResult(ok=False, attempts_left=left, locked_until=until)
