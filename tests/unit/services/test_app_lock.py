"""App lock: a slow-hashed PIN, limited attempts, a lockout that grows; preferences survive sign-out."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.secrets.memory import MemorySecretStore
from app.secrets.pin import hash_pin, verify_pin
from app.services.patient import CoreServices
from app.services.ports import Preferences, ServiceError
from tests.unit.sync.fake_clinic import FakeClinic


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def services(tmp_path: Path, clock: Clock) -> AsyncIterator[CoreServices]:
    clinic = FakeClinic()
    clinic.seed_week()
    core = CoreServices(tmp_path, MemorySecretStore(), transport=clinic.transport(), clock=clock,
                        pin_kdf_n=2**10, autosync=False)  # fmt: skip
    yield core
    await core.close()


async def test_the_pin_hash_is_slow_salted_and_verifiable() -> None:
    one, two = await hash_pin("4821"), await hash_pin("4821")
    assert one != two
    assert "4821" not in one
    assert one.startswith("scrypt$65536$")
    assert await verify_pin("4821", one)
    assert not await verify_pin("4822", one)
    assert not await verify_pin("4821", "garbage")


async def test_wrong_pins_lock_out_for_longer_each_round(services: CoreServices, clock: Clock) -> None:
    await services.device.set_pin("4821")
    assert (await services.device.preferences()).lock_enabled
    results = [await services.device.verify_pin("0000") for _ in range(5)]
    assert [r.attempts_left for r in results] == [4, 3, 2, 1, 0]
    first_lock = results[-1].locked_until
    assert first_lock == clock.now + timedelta(seconds=30)
    locked = await services.device.verify_pin("4821")  # even the right PIN waits out the lockout
    assert not locked.ok
    assert locked.locked_until == first_lock
    clock.now = first_lock
    for _ in range(5):
        last = await services.device.verify_pin("1111")
    assert last.locked_until == clock.now + timedelta(seconds=60)
    clock.now = last.locked_until
    ok = await services.device.verify_pin("4821")
    assert ok.ok
    assert ok.attempts_left == 5


@pytest.mark.parametrize("pin", ["12", "abcd", "1234567890123"])
async def test_a_malformed_pin_is_refused(services: CoreServices, pin: str) -> None:
    with pytest.raises(ServiceError) as err:
        await services.device.set_pin(pin)
    assert err.value.code == "lock.pin_invalid"


async def test_clear_pin_disables_the_lock(services: CoreServices) -> None:
    await services.device.set_pin("4821")
    await services.device.clear_pin()
    assert not (await services.device.preferences()).lock_enabled
    assert (await services.device.verify_pin("anything")).ok


async def test_preferences_before_sign_in_and_across_sign_out(services: CoreServices, tmp_path: Path) -> None:
    assert await services.device.preferences() == Preferences()
    await services.device.save_preferences(Preferences(language="es", discreet=True))
    await services.device.set_pin("4821")
    await services.account.sign_in_with_password("http://127.0.0.1:9", "alex", "waypoint-demo")
    assert (await services.device.preferences()).language == "es"
    await services.account.sign_out()
    assert list(tmp_path.iterdir()) == []
    kept = await services.device.preferences()
    assert (kept.language, kept.discreet, kept.lock_enabled) == ("es", True, False)
