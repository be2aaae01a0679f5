"""A sign-in whose first sync meets a lost reply: the app tries again on its own, soon.

Sign-in syncs once so the week is on screen at once, then hands over to the background loop. That
loop used to start by waiting its whole interval (five minutes by default), whatever the sign-in's
sync had met: one reply lost on the way back left a newly signed-in patient on "Offline · not
synced yet" with an empty week for minutes (CI, test_today_first_frame). The loop now follows the
backoff after a failed round, its owner's first one included.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

from app.secrets.memory import MemorySecretStore
from app.services.patient import CoreServices
from tests.integration.fault_transport import FaultTransport
from tests.support.clinic_server import ClinicServer

RETRY_WITHIN = 10.0  # seconds; the first backoff is at most 1 s, the interval here is an hour


async def test_a_lost_reply_to_the_first_sync_is_retried_without_waiting_the_interval(
    clinic_server: ClinicServer, tmp_path: Path
) -> None:
    transport = FaultTransport()
    transport.script["pull"] = ["drop_reply"]  # the clinic answers the first pull; the app never hears
    services = CoreServices(
        tmp_path / "app-data", MemorySecretStore(), transport=transport,
        clock=lambda: datetime.now(UTC), sync_interval=3600,
    )  # fmt: skip
    try:
        await services.account.sign_in_with_password(clinic_server.url, "alex", "waypoint-demo")
        assert services.sync.status().problem == "sync.connection_lost"
        assert services.sync.status().last_synced is None
        loop = asyncio.get_running_loop()
        deadline = loop.time() + RETRY_WITHIN
        while services.sync.status().last_synced is None and loop.time() < deadline:
            await asyncio.sleep(0.05)
        status = services.sync.status()
        assert status.last_synced is not None, f"no second try within {RETRY_WITHIN} s: {status}"
        assert (status.online, status.problem, status.next_try) == (True, None, None)
        assert transport.calls["pull"] >= 2
    finally:
        await services.close()
        await transport.shutdown()
