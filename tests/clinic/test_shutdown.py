"""Stopping the clinic (SIGTERM) is a clean stop even while apps hold live streams open."""

from __future__ import annotations

import signal
import threading
import time
from pathlib import Path

import httpx

from tests.clinic.conftest import ServerFactory
from tests.clinic.helpers import auth


def test_sigterm_with_an_open_live_stream_stops_the_server_cleanly_within_its_grace(
    new_server: ServerFactory, tmp_path: Path
) -> None:
    server = new_server(tmp_path, env={"WAYPOINT_SHUTDOWN_GRACE_SECONDS": "2"}).start()
    token = server.patient_token()
    opened = threading.Event()
    ended: list[str] = []

    def read() -> None:
        timeout = httpx.Timeout(5.0, read=60.0)
        try:
            with httpx.stream("GET", f"{server.url}/v1/stream", headers=auth(token), timeout=timeout) as r:
                assert r.status_code == 200
                for line in r.iter_lines():
                    if line.startswith("event:"):
                        opened.set()
            ended.append("closed")
        except httpx.HTTPError as exc:
            ended.append(type(exc).__name__)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    assert opened.wait(10), "the live stream never sent its first event"
    began = time.monotonic()
    status = server.stop(timeout=20)
    took = time.monotonic() - began
    # Ended by the SIGTERM itself (uvicorn re-raises it once it has shut down), not killed (-9)
    # after waiting for a stream that never ends.
    assert status == -signal.SIGTERM, f"exit status {status} after {took:.1f} s; see {server.log_path}"
    assert took < 2 + 8, took
    reader.join(10)
    assert ended, "the app's stream was still open after the server stopped"
