"""Calendar-feed test helpers, and the real clinic on loopback with a clock a test can move.

`ClockedClinic` is the real app (`create_app(Services.build(...))`) served by uvicorn on a free
loopback port, in this process, with `Settings.clock` a `ShiftedClock`: the demo is seeded at the
shifted "now", and a test moves time forward (a drug test happening, a link expiring) without
sleeping. Everything else about it is `ClinicServer`'s (its helpers work unchanged).
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from icalendar import Calendar

from clinic.app import create_app
from clinic.config import Settings
from clinic.container import Services
from clinic.database import Database, sqlite_url
from clinic.security import Passwords
from clinic.seed import seed_demo
from tests.clinic.helpers import auth
from tests.support.clinic_server import ClinicServer
from tests.support.polling import wait_until


class ShiftedClock:
    """Real time plus an offset the test sets: it keeps advancing, so tokens age as usual."""

    def __init__(self, offset: timedelta = timedelta(0)) -> None:
        self.offset = offset

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.offset


class ClockedClinic(ClinicServer):
    def __init__(self, tmp_dir: Path, clock: ShiftedClock, database_url: str | None = None) -> None:
        super().__init__(tmp_dir, database_url=database_url)
        self.clock = clock
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> ClockedClinic:
        url = self.database_url or sqlite_url(self.db_path)
        settings = Settings(database_url=url, clock=self.clock)
        passwords = Passwords(fast=True)
        db = Database(url)
        db.migrate()
        seed_demo(db, settings, passwords)
        db.dispose()
        app = create_app(Services.build(settings, passwords))
        config = uvicorn.Config(
            app, host="127.0.0.1", port=self.port, log_level="warning", access_log=False, log_config=None
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, name="clocked-clinic", daemon=True)
        self._thread.start()
        server = self._server
        wait_until(lambda: server.started, 60, message="in-process clinic did not start")
        return self

    def __enter__(self) -> ClockedClinic:
        return self.start()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def stop(self, timeout: float = 10.0) -> None:
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(timeout)
        self._server = self._thread = None

    def kill(self) -> None:
        self.stop()


# -- feeds over HTTP -------------------------------------------------------------------------------


def create_feed(server: ClinicServer, token: str, **body: Any) -> dict[str, Any]:
    response = httpx.post(f"{server.url}/v1/calendar-feeds", json=body, headers=auth(token), timeout=10)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def read(url: str, **headers: str) -> httpx.Response:
    return httpx.get(url, headers=headers, timeout=30)


def calendar(url: str) -> Calendar:
    response = read(url)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def family_account(server: ClinicServer, patient_token: str, scope: str, username: str, now: datetime) -> str:
    """A family member with a live share of `scope` (expiring 30 days after the server's `now`)."""
    body = {
        "recipient_name": "Pat Rivera",
        "relationship": "spouse",
        "scope": scope,
        "purpose": "Rides to sessions",
        "expires_at": (now + timedelta(days=30)).isoformat(),
    }
    created = httpx.post(f"{server.url}/v1/shares", json=body, headers=auth(patient_token), timeout=10)
    assert created.status_code == 201, created.text
    signup = {
        "invitation_code": created.json()["invitation_code"],
        "username": username,
        "password": "family-pass-1",
        "display_name": "Pat",
        "device_name": "Pat's phone",
    }
    answer = httpx.post(f"{server.url}/v1/family/signup", json=signup, timeout=10)
    assert answer.status_code == 201, answer.text
    return str(answer.json()["access_token"])


def share_id_of(server: ClinicServer, family_token: str) -> str:
    """The family member's (one) live share, as their sync tells it."""
    response = httpx.get(f"{server.url}/v1/sync", headers=auth(family_token), timeout=10)
    assert response.status_code == 200, response.text
    return next(str(c["id"]) for c in response.json()["changes"] if c["type"] == "shared_patient")


def uid_ids(cal: Calendar) -> dict[str, Any]:
    """Event by schedule-item id (the UID's part before '@')."""
    return {str(e["UID"]).split("@", 1)[0]: e for e in cal.events}
