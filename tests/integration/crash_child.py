"""The app's sync process for the crash test: queue changes, sync, and get SIGKILLed at any point.

Run as `python -m tests.integration.crash_child DATA_DIR SEED JOURNAL`. It writes `intent KIND`
before asking for a change and `queued KIND ID` once the services say it is durable, so the
parent knows what the patient was told.
"""

from __future__ import annotations

import asyncio
import random
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from app.domain.model import RsvpResponse, SessionKind
from app.services.factory import build_services
from app.services.patient import CoreServices


def note(journal: Path, line: str) -> None:
    with journal.open("a") as f:
        f.write(line + "\n")
        f.flush()


async def main(data_dir: Path, seed: int, journal: Path) -> None:
    rng = random.Random(seed)
    services = build_services(data_dir, sync_interval=0.05)
    assert isinstance(services, CoreServices)
    print("ready", flush=True)
    today = datetime.now(UTC).date()
    week = await services.schedule.overview(today, today + timedelta(days=14))
    groups = [
        s for s in week.sessions if s.kind is SessionKind.PROCESS_GROUP and s.status.value != "cancelled"
    ]
    assignments = await services.assignments.assignments()
    for _ in range(3):
        kind = rng.choice(["alert", "rsvp", "assignment"])
        note(journal, f"intent {kind}")
        if kind == "alert":
            alert = await services.support.raise_support_alert()
            note(journal, f"queued alert {alert.id}")
        elif kind == "rsvp":
            item = rng.choice(groups)
            response = rng.choice(list(RsvpResponse))
            await services.schedule.set_rsvp(item.id, response, "")
            note(journal, f"queued rsvp {item.id}:{response.value}")
        else:
            target = rng.choice(assignments)
            await services.assignments.complete_assignment(target.id, f"answer {seed}")
            note(journal, f"queued assignment {target.id}")
    await services.sync.sync_now()
    note(journal, "synced")
    await services.close()


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3])))
