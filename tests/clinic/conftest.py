"""Fixtures for the clinic backend tests, each run on SQLite (a real file) and on a real PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.clinic_server import ClinicServer

# "postgres" uses the session's throwaway server (`postgres_server`, tests/support/postgres.py).
BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]

ServerFactory = Callable[..., ClinicServer]


@pytest.fixture(scope="module", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="module")
def new_server(backend: str, request: pytest.FixtureRequest) -> ServerFactory:
    """ClinicServer(tmp_dir, **kwargs) on this module's backend with a fresh database (not started).

    PostgreSQL comes from the session's `postgres_server` (tests/support/postgres.py).
    """

    def make(tmp_dir: Path, **kwargs: Any) -> ClinicServer:
        url = None
        if backend == "postgres":
            url = request.getfixturevalue("postgres_server").create_database()
        return ClinicServer(tmp_dir, database_url=url, **kwargs)

    return make


@pytest.fixture(scope="module")
def demo(new_server: ServerFactory, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ClinicServer]:
    """The demo clinic, shared by a module's tests (tests that need a clean slate start their own)."""
    with new_server(tmp_path_factory.mktemp("clinic")) as server:
        yield server
