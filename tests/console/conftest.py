"""The console's state and client against the real clinic on loopback (SQLite file, demo seed)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.clinic_server import ClinicServer


@pytest.fixture(scope="module")
def clinic(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ClinicServer]:
    with ClinicServer(tmp_path_factory.mktemp("clinic")) as server:
        yield server
