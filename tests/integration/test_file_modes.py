"""Defect 7: the app's data dir is 0700 and every file it writes 0600, whatever the umask."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.secrets.memory import MemorySecretStore
from app.store.database import STORE_FILE, private_dir
from app.store.encrypted import EncryptedStore
from app.store.models import OutboxEntry


@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def alert() -> OutboxEntry:
    now = datetime(2026, 11, 29, tzinfo=UTC)
    return OutboxEntry(
        "a1", "support_alert.raise", {"created_at": now.isoformat()}, None, now, "support_alert", ""
    )


@pytest.mark.usefixtures("umask_022")
async def test_the_store_files_and_their_directory_are_private_with_umask_022(tmp_path: Path) -> None:
    data_dir = tmp_path / "app-data"
    store = await EncryptedStore.open(data_dir, MemorySecretStore())
    try:
        await store.enqueue(alert())  # a write: the WAL and shared-memory files exist now
        files = sorted(p.name for p in data_dir.iterdir())
        assert files == [STORE_FILE, STORE_FILE + "-shm", STORE_FILE + "-wal"]
        assert mode(data_dir) == 0o700
        assert {name: mode(data_dir / name) for name in files} == {name: 0o600 for name in files}
    finally:
        await store.close()
    assert {p.name: mode(p) for p in data_dir.iterdir()} == {p.name: 0o600 for p in data_dir.iterdir()}


@pytest.mark.usefixtures("umask_022")
async def test_files_left_readable_by_an_older_version_are_made_private_on_open(tmp_path: Path) -> None:
    data_dir = tmp_path / "app-data"
    secrets = MemorySecretStore()
    store = await EncryptedStore.open(data_dir, secrets)
    await store.enqueue(alert())
    await store.close()
    data_dir.chmod(0o755)
    (data_dir / STORE_FILE).chmod(0o644)
    store = await EncryptedStore.open(data_dir, secrets)
    try:
        assert [e.id for e in await store.outbox()] == ["a1"]
        assert mode(data_dir) == 0o700
        assert {p.name: mode(p) for p in data_dir.iterdir()} == {p.name: 0o600 for p in data_dir.iterdir()}
    finally:
        await store.close()


@pytest.mark.usefixtures("umask_022")
def test_the_data_dir_made_at_start_up_is_private(tmp_path: Path) -> None:
    data_dir = tmp_path / "var" / "app"
    private_dir(data_dir)
    assert mode(data_dir) == 0o700
    data_dir.chmod(0o755)  # an existing dir from an older version
    private_dir(data_dir)
    assert mode(data_dir) == 0o700
