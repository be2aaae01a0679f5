"""Load benchmark: N simulated patients syncing and pushing against the real clinic server on loopback.

    .venv/bin/python -m bench.load_clinic [--patients 20] [--seconds 10] [--backends sqlite,postgres]

For each backend it starts `python -m clinic serve` (SQLite: a WAL file in a temp dir;
PostgreSQL: a throwaway Debian PostgreSQL 15, see tests/support/postgres.py), creates the
patients through the staff API (IOP weekly pattern applied) and enrols each with its one-time
code. Then every simulated patient, one thread each, loops until the time is up: an incremental
sync, an RSVP mutation, and every tenth round a support alert, while a staff client holds the
alert stream. Printed per backend: requests/s and p50/p99 latency (all requests, and per
operation), how long each alert took from its POST to the staff stream; then the ratio
PostgreSQL/SQLite.
Client and server share the machine's cores, so the figures are for comparison, not capacity.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx

from tests.support.clinic_server import ClinicServer
from tests.support.postgres import PostgresServer


@dataclass
class Result:
    backend: str
    seconds: float
    timings: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))  # name → ms
    alert_sent: dict[str, float] = field(default_factory=dict)  # alert id → perf_counter() before POST

    def all_ms(self) -> list[float]:
        """Every HTTP request's latency (not the stream delivery times)."""
        return [ms for name, values in self.timings.items() if name != DELIVERY for ms in values]

    @property
    def throughput(self) -> float:
        return len(self.all_ms()) / self.seconds


DELIVERY = "alert→staff stream"


class StaffStream:
    """The staff's alert stream, held open during the run: when each alert arrived (perf_counter())."""

    def __init__(self, url: str, token: str) -> None:
        self.url = f"{url}/v1/staff/support-alerts/stream"
        self.headers = {"Authorization": f"Bearer {token}", "Accept": "text/event-stream"}
        self.arrived: dict[str, float] = {}
        self.ready = threading.Event()
        self._loop = asyncio.new_event_loop()
        self._task: asyncio.Task[None] | None = None
        self._thread = threading.Thread(target=self._loop.run_until_complete, args=(self._main(),))

    async def _main(self) -> None:
        self._task = asyncio.current_task()
        with contextlib.suppress(asyncio.CancelledError):
            async with (
                httpx.AsyncClient(timeout=httpx.Timeout(10.0, read=None)) as client,
                client.stream("GET", self.url, headers=self.headers) as response,
            ):
                self.ready.set()
                async for line in response.aiter_lines():
                    if line.startswith("data:"):
                        self.arrived.setdefault(json.loads(line[5:])["id"], time.perf_counter())

    def __enter__(self) -> StaffStream:
        self._thread.start()
        self.ready.wait(30)
        time.sleep(0.3)  # past its first read
        return self

    def __exit__(self, *exc: object) -> None:
        if self._task is not None:
            self._loop.call_soon_threadsafe(self._task.cancel)
        self._thread.join(10)
        self._loop.close()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def enrol_patients(server: ClinicServer, n: int) -> list[str]:
    """n new patients of the demo clinic (pattern applied), each enrolled on one device: access tokens."""
    monday = date.today() - timedelta(days=date.today().weekday() + 28)
    tokens = []
    with httpx.Client(base_url=server.url, timeout=60) as client:
        staff = {"Authorization": f"Bearer {server.staff_token()}"}
        for i in range(n):
            body = {
                "display_name": f"Load {i}",
                "start_date": monday.isoformat(),
                "planned_weeks": 12,
                "apply_pattern": True,
            }
            created = client.post("/v1/staff/patients", json=body, headers=staff)
            created.raise_for_status()
            code = created.json()["enrolment_code"]
            enrolled = client.post("/v1/auth/enrol", json={"code": code, "device_name": "load"})
            enrolled.raise_for_status()
            tokens.append(enrolled.json()["access_token"])
    return tokens


