"""Run the staff console (`python -m console`, Flet web mode, no CDN) as a subprocess on loopback.

    with ConsoleServer(tmp_path, clinic.url) as console:
        console.url                                   # "http://127.0.0.1:PORT/"
        console.connections_to(clinic.port)           # open TCP connections the console holds to the clinic

The console keeps no idle keep-alive connections (console/api.py), so what it holds open to the
clinic between requests is its sessions' live streams: `connections_to` counts them.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from types import TracebackType

from tests.support.app_server import ROOT, START_TIMEOUT, free_port

ESTABLISHED = "01"


class ConsoleServer:
    def __init__(
        self,
        tmp_dir: Path,
        clinic_url: str,
        *,
        idle_timeout: float | None = None,
        disconnect_grace: float | None = None,
    ) -> None:
        self.clinic_url = clinic_url
        self.idle_timeout = idle_timeout
        self.disconnect_grace = disconnect_grace
        self.log_path = Path(tmp_dir) / "console.log"
        self.port = free_port()
        self._proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    @property
    def pid(self) -> int:
        assert self._proc is not None, "the console is not running"
        return self._proc.pid

    def command(self) -> list[str]:
        cmd = [sys.executable, "-m", "console", "--clinic-url", self.clinic_url, "--port", str(self.port)]
        if self.idle_timeout is not None:
            cmd += ["--idle-timeout", str(self.idle_timeout)]
        if self.disconnect_grace is not None:
            cmd += ["--disconnect-grace", str(self.disconnect_grace)]
        return cmd

    def start(self) -> ConsoleServer:
        env = {**os.environ, "FLET_FORCE_WEB_SERVER": "1", "PYTHONUNBUFFERED": "1"}
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("ab") as log:
            self._proc = subprocess.Popen(
                self.command(), cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                raise RuntimeError(f"console exited with {self._proc.returncode}; see {self.log_path}")
            try:
                with urllib.request.urlopen(self.url, timeout=2) as answer:  # noqa: S310 - loopback only
                    if answer.status == 200:
                        return self
            except (urllib.error.URLError, OSError):
                time.sleep(0.2)
        self.stop()
        raise TimeoutError(
            f"console did not serve {self.url} within {START_TIMEOUT:.0f} s; see {self.log_path}"
        )

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

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def connections_to(self, port: int) -> int:
        """Established TCP connections from this console process to `port` on loopback (Linux /proc)."""
        inodes = set()
        fd_dir = Path(f"/proc/{self.pid}/fd")
        for fd in fd_dir.iterdir():
            try:
                target = os.readlink(fd)
            except OSError:
                continue  # closed meanwhile
            if target.startswith("socket:["):
                inodes.add(target[len("socket:[") : -1])
        count = 0
        for table in ("tcp", "tcp6"):
            path = Path(f"/proc/{self.pid}/net/{table}")
            if not path.exists():
                continue
            for line in path.read_text().splitlines()[1:]:
                fields = line.split()
                remote_port = int(fields[2].rsplit(":", 1)[1], 16)
                if fields[3] == ESTABLISHED and remote_port == port and fields[9] in inodes:
                    count += 1
        return count

    def __enter__(self) -> ConsoleServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
