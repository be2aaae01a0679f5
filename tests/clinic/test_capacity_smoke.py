"""The capacity bench (bench/capacity.py + bench/locustfile.py) at tiny scale, so it cannot rot.

Three patients (one app sync every 2 s, a compressed 2-second day of RSVPs, check-ins and
alerts), two staff consoles holding the queue stream, for a few seconds on SQLite; then the
floor and the idle-stream RSS at a few streams. The runner runs Locust in its own subprocess,
so gevent's monkey-patching never reaches this test process. It must print the capacity table
with every request kind answered and not one failure; its latency figures are not judged here
(the machine is shared), only that the machinery measures.
"""

from __future__ import annotations

import re
import subprocess
import sys

from tests.support.clinic_server import REPO

ARGS = [
    "--configs", "sqlite", "--start", "3", "--max-patients", "3", "--measure-seconds", "5",
    "--sync-seconds", "2", "--day-seconds", "2", "--alerts-per-day", "3", "--streams", "20",
    "--idle-seconds", "1", "--floor-seconds", "2", "--floor-users", "2", "--consoles", "2",
]  # fmt: skip


def test_the_capacity_runner_measures_a_tiny_clinic_and_prints_its_table() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "bench.capacity", *ARGS],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    out = run.stdout

    summary = re.search(
        r"^\| SQLite, 1 process \| \*\*(\w+)\*\* \| 3 \((\d+), (\d+), \d+ %\) \|(.*)$", out, re.M
    )
    assert summary is not None, out
    assert summary.group(3) == "0", out  # no request failed, no stream dropped, every alert delivered
    assert "(20 streams)" in summary.group(4)  # the idle streams were all answered
    assert re.search(r"\*\*\d+\.\d\d\*\* \(\d+ / \d+ req/s\)", summary.group(4)), out  # the floor's ratio

    kinds = dict(re.findall(r"^\| ([^|]+?) \| (\d+) \| [^|]+ \| [^|]+ \| [^|]+ \| 0 \|$", out, re.M))
    for kind in ("sync: every 2 s (app open)", "mutation: rsvp.set", "alert → staff stream"):
        assert int(kinds.get(kind, "0")) > 0, out
    for floor in ("bare FastAPI (async def)", "no-change sync"):
        assert re.search(rf"^\| {re.escape(floor)} \| [1-9]\d* \|", out, re.M), out
