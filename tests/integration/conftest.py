"""Fixtures for the app core against the real clinic server, a real store file and the real keychain."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from app.secrets.keyring_store import KeyringSecretStore
from app.services.patient import CoreServices


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "app-data"


@pytest.fixture
async def services(data_dir: Path) -> AsyncIterator[CoreServices]:
    """The real services: keyring (Secret Service), SQLite file; the clock is the wall clock."""
    from app.services.factory import build_services

    built = build_services(data_dir, sync_interval=3600)
    assert isinstance(built, CoreServices)
    yield built
    await built.close()
    await built.core.secrets.delete("data-key")  # a failed test must not leave keys behind
    for name in ("access-token", "refresh-token", "device-key", "device-id", "undelivered-alerts"):
        await built.core.secrets.delete(name)


def keychain_items(data_dir: Path) -> list[str]:
    """What the Secret Service holds for this data dir, read with secretstorage (not keyring)."""
    import secretstorage

    service = KeyringSecretStore.for_data_dir(data_dir).service
    conn = secretstorage.dbus_init()
    try:
        items = secretstorage.search_items(conn, {"service": service})
        return sorted(item.get_attributes().get("username", "?") for item in items)
    finally:
        conn.close()
