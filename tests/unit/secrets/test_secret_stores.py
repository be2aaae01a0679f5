"""One SecretStore suite run against every implementation: the real keychain and the memory twin."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import keyring
import keyring.backends.fail
import keyring.backends.null
import pytest
from keyring.backend import KeyringBackend

from app.secrets import (
    KeyringSecretStore,
    MemorySecretStore,
    SecretBackendUnavailableError,
    SecretStore,
    get_bytes,
    service_name,
    set_bytes,
)


@pytest.fixture(params=["keyring", "memory"])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[SecretStore]:
    if request.param == "memory":
        yield MemorySecretStore()
        return
    real = KeyringSecretStore(f"org.waypoint.test/{uuid.uuid4().hex}")
    yield real
    for name in ("a", "b", "bin"):
        await real.delete(name)


async def test_set_get_delete_round_trip(store: SecretStore) -> None:
    assert await store.get("a") is None
    await store.set("a", "first")
    await store.set("a", "second")
    assert await store.get("a") == "second"
    await store.delete("a")
    assert await store.get("a") is None


async def test_delete_of_a_missing_secret_is_quiet(store: SecretStore) -> None:
    await store.delete("b")
    assert await store.get("b") is None


async def test_bytes_survive_the_text_keychain(store: SecretStore) -> None:
    value = bytes(range(256))
    await set_bytes(store, "bin", value)
    assert await get_bytes(store, "bin") == value


def test_the_active_keyring_backend_is_the_secret_service() -> None:
    backend = keyring.get_keyring()
    assert type(backend).__module__ == "keyring.backends.SecretService"
    assert not isinstance(backend, keyring.backends.fail.Keyring | keyring.backends.null.Keyring)
    KeyringSecretStore("org.waypoint.test/check")  # accepted without complaint


@pytest.mark.parametrize("backend", [keyring.backends.fail.Keyring(), keyring.backends.null.Keyring()])
def test_an_unsafe_backend_is_refused_with_a_clear_error(backend: KeyringBackend) -> None:
    with pytest.raises(SecretBackendUnavailableError) as err:
        KeyringSecretStore("org.waypoint.test/unsafe", backend=backend)
    assert "plaintext" in str(err.value)
    assert err.value.code == "secrets.no_backend"


def test_a_plaintext_file_backend_is_refused() -> None:
    class PlaintextKeyring(KeyringBackend):
        priority = 0.5

        def get_password(self, service: str, username: str) -> str | None:
            return None

        def set_password(self, service: str, username: str, password: str) -> None:
            raise AssertionError("must never be used")

        def delete_password(self, service: str, username: str) -> None:
            raise AssertionError("must never be used")

    with pytest.raises(SecretBackendUnavailableError):
        KeyringSecretStore("org.waypoint.test/plain", backend=PlaintextKeyring())  # type: ignore[no-untyped-call]


async def test_two_data_dirs_do_not_share_secrets(tmp_path: Path) -> None:
    one = KeyringSecretStore.for_data_dir(tmp_path / "one")
    two = KeyringSecretStore.for_data_dir(tmp_path / "two")
    assert one.service != two.service == service_name(tmp_path / "two")
    try:
        await one.set("a", "for one")
        assert await two.get("a") is None
    finally:
        await one.delete("a")
