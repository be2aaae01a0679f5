"""An app services factory whose clock a test moves: the file named by WAYPOINT_TEST_CLOCK_FILE holds
seconds to add to the real time (missing or empty: the real time).

Run the app with `--services tests.support.shifted_clock:build_shifted_services` (AppServer's
`services=`), so an e2e test can put "now" twenty minutes before a session without waiting for it.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from app.domain.clock import utc_now
from app.services.factory import build_services
from app.services.ports import PatientServices

CLOCK_FILE_ENV = "WAYPOINT_TEST_CLOCK_FILE"
SHIFTED = "tests.support.shifted_clock:build_shifted_services"  # AppServer(services=SHIFTED)


class FileClock:
    """utc_now() plus the offset in `path`, re-read on every call (a test writes it while the app runs)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __call__(self) -> datetime:
        try:
            offset = float(self.path.read_text() or 0)
        except (OSError, ValueError):
            offset = 0.0
        return utc_now() + timedelta(seconds=offset)

    def set_to(self, moment: datetime) -> None:
        """From now on, the app's clock reads `moment` (and runs on from it)."""
        self.path.write_text(str((moment - utc_now()).total_seconds()))


def build_shifted_services(data_dir: Path, **options: Any) -> PatientServices:
    return build_services(data_dir, clock=FileClock(Path(os.environ[CLOCK_FILE_ENV])), **options)


def upcoming(schedule: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Sessions that will happen, with a room, from two hours on (no drug test: never in advance)."""
    soon = datetime.now(UTC) + timedelta(hours=2)
    found = [
        i
        for i in schedule
        if i["status"] == "scheduled"
        and i["kind"] not in ("drug_test", "lunch")
        and i.get("location")
        and datetime.fromisoformat(i["starts_at"]) > soon
    ]
    return sorted(found, key=lambda i: i["starts_at"])


def next_session(schedule: list[dict[str, Any]]) -> dict[str, Any]:
    return upcoming(schedule)[0]
