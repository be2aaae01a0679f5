"""Run the real Waypoint app (`python -m app.main`, Flet web mode, no CDN) as a subprocess on loopback."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from types import TracebackType
from typing import Self

from tests.support.logs import note_log_tail

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 60.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class AppServer:
    """One app process; `start()` waits until it serves its page, `stop()` ends it, `restart()` both."""

    def __init__(
        self,
        data_dir: Path,
        *,
        clinic_url: str = "",
        lock_after: int | None = None,
        services: str | None = None,
        sync_interval: float | None = None,
        log_path: Path | None = None,
        extra_env: dict[str, str] | None = None,
    ) -> None:
        self.data_dir = data_dir
        self.clinic_url = clinic_url
        self.lock_after = lock_after
        self.services = services
        self.sync_interval = sync_interval
        self.log_path = log_path or data_dir.parent / f"{data_dir.name}-app.log"
        self.extra_env = extra_env or {}
        self.port = free_port()
        self._proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def command(self) -> list[str]:
        cmd = [sys.executable, "-m", "app.main", "--data-dir", str(self.data_dir), "--port", str(self.port)]
        cmd += ["--host", "127.0.0.1"]
        if self.clinic_url:
            cmd += ["--clinic-url", self.clinic_url]
        if self.lock_after is not None:
            cmd += ["--lock-after", str(self.lock_after)]
        if self.sync_interval is not None:
            cmd += ["--sync-interval", str(self.sync_interval)]
        if self.services:
            cmd += ["--services", self.services]
        return cmd

    def start(self) -> Self:
        if self._proc is not None:
            return self
        env = {**os.environ, "FLET_FORCE_WEB_SERVER": "1", "PYTHONUNBUFFERED": "1", **self.extra_env}
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("ab") as log:
            self._proc = subprocess.Popen(
                self.command(), cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                raise RuntimeError(f"app exited with {self._proc.returncode}; see {self.log_path}")
            try:
                with urllib.request.urlopen(self.url, timeout=2) as answer:  # noqa: S310 - loopback only
                    if answer.status == 200:
                        return self
            except (urllib.error.URLError, OSError):
                time.sleep(0.2)
        self.stop()
        raise TimeoutError(f"app did not serve {self.url} within {START_TIMEOUT:.0f} s; see {self.log_path}")

    def stop(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)

    def restart(self) -> Self:
        self.stop()
        return self.start()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
        if exc is not None:
            note_log_tail(exc, "the app's", self.log_path)
