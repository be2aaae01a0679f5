"""The faulty-network test of issue 10: lost, repeated and late *replies* over hundreds of rounds.

The real clinic on loopback with 1 s access tokens (so the app refreshes all the time); between
the app core and it, a transport that — at random, seeded — lets the clinic act and then loses its
reply, delivers a request twice, delays the reply, or loses the request, for refresh, mutations and
support alerts. The app core is restarted (new services over the same data dir and keychain) and so
is the clinic. At the end: every alert the patient raised is at the clinic exactly once, every
change applied once, and the device was never wiped.

Re-run a failure with the seed it prints: WAYPOINT_FAULT_SEED=<seed>.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

import app.domain.alerts
from app.domain.model import RsvpResponse
from app.secrets.memory import MemorySecretStore
from app.services.patient import CoreServices
from app.store.database import STORE_FILE
from tests.integration.fault_transport import FaultTransport
from tests.integration.test_vertical_path import this_week
from tests.support.clinic_server import ClinicServer

ROUNDS = 200
FAULT_RATE = 0.35  # chance that one mutation batch or alert call meets a fault
REFRESH_FAULT_RATE = 0.5  # refreshes are rarer (one a second at most): hit them more often
APP_RESTART = 0.07
APP_CUT = 0.03  # chance that the app core is stopped in the middle of a sync (then restarted)
CLINIC_RESTARTS = (70, 140)  # rounds after which the clinic is stopped and started again


def utc_now() -> datetime:
    return datetime.now(UTC)


@pytest.fixture
def clinic(tmp_path: Path) -> Iterator[ClinicServer]:
    with ClinicServer(tmp_path / "clinic", extra_args=["--access-ttl-seconds", "1"]) as server:
        yield server


def seed_from_env() -> int:
    value = os.environ.get("WAYPOINT_FAULT_SEED")
    return int(value) if value else random.SystemRandom().randrange(2**32)


async def test_lost_repeated_and_late_replies_lose_no_alert_duplicate_none_and_wipe_nothing(
    clinic: ClinicServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every tap here is a new alert, as once REPEAT_WINDOW has passed: this test is about delivering
    # many distinct alerts through faults, not about a double tap being one (tests/unit/domain).
    monkeypatch.setattr(app.domain.alerts, "REPEAT_WINDOW", timedelta(0))
    seed = seed_from_env()
    print(f"fault seed {seed}: re-run with WAYPOINT_FAULT_SEED={seed}")
    rng = random.Random(seed)
    transport = FaultTransport(rng=random.Random(rng.getrandbits(64)))
    secrets = MemorySecretStore()  # the keychain outlives every restart of the app core
    data_dir = tmp_path / "app-data"

    def start() -> CoreServices:
        return CoreServices(
            data_dir, secrets, transport=transport, clock=utc_now, sync_interval=3600, autosync=False
        )

    services = start()
    try:
        account = await services.account.sign_in_with_password(clinic.url, "alex", "waypoint-demo")
        before_alerts = {a["id"] for a in clinic.support_alerts()}
        before_audit = clinic.audit_actions(account.account_id)
        monday, sunday = this_week()
        week = await services.schedule.overview(monday + timedelta(days=7), sunday + timedelta(days=7))
        items = [s.id for s in week.sessions]
        assert items

        transport.rates = {"refresh": REFRESH_FAULT_RATE, "mutations": FAULT_RATE, "alerts": FAULT_RATE}
        raised: list[str] = []
        rsvps = 0
        app_restarts = 0
        for round_no in range(ROUNDS):
            where = f"seed {seed}, round {round_no}"
            if round_no % 40 == 0:  # at least a few of the worst kind, whatever the dice say
                for kind in ("refresh", "mutations", "alerts"):
                    transport.script.setdefault(kind, []).append("drop_reply")
            roll = rng.random()
            if roll < 0.3:
                raised.append((await services.support.raise_support_alert()).id)
            elif roll < 0.6:
                response = rng.choice(list(RsvpResponse))
                await services.schedule.set_rsvp(rng.choice(items), response, "")
                rsvps += 1
            if rng.random() < APP_CUT:  # the process dies mid-sync: whatever was in flight is lost
                cut = asyncio.create_task(services.sync.sync_now())
                await asyncio.sleep(rng.uniform(0, 0.05))
                cut.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await cut
                await services.close()
                services = start()
                app_restarts += 1
            status = await services.sync.sync_now()
            assert await services.account.current_account() is not None, (
                f"device wiped ({status.problem}); {where}"
            )
            assert status.problem in (None, "sync.connection_lost", "sync.offline"), where
            if rng.random() < APP_RESTART:
                await services.close()
                services = start()
                app_restarts += 1
            if round_no in CLINIC_RESTARTS:
                clinic.stop()
                clinic.start()

        transport.rates, transport.script = {}, {}  # the network heals: everything queued must go out
        for _ in range(10):
            status = await services.sync.sync_now()
            if status.pending == 0 and status.problem is None:
                break
        where = f"seed {seed}"
        assert (status.pending, status.problem) == (0, None), where
        assert await services.account.current_account() is not None, where
        assert (data_dir / STORE_FILE).exists(), where
        rejected = await services.schedule.rejected_changes()
    finally:
        await services.close()
        await transport.shutdown()

    injected = Counter(kind for kind, _fault in transport.injected.elements())
    print(f"faults injected: {dict(transport.injected)}; app restarts: {app_restarts}")
    assert raised, where
    assert min(injected["refresh"], injected["mutations"], injected["alerts"]) > 0, where
    assert transport.injected[("refresh", "drop_reply")] >= 4, where

    at_clinic = Counter(a["id"] for a in clinic.support_alerts() if a["id"] not in before_alerts)
    assert at_clinic == Counter(set(raised)), f"alerts lost or duplicated; {where}"
    assert len(set(raised)) == len(raised)
    actions = clinic.audit_actions(account.account_id) - before_audit
    assert actions["support_alert.raise"] <= len(raised), where  # never audited twice
    assert actions["rsvp.set"] == rsvps - len(rejected), f"changes lost or applied twice; {where}"
