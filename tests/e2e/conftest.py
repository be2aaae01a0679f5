"""End-to-end fixtures: one real clinic and one real app process per test module, driven in Chromium."""

from __future__ import annotations

import time
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser

from tests.support.app_server import ROOT, AppServer
from tests.support.browser import AppPage
from tests.support.clinic_server import ClinicServer

TALL_LAPTOP = {"width": 1280, "height": 2600}  # a whole week fits: no scrolling needed to see every session
LOCK_AFTER = 4  # seconds of inactivity before the app locks (the real default is minutes)
FAILURES = ROOT / "var" / "e2e-failures"  # screenshots of the pages of failed tests


@dataclass
class Stack:
    clinic: ClinicServer
    app: AppServer
    page: AppPage
    patient_id: str
    schedule: list[dict[str, Any]]  # the clinic's records, read while it was up
    assignments: list[dict[str, Any]]


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory, browser: Browser) -> Iterator[Stack]:
    """The demo clinic, the app pointed at it (real store, real keyring), and one browser page."""
    root = tmp_path_factory.mktemp("e2e")
    with ClinicServer(root / "clinic") as clinic:
        app = AppServer(root / "app", clinic_url=clinic.url, lock_after=LOCK_AFTER, sync_interval=2)
        with app:
            page = AppPage.open(browser, app.url, TALL_LAPTOP)
            try:
                pid = clinic.patient_id("alex")
                yield Stack(clinic, app, page, pid, clinic.schedule(pid), clinic.assignments(pid))
            finally:
                page.close()


def sign_in(page: AppPage, username: str = "alex", password: str = "waypoint-demo") -> None:  # noqa: S107
    page.wait_id("sign-in-url")
    page.button("I have a username and password").click()
    page.wait_id("sign-in-username")
    page.assert_accessible("sign-in")
    page.fill("sign-in-username", username)
    page.fill("sign-in-password", password)
    page.tap("sign-in-submit")
    # The first sync has landed (not just the first frame): whatever a test or bench does next, even
    # stopping the clinic at once, finds the patient's data in the store.
    page.wait_text("sync-status", r"(?i)all saved")


def signed_in(stack: Stack, timeout: float = 30.0) -> None:
    """Sign the stack's page in unless its app already is (the clinic started for it if need be).

    Tests that share a stack call this instead of counting on an earlier test's sign-in, so each
    one passes alone and in any order."""
    page = stack.page
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if page.by_id("nav-today").count():
            return
        if page.by_id("sign-in-url").count():
            stack.clinic.start()  # no-op when it is up
            sign_in(page)
            return
        page.wait_for_timeout(100)
    raise AssertionError("the app showed neither the sign-in screen nor a signed-in one")


def app_data_files(app: AppServer) -> list[Path]:
    return [p for p in app.data_dir.rglob("*") if p.is_file()]


def screenshot(page: AppPage, path: Path) -> str:
    """A failed test's page, or why there is none: a page that hangs or is gone must not turn one
    failure into an internal error that ends the whole run."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        page.page.screenshot(path=str(path), timeout=10_000)
    except Exception as exc:
        return f"no screenshot ({type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''})"
    return f"screenshot: {path}"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """On a failure, keep a screenshot of each page a fixture holds (a Stack's one, the family's two)
    under var/e2e-failures, and say where, with the apps' logs."""
    report = yield
    if call.when != "call" or call.excinfo is None:
        return report
    kept: list[str] = []
    for name, value in getattr(item, "funcargs", {}).items():
        for attribute, page in vars(value).items() if hasattr(value, "__dict__") else ():
            if isinstance(page, AppPage):
                kept.append(screenshot(page, FAILURES / f"{item.name}-{name}-{attribute}.png"))
            elif isinstance(page, AppServer):
                kept.append(f"app log: {page.log_path}")
    if kept:
        report.sections.append(("e2e", "\n".join(kept)))
    return report
