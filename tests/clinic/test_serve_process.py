"""The serving process: start-up objects kept out of full garbage collections; idle connections kept.

A full (generation 2) collection walks every tracked object while holding the GIL: with the ~145,000
objects start-up builds it held every request for 180-270 ms (docs/PERFORMANCE.md, "Clinic
capacity"). `python -m clinic serve` freezes them before it starts serving.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.support.clinic_server import REPO, ClinicServer

# Runs `python -m clinic serve` in a fresh interpreter up to the point where uvicorn would start,
# and reports what the collector would walk there.
PROBE = """
import gc, sys
import uvicorn
from clinic import cli

def run(app, **kwargs):
    print(gc.get_freeze_count(), len(gc.get_objects()))

uvicorn.run = run
cli.main(["serve", "--db", sys.argv[1]])
"""


def test_a_full_collection_in_the_serving_process_skips_what_start_up_built(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(tmp_path / "clinic.sqlite3")],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    frozen, tracked = (int(n) for n in done.stdout.split()[-2:])
    assert frozen > 50_000, f"start-up objects left to every full collection ({frozen} frozen)"
    assert tracked < frozen / 10, f"{tracked} objects still tracked against {frozen} frozen"


def test_an_app_that_syncs_every_minute_keeps_its_connection(tmp_path: Path) -> None:
    """An open app syncs every 60 s. uvicorn's default closed a keep-alive connection after 5 s
    idle, so every periodic sync paid a new connection — the capacity bench's slowest syncs were
    those, while the server's own handling of them stayed under 51 ms (docs/PERFORMANCE.md)."""
    keep = httpx.Limits(keepalive_expiry=60)  # the client keeps it (httpx's default drops it after 5 s)
    with (
        ClinicServer(tmp_path) as server,
        httpx.Client(base_url=server.url, timeout=10, limits=keep) as client,
    ):

        def local_port() -> int:
            response = client.get("/v1/health")
            assert response.status_code == 200
            return int(response.extensions["network_stream"].get_extra_info("client_addr")[1])

        first = local_port()
        time.sleep(6)  # idle longer than the old 5 s keep-alive (the idle time is the condition)
        assert local_port() == first, "the server closed an idle connection the app was about to use"
