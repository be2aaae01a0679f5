"""Pytest fixtures for the real clinic server (registered from tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.clinic_server import ClinicServer


@pytest.fixture
def clinic_server(tmp_path: Path) -> Iterator[ClinicServer]:
    """The demo clinic on a free loopback port with a fresh SQLite file; stopped afterwards."""
    server = ClinicServer(tmp_path / "clinic")
    server.start()
    try:
        yield server
    finally:
        server.stop()
