"""Run the real clinic backend as a subprocess on a free loopback port, and talk to it in tests.

Stable API (app integration and browser e2e tests import it):

    with ClinicServer(tmp_path) as clinic:          # seed="demo" by default
        clinic.url                                   # "http://127.0.0.1:PORT"
        clinic.patient_token("alex", "waypoint-demo")
        clinic.enrolment_code("alex")                # a fresh one-time code
        clinic.stop(); clinic.start()                # down and up again: same port, same database
        clinic.kill()                                # SIGKILL (crash)
        clinic.support_alerts(); clinic.ack_alert(alert_id)
        clinic.rsvps(patient_id); clinic.assignments(patient_id)
        clinic.stream_alerts(timeout=2.0)            # SSE events collected for that long
        clinic.patient_id("alex")

Demo accounts: patient alex / waypoint-demo (Alex Rivera), second patient morgan / waypoint-demo-2,
staff staff / waypoint-staff (Sam Ortiz). The server's output is in `tmp_dir / "clinic.log"`.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from types import TracebackType
from typing import Any

import httpx

from tests.support.logs import note_log_tail

REPO = Path(__file__).resolve().parents[2]
DEMO_PATIENT = ("alex", "waypoint-demo")
DEMO_PATIENT_2 = ("morgan", "waypoint-demo-2")
DEMO_STAFF = ("staff", "waypoint-staff")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class ClinicServer:
    """The real `python -m clinic serve` in a subprocess, with a SQLite file in `tmp_dir` (or a URL)."""

    def __init__(
        self,
        tmp_dir: Path,
        seed: str | None = "demo",
        database_url: str | None = None,
        *,
        port: int | None = None,
        startup_timeout: float = 60.0,
        env: dict[str, str] | None = None,
        extra_args: list[str] | None = None,
    ) -> None:
        self.tmp_dir = Path(tmp_dir)
        self.tmp_dir.mkdir(parents=True, exist_ok=True)
        self.db_path = self.tmp_dir / "clinic.sqlite3"
        self.database_url = database_url
        self.seed = seed
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = self.tmp_dir / "clinic.log"
        self.startup_timeout = startup_timeout
        self.extra_env = env or {}
        self.extra_args = extra_args or []
        self._process: subprocess.Popen[bytes] | None = None
        self._staff_token: str | None = None

    # -- lifecycle ------------------------------------------------------------------------------

    def start(self) -> ClinicServer:
        """Start (or restart) the server on the same port and database; returns once it is healthy."""
        if self.running:
            return self
        cmd = [
            sys.executable,
            "-m",
            "clinic",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--log-level",
            "warning",
        ]
        cmd += ["--database-url", self.database_url] if self.database_url else ["--db", str(self.db_path)]
        if self.seed:
            cmd += ["--seed", self.seed]
        cmd += self.extra_args
        env = {**os.environ, "PYTHONUNBUFFERED": "1", **self.extra_env}
        with self.log_path.open("ab") as log:
            self._process = subprocess.Popen(cmd, cwd=REPO, stdout=log, stderr=subprocess.STDOUT, env=env)
        self._wait_healthy()
        return self

    def _wait_healthy(self) -> None:
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            assert self._process is not None
            if self._process.poll() is not None:
                raise RuntimeError(
                    f"clinic server exited with {self._process.returncode}; see {self.log_path}"
                )
            try:
                if httpx.get(f"{self.url}/v1/health", timeout=1.0).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        self.kill()
        raise TimeoutError(f"clinic server not healthy within {self.startup_timeout}s; see {self.log_path}")

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def stop(self, timeout: float = 10.0) -> int | None:
        """Graceful shutdown (SIGTERM), killed if not done in `timeout` s; the database stays for start().

        Returns the exit status (-9: it had to be killed), None if it was not running."""
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return None
        process.send_signal(signal.SIGTERM)
        try:
            return process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            return process.wait(timeout)

    def kill(self) -> None:
        """SIGKILL, as in a crash; the database stays."""
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.kill()
            process.wait(10)

    def __enter__(self) -> ClinicServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
        if exc is not None:
            note_log_tail(exc, "the clinic's", self.log_path)

    # -- helpers for tests ----------------------------------------------------------------------

    def client(self, token: str | None = None, timeout: float = 10.0) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=timeout)

    def sign_in(self, username: str, password: str, device_name: str = "test") -> dict[str, Any]:
        """The full TokenResponse."""
        body = {"username": username, "password": password, "device_name": device_name}
        response = httpx.post(f"{self.url}/v1/auth/token", json=body, timeout=10.0)
        response.raise_for_status()
        result: dict[str, Any] = response.json()
        return result

    def patient_token(self, username: str = DEMO_PATIENT[0], password: str = DEMO_PATIENT[1]) -> str:
        return str(self.sign_in(username, password)["access_token"])

    def staff_token(self) -> str:
        """A staff access token (cached; signed in again after a restart or expiry)."""
        if self._staff_token is not None:
            probe = httpx.get(
                f"{self.url}/v1/staff/patients", headers=self._auth(self._staff_token), timeout=10
            )
            if probe.status_code == 200:
                return self._staff_token
        self._staff_token = str(self.sign_in(*DEMO_STAFF, device_name="staff-test")["access_token"])
        return self._staff_token

    def _auth(self, token: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {token}"}

    def _staff(self, method: str, path: str, **kwargs: Any) -> Any:
        response = httpx.request(
            method, f"{self.url}{path}", headers=self._auth(self.staff_token()), timeout=10.0, **kwargs
        )
        response.raise_for_status()
        return response.json() if response.content else None

    def patients(self) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = self._staff("GET", "/v1/staff/patients")
        return result

    def patient_id(self, username: str) -> str:
        for p in self.patients():
            if p["username"] == username:
                return str(p["id"])
        raise LookupError(username)

    def enrolment_code(self, patient_username: str = DEMO_PATIENT[0]) -> str:
        pid = self.patient_id(patient_username)
        return str(self._staff("POST", f"/v1/staff/patients/{pid}/enrolment-codes")["code"])

    def support_alerts(self) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = self._staff("GET", "/v1/staff/support-alerts")
        return result

    def ack_alert(self, alert_id: str) -> dict[str, Any]:
        result: dict[str, Any] = self._staff("POST", f"/v1/staff/support-alerts/{alert_id}/ack")
        return result

    def audit_actions(self, patient_id: str) -> Counter[str]:
        """How many times each action was applied to this patient's records (the audit log)."""
        counts: Counter[str] = Counter()
        before: int | None = None
        for _ in range(1000):
            params: dict[str, Any] = {"patient_id": patient_id, "limit": 1000}
            if before is not None:
                params["before"] = before
            page = self._staff("GET", "/v1/staff/audit", params=params)
            counts.update(e["action"] for e in page)
            if len(page) < 1000:
                return counts
            before = page[-1]["id"]
        raise AssertionError("audit log did not end")

    def rsvps(self, patient_id: str) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = self._staff("GET", f"/v1/staff/patients/{patient_id}/rsvps")
        return result

    def assignments(self, patient_id: str) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = self._staff("GET", f"/v1/staff/patients/{patient_id}/assignments")
        return result

    def add_assignment(self, patient_id: str, title: str, modality: str = "CBT") -> dict[str, Any]:
        result: dict[str, Any] = self._staff(
            "POST",
            f"/v1/staff/patients/{patient_id}/assignments",
            json={"title": title, "modality": modality},
        )
        return result

    def schedule(self, patient_id: str) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = self._staff("GET", f"/v1/staff/patients/{patient_id}/schedule")
        return result

    def stream_alerts(self, timeout: float, last_event_id: str | None = None) -> list[dict[str, Any]]:
        """Collect the staff SSE stream for `timeout` seconds: [{"id", "event", "data"}] (data parsed)."""
        stream = AlertStream(self.url, self.staff_token(), last_event_id)
        stream.run_until(time.monotonic() + timeout)
        return stream.events

    def open_alert_stream(self, last_event_id: str | None = None, poll: float = 0.5) -> AlertStream:
        """A staff SSE stream read by a background thread; call .close() (or use `with`).

        `poll` is the read timeout after which an idle connection is dropped and reopened with
        Last-Event-ID; a test about live delivery sets it long and checks `connections == 1`.
        """
        stream = AlertStream(self.url, self.staff_token(), last_event_id, poll=poll)
        stream.start()
        return stream


