"""Fixtures for the clinic backend tests: one demo server per module (stateful tests start their own)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.clinic_server import ClinicServer


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ClinicServer]:
    with ClinicServer(tmp_path_factory.mktemp("clinic")) as server:
        yield server
