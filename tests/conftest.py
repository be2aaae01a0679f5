"""Fixtures shared by every test package, and how the suite is spread over pytest-xdist workers."""

from __future__ import annotations

import os
import re

import pytest
from xdist.remote import Producer
from xdist.scheduler import LoadScopeScheduling

pytest_plugins = ["tests.support.fixtures", "tests.support.browser", "tests.support.postgres"]

# Every clinic the tests start (servers, admin commands, in-process Settings) inherits these; a test
# that needs another value passes its own env to ClinicServer, which wins.
#  - argon2id at its cheapest sensible cost: the suite seeds hundreds of demo clinics and signs in
#    thousands of times; what is tested is who may sign in, not how slow a guess is (clinic/config.py).
#  - a stopping clinic cancels its open live streams after 1 s, not 5 (the production default).
TEST_ENVIRONMENT = {"WAYPOINT_TEST_ONLY_FAST_PASSWORD_HASHING": "1", "WAYPOINT_SHUTDOWN_GRACE_SECONDS": "1"}
for _name, _value in TEST_ENVIRONMENT.items():
    os.environ.setdefault(_name, _value)

# The clinic's modules run once per backend (a module-scoped parameter): its id in a test's node id.
BACKEND = re.compile(r"\[(?:[^\]]*-)?(sqlite|postgres)(?:-[^\]]*)?\]$")


def xdist_scope(nodeid: str) -> str:
    """The work unit a test belongs to under `scripts/check` (pytest-xdist, `--dist loadscope`).

    A module's tests stay together on one worker, in file order, so its module-scoped servers,
    database and browser are set up once, not once per worker; a clinic module is one unit per
    backend, so its SQLite and PostgreSQL halves can run side by side.
    """
    module, _, name = nodeid.partition("::")
    backend = BACKEND.search(name)
    return f"{module}[{backend.group(1)}]" if backend else module


class ModuleScheduling(LoadScopeScheduling):  # type: ignore[misc]  # xdist ships no types
    """xdist's loadscope, with `xdist_scope` as the unit (loadgroup's marks do not reach node ids
    under pytest 9, so a scope computed from the node id is what works)."""

    def _split_scope(self, nodeid: str) -> str:
        return xdist_scope(nodeid)


@pytest.hookimpl(tryfirst=True)  # before xdist's own
def pytest_xdist_make_scheduler(config: pytest.Config, log: Producer) -> LoadScopeScheduling | None:
    return ModuleScheduling(config, log) if config.getvalue("dist") == "loadscope" else None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On an xdist worker, the browser tests first: they are the longest units, and a long unit
    started last would leave the other cores idle at the end. (Every worker sorts alike.)"""
    if hasattr(config, "workerinput"):
        items.sort(key=lambda item: not item.nodeid.startswith("tests/e2e/"))
