"""Crash test: SIGKILL the app's sync process at random points; every queued change lands exactly once."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from app.services.patient import CoreServices
from tests.support.clinic_server import REPO, ClinicServer

RUNS = 50


def run_child(data_dir: Path, seed: int, journal: Path, kill_after: float | None) -> None:
    cmd = [sys.executable, "-m", "tests.integration.crash_child", str(data_dir), str(seed), str(journal)]
    child = subprocess.Popen(
        cmd, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=os.environ.copy()
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == b"ready"
        if kill_after is None:
            assert child.wait(60) == 0
            return
        time.sleep(kill_after)
        child.send_signal(signal.SIGKILL)
        child.wait(10)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(10)
        if child.stdout is not None:
            child.stdout.close()


async def test_sigkill_at_random_points_delivers_every_change_exactly_once(
    services: CoreServices, clinic_server: ClinicServer, data_dir: Path, tmp_path: Path
) -> None:
    account = await services.account.sign_in_with_password(clinic_server.url, "alex", "waypoint-demo")
    await services.close()  # the children are the app process from here on
    baseline = clinic_server.audit_actions(account.account_id)
    journal = tmp_path / "journal.txt"
    rng = random.Random(20260301)
    started = time.monotonic()
    for seed in range(RUNS):
        run_child(data_dir, seed, journal, kill_after=rng.uniform(0.0, 0.35))
    run_child(data_dir, RUNS, journal, kill_after=None)  # the app starts once more and syncs
    elapsed = time.monotonic() - started

    lines = journal.read_text().splitlines()
    queued = [line.split() for line in lines if line.startswith("queued ")]
    intents = Counter(line.split()[1] for line in lines if line.startswith("intent "))
    told = Counter(kind for _, kind, _ in queued)
    unconfirmed = {kind: intents[kind] - told[kind] for kind in intents}  # killed mid-request

    alerts = Counter(a["id"] for a in clinic_server.support_alerts())
    queued_alerts = [ident for _, kind, ident in queued if kind == "alert"]
    assert all(alerts[a] == 1 for a in queued_alerts), "a queued alert was lost or duplicated"
    assert all(n == 1 for n in alerts.values())
    assert len(alerts) - len(queued_alerts) <= unconfirmed.get("alert", 0)

    actions = clinic_server.audit_actions(account.account_id) - baseline
    for kind, action in (("rsvp", "rsvp.set"), ("assignment", "assignment.complete")):
        assert told[kind] <= actions[action] <= told[kind] + unconfirmed.get(kind, 0), (kind, actions)

    # What the server holds is what the patient last said for each session.
    last: dict[str, str] = {}
    for _, kind, ident in queued:
        if kind == "rsvp":
            item, response = ident.split(":")
            last[item] = response
    server = {r["schedule_item_id"]: r["response"] for r in clinic_server.rsvps(account.account_id)}
    if not unconfirmed.get("rsvp"):
        assert all(server[item] == response for item, response in last.items())
    assert sum(told.values()) >= RUNS  # the kills did not stop every run before it queued anything
    assert lines.count("synced") < RUNS // 2  # and most runs really died mid-sync
    assert elapsed < 120