RECONNECT_PAUSE = 0.1  # s between a broken connection and the next try (a browser waits `retry:`)


class AlertStream:
    """Reads /v1/staff/support-alerts/stream; reconnects with Last-Event-ID like a browser would."""

    def __init__(self, url: str, token: str, last_event_id: str | None = None, poll: float = 0.5) -> None:
        self.url = f"{url}/v1/staff/support-alerts/stream"
        self.token = token
        self.last_event_id = last_event_id
        self.poll = poll
        self.events: list[dict[str, Any]] = []
        self.connections = 0  # how many times the stream was (re)opened
        self.received_at: list[float] = []  # time.monotonic() of each event
        self._seen: set[str] = set()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._changed = threading.Condition()
        self.lapsed: dict[str, Any] | None = None  # the final `auth_lapsed` event's problem, if any
        self.refused: int | None = None  # the status of a reconnect the server refused
        self._response: httpx.Response | None = None  # the connection being read, for close()

    def run_until(self, deadline: float) -> None:
        while not self._stop.is_set() and time.monotonic() < deadline:
            headers = {"Authorization": f"Bearer {self.token}", "Accept": "text/event-stream"}
            if self.last_event_id is not None:
                headers["Last-Event-ID"] = self.last_event_id
            try:
                with httpx.stream(
                    "GET", self.url, headers=headers, timeout=httpx.Timeout(5.0, read=self.poll)
                ) as r:
                    if r.status_code != 200:
                        # The credential is gone (a browser's EventSource gives up too): say so, stop.
                        r.read()
                        self.refused = r.status_code
                        return
                    self.connections += 1
                    self._response = r
                    try:
                        self._read(r, deadline)
                    finally:
                        self._response = None
            except httpx.ReadTimeout:  # idle past `poll`: reconnect at once
                continue
            except httpx.TransportError:
                # Reset, refused or cut short: reconnect, as a browser's EventSource does after any
                # network error. (A clinic stopped as the request arrived resets it; the reader once
                # died of that and missed every later event.)
                self._stop.wait(RECONNECT_PAUSE)
                continue
            if self.lapsed is not None:
                return

    def _read(self, response: httpx.Response, deadline: float) -> None:
        event: dict[str, Any] = {}
        for line in response.iter_lines():
            if line == "":
                if event.get("event") == "auth_lapsed":
                    self.lapsed = event.get("data")
                    return
                if "data" in event:
                    self._add(event)
                event = {}
            elif line.startswith("id:"):
                event["id"] = line[3:].strip()
            elif line.startswith("event:"):
                event["event"] = line[6:].strip()
            elif line.startswith("data:"):
                event["data"] = json.loads(line[5:].strip())
            if self._stop.is_set() or time.monotonic() >= deadline:
                return

    def _add(self, event: dict[str, Any]) -> None:
        with self._changed:
            if "id" in event:
                self.last_event_id = event["id"]
                if event["id"] in self._seen:
                    return
                self._seen.add(event["id"])
            self.events.append(event)
            self.received_at.append(time.monotonic())
            self._changed.notify_all()

    def start(self) -> None:
        self._thread = threading.Thread(target=self.run_until, args=(float("inf"),), daemon=True)
        self._thread.start()

    def wait_for(self, predicate: Any, timeout: float) -> dict[str, Any] | None:
        """The first event for which predicate(event) is true, waiting up to `timeout` seconds."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                for event in self.events:
                    if predicate(event):
                        return event
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return None
                self._changed.wait(remaining)

    def close(self) -> None:
        """Stop reading and hang up at once, as a browser closing the page does.

        The reader may be blocked in a read for up to `poll` seconds: shutting the socket down
        wakes it, so neither this call nor the server (whose graceful shutdown waits for open
        streams) is kept waiting by a connection nobody reads any more.
        """
        self._stop.set()
        response = self._response
        if response is not None:
            stream = response.extensions.get("network_stream")
            sock = stream.get_extra_info("socket") if stream is not None else None
            if isinstance(sock, socket.socket):
                with contextlib.suppress(OSError):  # already closed by the reader
                    sock.shutdown(socket.SHUT_RDWR)
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> AlertStream:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