def patient(url: str, token: str, deadline: float, result: Result, lock: threading.Lock) -> None:
    """One simulated patient: first sync, then sync + RSVP (+ an alert every tenth round) until deadline."""
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=30) as client:

        def timed(name: str, request: httpx.Request) -> httpx.Response:
            start = time.perf_counter()
            response = client.send(request)
            elapsed = (time.perf_counter() - start) * 1000
            response.raise_for_status()
            with lock:
                result.timings[name].append(elapsed)
            return response

        cursor: str | None = None
        items: list[str] = []
        while True:
            params = {"cursor": cursor} if cursor else {}
            body = timed("sync.first", client.build_request("GET", "/v1/sync", params=params)).json()
            items += [c["id"] for c in body["changes"] if c["type"] == "schedule_item"]
            cursor = body["cursor"]
            if not body["has_more"]:
                break
        rounds = 0
        while time.monotonic() < deadline:
            sync = client.build_request("GET", "/v1/sync", params={"cursor": cursor})
            cursor = timed("sync.incremental", sync).json()["cursor"]
            rsvp = {
                "id": str(uuid.uuid4()),
                "type": "rsvp.set",
                "base_version": None,
                "payload": {"schedule_item_id": items[rounds % len(items)], "response": "going"},
            }
            timed("mutation", client.build_request("POST", "/v1/mutations", json={"mutations": [rsvp]}))
            if rounds % 10 == 9:
                alert_id = str(uuid.uuid4())
                alert = client.build_request(
                    "POST",
                    "/v1/support-alerts",
                    headers={"Idempotency-Key": alert_id},
                    json={"created_at": datetime.now(UTC).isoformat()},
                )
                result.alert_sent[alert_id] = time.perf_counter()
                timed("support_alert", alert)
            rounds += 1


def run(backend: str, patients: int, seconds: float, pg: PostgresServer | None) -> Result:
    url = pg.create_database() if pg is not None else None
    with (
        tempfile.TemporaryDirectory(prefix="waypoint-bench-") as tmp,
        ClinicServer(Path(tmp), database_url=url) as server,
    ):
        tokens = enrol_patients(server, patients)
        lock = threading.Lock()
        result = Result(backend, seconds)
        with StaffStream(server.url, server.staff_token()) as stream:
            started = time.monotonic()
            with ThreadPoolExecutor(patients) as pool:
                futures = [
                    pool.submit(patient, server.url, t, started + seconds, result, lock) for t in tokens
                ]
                for future in futures:
                    future.result()
            result.seconds = time.monotonic() - started
            time.sleep(1.5)  # the last alerts' delivery
        for alert_id, sent in result.alert_sent.items():
            arrived = stream.arrived.get(alert_id)
            result.timings[DELIVERY].append(float("inf") if arrived is None else (arrived - sent) * 1000)
    if pg is not None and url is not None:
        pg.drop_database(url)
    return result


def report(result: Result, patients: int) -> None:
    every = result.all_ms()
    print(f"\n[{result.backend}] {patients} patients, {result.seconds:.1f} s, {len(every)} requests")
    print(f"  {'operation':<20}{'count':>7}{'req/s':>8}{'p50 ms':>9}{'p99 ms':>9}")
    rows = [("all requests", every), *sorted(result.timings.items())]
    for name, values in rows:
        rate = "" if name == DELIVERY else f"{len(values) / result.seconds:.0f}"
        p50, p99 = percentile(values, 0.5), percentile(values, 0.99)
        print(f"  {name:<20}{len(values):>7}{rate:>8}{p50:>9.1f}{p99:>9.1f}")


def compare(sqlite: Result, postgres: Result) -> None:
    a, b = sqlite.all_ms(), postgres.all_ms()
    print("\nPostgreSQL / SQLite (all requests):")
    print(f"  throughput {postgres.throughput / sqlite.throughput:.2f}x")
    print(f"  p50 latency {percentile(b, 0.5) / percentile(a, 0.5):.2f}x")
    print(f"  p99 latency {percentile(b, 0.99) / percentile(a, 0.99):.2f}x")
    a, b = sqlite.timings[DELIVERY], postgres.timings[DELIVERY]
    print(f"  alert delivery p99 {percentile(b, 0.99) / percentile(a, 0.99):.2f}x")


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--patients", type=int, default=20, choices=range(1, 201), metavar="1..200")
    parser.add_argument("--seconds", type=float, default=10.0, help="per backend (1..120)")
    parser.add_argument("--backends", default="sqlite,postgres", help="comma-separated: sqlite,postgres")
    args = parser.parse_args()
    seconds = max(1.0, min(args.seconds, 120.0))
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    unknown = set(backends) - {"sqlite", "postgres"}
    if unknown:
        parser.error(f"unknown backend(s): {', '.join(sorted(unknown))}")
    pg = PostgresServer().start() if "postgres" in backends else None
    try:
        results = {b: run(b, args.patients, seconds, pg if b == "postgres" else None) for b in backends}
    finally:
        if pg is not None:
            pg.stop()
    for result in results.values():
        report(result, args.patients)
    if "sqlite" in results and "postgres" in results:
        compare(results["sqlite"], results["postgres"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
