"""Clinic capacity: how many patients one deployment carries, open-loop, with Locust.

    .venv/bin/python -m bench.capacity [--configs sqlite,postgres,postgres-2] [--start 100]
        [--budget-seconds 300] [--measure-seconds 60] [--streams 1000]

For each configuration — SQLite with one server process, PostgreSQL with one, PostgreSQL with
two behind a round-robin loopback proxy — it starts the real server (`python -m clinic serve`,
uvicorn, as deployed; PostgreSQL is a throwaway cluster from tests/support/postgres.py), seeds
patients through the staff API (each with the IOP weekly pattern over 12 weeks, ~60 schedule
items, enrolled on one device; every 10th shares "times" with a family member who signs up),
and runs Locust headless (bench/locustfile.py, in a subprocess) with the open-loop clinic mix
described there. N (patients, each with its app open and its live stream held) grows ×2 from
`--start` while a step passes — p99 of every request under 100 ms and not one failure (a
request, a stream dropped, an alert a console never got) — halves while the first steps fail,
then bisects between the last pass and the first failure, within `--budget-seconds` per
configuration (seeding included). Each step: a ramp at 50 users/s, then
stats reset and `--measure-seconds` of steady state.

Also per configuration: RSS of the server process(es) (VmRSS) on a fresh start with 0 and with
`--streams` idle patient streams open, and the CPU those idle streams cost; per one-process
configuration, the floor: closed-loop throughput of the no-change sync vs a bare FastAPI
endpoint served the same way (bench/bare_app.py), 10 s each, same client.
Prints Markdown tables, with the load average at each figure (the machine may be shared).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from tests.support.clinic_server import DEMO_STAFF, REPO, ClinicServer, free_port
from tests.support.postgres import PostgresServer

LOCUSTFILE = REPO / "bench" / "locustfile.py"
DELIVERY = "alert → staff stream"
P99_GOAL_MS = 100.0
CONSOLES = 10
CONFIGS = {"sqlite": ("sqlite", 1), "postgres": ("postgres", 1), "postgres-2": ("postgres", 2)}
LABELS = {
    "sqlite": "SQLite, 1 process",
    "postgres": "PostgreSQL, 1 process",
    "postgres-2": "PostgreSQL, 2 processes",
}


def load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


# -- statistics ------------------------------------------------------------------------------------


def percentile(buckets: dict[int, int], q: float) -> float:
    """The q-th percentile of Locust's response-time buckets (ms → count)."""
    total = sum(buckets.values())
    if not total:
        return float("nan")
    rank = q * total
    seen = 0
    for ms in sorted(buckets):
        seen += buckets[ms]
        if seen >= rank:
            return float(ms)
    return float(max(buckets))


def buckets_of(entry: dict[str, Any]) -> dict[int, int]:
    return {int(ms): n for ms, n in entry["response_times"].items()}


@dataclass
class Step:
    patients: int
    families: int
    seconds: float
    load: str
    raw: dict[str, Any]
    cpu_percent: float = 0.0  # the server process(es)' CPU during the step, % of one core

    def requests(self) -> dict[str, dict[str, Any]]:
        return {k: v for k, v in self.raw["entries"].items() if k != DELIVERY}

    def all_buckets(self) -> dict[int, int]:
        merged: dict[int, int] = {}
        for entry in self.requests().values():
            for ms, n in buckets_of(entry).items():
                merged[ms] = merged.get(ms, 0) + n
        return merged

    @property
    def count(self) -> int:
        return sum(e["count"] for e in self.requests().values())

    @property
    def failures(self) -> int:
        return sum(int(e["failures"]) for e in self.raw["entries"].values()) + int(
            self.raw["deliveries_missing"]
        )

    @property
    def p50(self) -> float:
        return percentile(self.all_buckets(), 0.50)

    @property
    def p99(self) -> float:
        return percentile(self.all_buckets(), 0.99)

    @property
    def delivery_p99(self) -> float:
        entry = self.raw["entries"].get(DELIVERY)
        return percentile(buckets_of(entry), 0.99) if entry else float("nan")

    @property
    def passed(self) -> bool:
        return self.failures == 0 and self.p99 < P99_GOAL_MS


@dataclass
class Outcome:
    config: str
    steps: list[Step] = field(default_factory=list)
    floor: dict[str, tuple[float, float, str]] = field(
        default_factory=dict
    )  # name → (req/s, server CPU ms per request, load)
    rss: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0
    seed_seconds: float = 0.0  # seeding so far on this database (an earlier configuration's included)
    seeded: int = 0

    @property
    def best(self) -> Step | None:
        passing = [s for s in self.steps if s.passed]
        return max(passing, key=lambda s: s.patients) if passing else None


# -- the deployment under test ------------------------------------------------------------------


class RoundRobinProxy:
    """One loopback address in front of several servers (asyncio, a thread): each new connection
    goes to the next server, bytes are copied both ways."""

    def __init__(self, ports: list[int]) -> None:
        self._ports = itertools.cycle(ports)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="capacity-proxy", daemon=True)

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._loop.run_until_complete(self._start())
        self._ready.set()
        self._loop.run_forever()

    async def _start(self) -> None:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", self.port, backlog=4096)

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", next(self._ports))
        except OSError:
            writer.close()
            return
        try:
            await asyncio.gather(_pipe(reader, up_writer), _pipe(up_reader, writer))
        except asyncio.CancelledError:  # the proxy is closing: end quietly (asyncio logs a cancelled handler)
            for side in (writer, up_writer):
                side.close()

    def __enter__(self) -> RoundRobinProxy:
        self._thread.start()
        self._ready.wait(10)
        return self

    def __exit__(self, *exc: object) -> None:
        asyncio.run_coroutine_threadsafe(self._stop(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)

    async def _stop(self) -> None:
        self._server.close()
        tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    with contextlib.suppress(OSError, asyncio.IncompleteReadError):
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    with contextlib.suppress(OSError):
        writer.close()


class Deployment:
    """One, or two (behind the proxy), real server processes on one database."""

    def __init__(self, root: Path, database_url: str | None, processes: int) -> None:
        self.servers = [
            ClinicServer(
                root / f"server-{i}",
                seed="demo" if i == 0 else None,
                database_url=database_url,
                extra_args=["--access-ttl-seconds", "900"],
            )
            for i in range(processes)
        ]
        self.proxy: RoundRobinProxy | None = None

    def __enter__(self) -> Deployment:
        for server in self.servers:
            server.start()
        if len(self.servers) > 1:
            self.proxy = RoundRobinProxy([s.port for s in self.servers]).__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.proxy is not None:
            self.proxy.__exit__()
        for server in self.servers:
            server.stop()

    @property
    def url(self) -> str:
        return self.proxy.url if self.proxy is not None else self.servers[0].url

    def pids(self) -> list[int]:
        return [s._process.pid for s in self.servers if s._process is not None]

    def restart(self) -> None:
        for server in self.servers:
            server.stop()
        for server in self.servers:
            server.start()


def rss_kb(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total


def sqlite_handles(pids: list[int]) -> int:
    """Open file descriptors on the SQLite database file: one per SQLite connection held."""
    count = 0
    for pid in pids:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            with contextlib.suppress(OSError):
                count += os.readlink(fd).endswith(".sqlite3")
    return count


def cpu_seconds(pids: list[int]) -> float:
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
    return total


# -- seeding through the staff API --------------------------------------------------------------


class Seeder:
    """Patients of the demo clinic created and enrolled through the API; every 10th with a family member."""

    def __init__(self, consoles: int) -> None:
        self.consoles = consoles
        self.client = httpx.Client()
        self.patients: list[dict[str, Any]] = []  # token, refresh, cursor, seen version, items, questionnaire
        self.family: list[dict[str, Any]] = []  # token, refresh, cursor
        self.staff: list[str] = []
        self.monday = date.today() - timedelta(days=date.today().weekday() + 14)
        self.seconds = 0.0  # spent seeding
        self._lock = threading.Lock()

    def bind(self, url: str) -> None:
        """Talk to `url` (a new deployment on the same database): staff sign in, devices refresh."""
        self.client.close()
        self.client = httpx.Client(base_url=url, timeout=60, limits=httpx.Limits(max_connections=8))
        self.staff = [self._sign_in(f"console {i}") for i in range(self.consoles)]
        with ThreadPoolExecutor(4) as pool:  # access tokens live 15 minutes
            list(pool.map(self._refresh, self.patients + self.family))

    def _refresh(self, device: dict[str, Any]) -> None:
        response = self.client.post("/v1/auth/refresh", json={"refresh_token": device["refresh"]})
        response.raise_for_status()
        device["token"], device["refresh"] = response.json()["access_token"], response.json()["refresh_token"]

    def _sign_in(self, device: str) -> str:
        body = {"username": DEMO_STAFF[0], "password": DEMO_STAFF[1], "device_name": device}
        response = self.client.post("/v1/auth/token", json=body)
        response.raise_for_status()
        return str(response.json()["access_token"])

    def _one(self, i: int) -> None:
        body = {
            "display_name": f"Load {i}",
            "start_date": self.monday.isoformat(),
            "planned_weeks": 12,
            "apply_pattern": True,
        }
        created = self.client.post(
            "/v1/staff/patients", json=body, headers={"Authorization": f"Bearer {self.staff[0]}"}
        )
        created.raise_for_status()
        code = created.json()["enrolment_code"]
        enrolled = self.client.post("/v1/auth/enrol", json={"code": code, "device_name": "load"})
        enrolled.raise_for_status()
        token = str(enrolled.json()["access_token"])
        changes, cursor = self._full_sync(token)
        patient = {
            "checkin_id": str(uuid.uuid4()),  # today's daily check-in: every later run amends it
            "token": token,
            "refresh": enrolled.json()["refresh_token"],
            "cursor": cursor,
            "seen": max((int(c["version"]) for c in changes), default=0),
            "items": [c["id"] for c in changes if c["type"] == "schedule_item" and not c["deleted"]],
            "questionnaire": next(
                (
                    c["id"]
                    for c in changes
                    if c["type"] == "questionnaire" and (c["data"] or {}).get("key") == "daily"
                ),
                None,
            ),
        }
        family: dict[str, Any] | None = None
        if i % 10 == 9:
            share = {
                "recipient_name": "Pat",
                "relationship": "spouse",
                "scope": "times",
                "purpose": "Rides to sessions",
                "expires_at": (datetime.now(UTC) + timedelta(days=30)).isoformat(),
            }
            created_share = self.client.post(
                "/v1/shares", json=share, headers={"Authorization": f"Bearer {token}"}
            )
            created_share.raise_for_status()
            signup = {
                "invitation_code": created_share.json()["invitation_code"],
                "username": f"family-{uuid.uuid4().hex[:12]}",
                "password": "family-pass-1",
                "display_name": "Pat",
                "device_name": "Pat's phone",
            }
            signed_up = self.client.post("/v1/family/signup", json=signup)
            signed_up.raise_for_status()
            family_token = str(signed_up.json()["access_token"])
            family = {
                "token": family_token,
                "refresh": signed_up.json()["refresh_token"],
                "cursor": self._full_sync(family_token)[1],
            }
        with self._lock:
            self.patients.append(patient)
            if family is not None:
                self.family.append(family)

    def catch_up(self, token: str, cursor: str | None) -> str | None:
        """Sync on from `cursor` until nothing is left: a cursor with no change after it."""
        return self._full_sync(token, cursor)[1]

    def _full_sync(self, token: str, cursor: str | None = None) -> tuple[list[dict[str, Any]], str | None]:
        """The enrolled device's first full sync (the app does it once, at enrolment), or from `cursor`."""
        changes: list[dict[str, Any]] = []
        while True:
            params = {"cursor": cursor} if cursor else {}
            response = self.client.get(
                "/v1/sync", params=params, headers={"Authorization": f"Bearer {token}"}
            )
            response.raise_for_status()
            body = response.json()
            changes += body["changes"]
            cursor = body["cursor"]
            if not body["has_more"]:
                return changes, cursor

    def grow(self, n: int) -> None:
        started = time.monotonic()
        with ThreadPoolExecutor(4) as pool:
            list(pool.map(self._one, range(len(self.patients), n)))
        self.seconds += time.monotonic() - started

    def close(self) -> None:
        self.client.close()


# -- Locust ---------------------------------------------------------------------------------------


def run_locust(
    url: str,
    plan: dict[str, Any],
    classes: list[str],
    users: int,
    spawn_rate: float,
    seconds: float,
    work: Path,
    reset: bool = True,
) -> dict[str, Any]:
    """Locust headless in a subprocess (gevent stays out of this process); its figures."""
    tag = uuid.uuid4().hex[:8]
    plan_path, out_path = work / f"plan-{tag}.json", work / f"out-{tag}.json"
    plan_path.write_text(json.dumps(plan))
    cmd = [
        sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless", "--host", url,
        "-u", str(users), "-r", f"{spawn_rate:g}", "-t", f"{max(1, round(seconds))}s",
        *(["--reset-stats"] if reset else []), "--only-summary", "--stop-timeout", "5",
        "--loglevel", "WARNING",
        "--csv", str(work / f"locust-{tag}"), *classes,
    ]  # fmt: skip
    env = {**os.environ, "WAYPOINT_CAPACITY_PLAN": str(plan_path), "WAYPOINT_CAPACITY_OUT": str(out_path)}
    log = work / f"locust-{tag}.log"
    with log.open("wb") as sink:
        subprocess.run(cmd, cwd=REPO, env=env, stdout=sink, stderr=subprocess.STDOUT, timeout=seconds + 120)
    if not out_path.exists():
        raise RuntimeError(f"Locust wrote no figures; see {log}")
    result: dict[str, Any] = json.loads(out_path.read_text())
    return result


@dataclass
class Mix:
    measure_seconds: float
    sync_seconds: float = 60.0
    family_sync_seconds: float = 300.0
    day_seconds: float = 600.0
    alerts_per_day: float = 0.2
    consoles: int = CONSOLES
    spawn_rate: float = 50.0


def run_step(deployment: Deployment, seeder: Seeder, n: int, mix: Mix, work: Path) -> Step:
    seeder.grow(n)
    patients = seeder.patients[:n]
    family = seeder.family[: n // 10]
    plan = {
        "patients": patients,
        "family": family,
        "staff": seeder.staff,
        "consoles": mix.consoles,
        "sync_seconds": mix.sync_seconds,
        "family_sync_seconds": mix.family_sync_seconds,
        "day_seconds": mix.day_seconds,
        "alerts_per_day": mix.alerts_per_day,
    }
    users = n + len(family) + mix.consoles
    ramp = users / mix.spawn_rate
    cpu, t0 = cpu_seconds(deployment.pids()), time.monotonic()
    raw = run_locust(
        deployment.url,
        plan,
        ["PatientUser", "StaffUser", "FamilyUser"],
        users,
        mix.spawn_rate,
        ramp + mix.measure_seconds,
        work,
    )
    # The server's own CPU over the whole step (ramp included): on a shared machine its latency
    # says as much about the others' load as about it, its CPU time does not.
    cpu_percent = (cpu_seconds(deployment.pids()) - cpu) / (time.monotonic() - t0) * 100
    return Step(n, len(family), mix.measure_seconds, load(), raw, cpu_percent)


def floor(
    deployment: Deployment, seeder: Seeder, work: Path, seconds: float, users: int
) -> dict[str, tuple[float, float, str]]:
    """Closed-loop req/s, and server CPU ms per request, of the bare endpoints and the no-change sync."""
    results: dict[str, tuple[float, float, str]] = {}
    port = free_port()
    bare = subprocess.Popen(
        [sys.executable, "-m", "bench.bare_app", "--port", str(port)],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/bare", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        targets = [
            ("bare FastAPI (async def)", f"http://127.0.0.1:{port}", "/bare", None, [bare.pid]),
            ("bare FastAPI (def, thread pool)", f"http://127.0.0.1:{port}", "/bare-thread", None, [bare.pid]),
            ("no-change sync", deployment.url, "/v1/sync", seeder.patients[0]["token"], deployment.pids()),
        ]
        patient = seeder.patients[0]
        patient["cursor"] = seeder.catch_up(patient["token"], patient["cursor"])
        for name, url, path, token, pids in targets:
            plan = {
                "floor_path": path,
                "floor_token": token,
                "floor_name": name,
                "floor_cursor": patient["cursor"],
            }
            cpu = cpu_seconds(pids)
            raw = run_locust(url, plan, ["FloorUser"], users, users, seconds, work, reset=False)
            entry = raw["entries"].get(name, {"count": 0, "failures": 0, "rps": 0.0})
            if entry["failures"] or not entry["count"]:
                raise RuntimeError(
                    f"the floor run of {name}: {entry['count']} requests, {entry['failures']} failed"
                )
            requests = sum(e["count"] for e in raw["entries"].values())
            cpu_ms = (cpu_seconds(pids) - cpu) * 1000 / max(1, requests)
            results[name] = (entry["rps"], cpu_ms, load())
    finally:
        bare.terminate()
        bare.wait(10)
    return results


async def _hold_streams(url: str, tokens: list[str], count: int, settle: float) -> tuple[int, int, float]:
    """Open `count` patient streams, wait until each got its first event, then idle `settle` s.

    Returns how many connected, how many were answered 200, and when they had settled."""
    host, port = url.removeprefix("http://").split(":")
    opened = 0
    answered = 0
    conns: list[asyncio.StreamWriter] = []
    readers: list[asyncio.Task[None]] = []
    first = asyncio.Semaphore(0)

    async def one(token: str) -> None:
        nonlocal opened, answered
        reader, writer = await asyncio.open_connection(host, int(port))
        conns.append(writer)
        opened += 1
        writer.write(
            f"GET /v1/stream HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {token}\r\n"
            "Accept: text/event-stream\r\n\r\n".encode()
        )
        head = await reader.readuntil(b"\r\n\r\n")
        if b" 200 " in head.split(b"\r\n", 1)[0]:
            answered += 1
        buf = b""
        while b"event: changed" not in buf:
            data = await reader.read(4096)
            if not data:
                break
            buf += data
        first.release()
        while await reader.read(4096):
            pass

    for i in range(count):
        readers.append(asyncio.create_task(one(tokens[i % len(tokens)])))
        if i % 50 == 49:
            await asyncio.sleep(0.05)
    for _ in range(count):
        await asyncio.wait_for(first.acquire(), 120)
    await asyncio.sleep(settle)
    return opened, answered, time.monotonic()


def rss_per_stream(deployment: Deployment, seeder: Seeder, streams: int, idle: float) -> dict[str, Any]:
    """VmRSS of the server process(es) freshly started, with 0 and then `streams` idle streams."""
    deployment.restart()
    with httpx.Client(base_url=deployment.url, timeout=30) as client:  # warm: every route once
        for _ in range(20):
            client.get(
                "/v1/sync", headers={"Authorization": f"Bearer {seeder.patients[0]['token']}"}
            ).raise_for_status()
    time.sleep(1.0)
    pids = deployment.pids()
    before = rss_kb(pids)
    connections_before = sqlite_handles(pids)
    marks: dict[str, Any] = {}

    async def main() -> None:
        task = asyncio.create_task(
            _hold_streams(deployment.url, [p["token"] for p in seeder.patients], streams, idle / 2)
        )
        opened, answered, _ = await task
        marks["opened"], marks["answered"] = opened, answered
        marks["after"] = rss_kb(pids)
        marks["connections"] = sqlite_handles(pids)
        cpu, t0 = cpu_seconds(pids), time.monotonic()
        await asyncio.sleep(idle)
        marks["idle_cpu_percent"] = (cpu_seconds(pids) - cpu) / (time.monotonic() - t0) * 100
        marks["load"] = load()

    asyncio.run(main())
    after = int(marks["after"])
    return {
        "streams": streams,
        "answered": marks["answered"],
        "before_kb": before,
        "after_kb": after,
        "per_stream_kb": (after - before) / streams,
        "idle_cpu_percent": marks["idle_cpu_percent"],
        "sqlite_connections": (connections_before, marks["connections"]),
        "load": marks["load"],
    }


# -- one configuration ------------------------------------------------------------------------


def search(
    deployment: Deployment, seeder: Seeder, args: argparse.Namespace, mix: Mix, work: Path, out: Outcome
) -> None:
    started = time.monotonic()
    budget = args.budget_seconds

    def step_cost(n: int) -> float:  # ramp + measure + Locust start/stop + seeding (measured)
        seed_rate = len(seeder.patients) / seeder.seconds if seeder.seconds > 0 else 2.0  # patients/s
        return (
            (n * 1.1 + mix.consoles) / mix.spawn_rate
            + mix.measure_seconds
            + 15
            + max(0, n - len(seeder.patients)) / max(seed_rate, 1.0)
        )

    n, low, high = args.start, 0, 0
    while n <= args.max_patients:
        if out.steps and time.monotonic() - started + step_cost(n) > budget:
            break
        step = run_step(deployment, seeder, n, mix, work)
        out.steps.append(step)
        out.seconds = time.monotonic() - started
        print(
            f"  [{out.config}] N={n}: p99 {step.p99:.0f} ms, failures {step.failures}, "
            f"server CPU {step.cpu_percent:.0f} % of a core, "
            f"{'pass' if step.passed else 'FAIL'} (load {step.load})",
            flush=True,
        )
        if step.passed:
            low = n
        else:
            high = n
        if high and high - low <= max(5, low // 8):
            break  # found within an eighth
        if high and not low:  # even the first step failed: halve down to 5 patients
            if n <= 5:
                break
            n = max(5, n // 2)
        else:
            n = (low + high) // 2 if high else n * 2


def run_config(
    name: str, args: argparse.Namespace, database_url: str | None, seeder: Seeder, work: Path
) -> Outcome:
    """One configuration on `database_url` (None: a new SQLite file); `seeder` may carry patients
    seeded on that database by an earlier configuration."""
    processes = CONFIGS[name][1]
    out = Outcome(name)
    mix = Mix(
        measure_seconds=args.measure_seconds,
        sync_seconds=args.sync_seconds,
        day_seconds=args.day_seconds,
        alerts_per_day=args.alerts_per_day,
        family_sync_seconds=args.family_sync_seconds,
        consoles=args.consoles,
    )
    t0 = time.monotonic()
    with (
        tempfile.TemporaryDirectory(prefix="wp-capacity-", dir=work) as tmp,
        Deployment(Path(tmp), database_url, processes) as deployment,
    ):
        seeder.bind(deployment.url)
        search(deployment, seeder, args, mix, Path(tmp), out)
        if processes == 1 and args.floor_seconds > 0:
            out.floor = floor(deployment, seeder, Path(tmp), args.floor_seconds, args.floor_users)
        if args.streams > 0:
            out.rss = rss_per_stream(deployment, seeder, args.streams, args.idle_seconds)
    out.seconds = time.monotonic() - t0
    out.seed_seconds, out.seeded = seeder.seconds, len(seeder.patients)
    return out


# -- report ---------------------------------------------------------------------------------------


def _ms(value: float) -> str:
    return "–" if value != value else f"{value:.0f}"


def report(outcomes: list[Outcome], consoles: int = CONSOLES) -> str:
    lines = [
        "| configuration | largest N passing | N tried (p99 ms, failures, server CPU % of a core) "
        "| alert → staff stream p99 ms at that N | RSS per idle stream (1,000 open) "
        "| floor: no-change sync / bare FastAPI | load avg (1/5/15 min) |",
        "| --- | ---: | --- | ---: | ---: | ---: | --- |",
    ]
    for out in outcomes:
        best = out.best
        tried = ", ".join(
            f"{s.patients} ({_ms(s.p99)}, {s.failures}, {s.cpu_percent:.0f} %)" for s in out.steps
        )
        rss = f"{out.rss['per_stream_kb']:.1f} KB ({out.rss['answered']} streams)" if out.rss else "–"
        ratio = "–"
        if out.floor:
            sync = out.floor["no-change sync"][0]
            bare = out.floor["bare FastAPI (async def)"][0]
            ratio = f"**{sync / bare:.2f}** ({sync:.0f} / {bare:.0f} req/s)"
        loads = "; ".join(s.load for s in out.steps)
        lines.append(
            f"| {LABELS[out.config]} | **{best.patients if best else 'none'}** | {tried} | "
            f"{_ms(best.delivery_p99) if best else '–'} | {rss} | {ratio} | {loads} |"
        )
    for out in outcomes:
        shown = out.best or (out.steps[0] if out.steps else None)
        if shown is None:
            continue
        lines += [
            "",
            f"{LABELS[out.config]}, N = {shown.patients} patients "
            f"({shown.families} family devices, {consoles} consoles), "
            f"{shown.seconds:.0f} s steady state, load {shown.load}: {shown.count} requests, "
            f"server CPU {shown.cpu_percent:.0f} % of a core "
            f"({shown.cpu_percent * 10 / shown.patients:.2f} ms per patient per second), "
            f"alerts {shown.raw['alerts_sent']}, stream events {shown.raw['stream_events']}, "
            f"periodic syncs that found changes {shown.raw['periodic_syncs_with_changes']}",
            "",
            "| request kind | count | req/s | p50 ms | p99 ms | failures |",
            "| --- | ---: | ---: | ---: | ---: | ---: |",
        ]
        rows: list[tuple[str, dict[str, Any]]] = [
            (
                "all requests",
                {
                    "count": shown.count,
                    "failures": shown.failures,
                    "rps": shown.count / shown.seconds,
                    "buckets": shown.all_buckets(),
                },
            )
        ]
        for kind, entry in sorted(shown.raw["entries"].items()):
            rows.append((kind, {**entry, "buckets": buckets_of(entry)}))
        for kind, entry in rows:
            rate = "–" if kind == DELIVERY or "(open)" in kind else f"{entry['count'] / shown.seconds:.1f}"
            lines.append(
                f"| {kind} | {entry['count']} | {rate} | {_ms(percentile(entry['buckets'], 0.5))} | "
                f"{_ms(percentile(entry['buckets'], 0.99))} | {entry['failures']} |"
            )
        if out.rss:
            r = out.rss
            lines += [
                "",
                f"Idle streams ({LABELS[out.config]}): VmRSS {r['before_kb']} KB with none, "
                f"{r['after_kb']} KB with {r['answered']} open → {r['per_stream_kb']:.1f} KB per stream; "
                f"the idle streams keep the server process(es) at {r['idle_cpu_percent']:.0f} % of a core "
                f"(load {r['load']})."
                + (
                    f" SQLite connections held: {r['sqlite_connections'][0]} → {r['sqlite_connections'][1]}."
                    if r["sqlite_connections"][1]
                    else ""
                ),
            ]
        if out.floor:
            lines += [
                "",
                "| floor (closed loop, same client) | req/s | server CPU ms per request | load |",
                "| --- | ---: | ---: | --- |",
            ]
            for kind, (rps, cpu, at) in out.floor.items():
                lines.append(f"| {kind} | {rps:.0f} | {cpu:.2f} | {at} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "--configs", default="sqlite,postgres,postgres-2", help="comma-separated: " + ",".join(CONFIGS)
    )
    parser.add_argument("--start", type=int, default=100, help="patients in the first step")
    parser.add_argument("--max-patients", type=int, default=5000)
    parser.add_argument(
        "--budget-seconds", type=float, default=300.0, help="per configuration, for the search"
    )
    parser.add_argument("--measure-seconds", type=float, default=60.0, help="steady state per step")
    parser.add_argument("--sync-seconds", type=float, default=60.0, help="a patient app's sync interval")
    parser.add_argument("--family-sync-seconds", type=float, default=300.0)
    parser.add_argument(
        "--day-seconds", type=float, default=600.0, help="a patient's day of writes, compressed"
    )
    parser.add_argument(
        "--alerts-per-day", type=float, default=0.2, help="support alerts per patient per day"
    )
    parser.add_argument(
        "--consoles", type=int, default=CONSOLES, help="staff consoles holding the queue stream"
    )
    parser.add_argument("--streams", type=int, default=1000, help="idle streams for the RSS figure (0: skip)")
    parser.add_argument(
        "--idle-seconds", type=float, default=10.0, help="how long the idle streams' CPU is measured"
    )
    parser.add_argument("--floor-seconds", type=float, default=10.0, help="per floor endpoint (0: skip)")
    parser.add_argument("--floor-users", type=int, default=16)
    args = parser.parse_args(argv)
    names = [c.strip() for c in args.configs.split(",") if c.strip()]
    unknown = set(names) - set(CONFIGS)
    if unknown:
        parser.error(f"unknown configuration(s): {', '.join(sorted(unknown))}")
    started = time.monotonic()
    print(f"Clinic capacity: {', '.join(names)} (load {load()})", flush=True)
    pg = PostgresServer().start() if any(CONFIGS[n][0] == "postgres" for n in names) else None
    outcomes = []
    try:
        with tempfile.TemporaryDirectory(prefix="wp-capacity-") as work:
            pg_url = pg.create_database() if pg is not None else None
            pg_seeder = Seeder(args.consoles)  # PostgreSQL configurations share one database and its patients
            for name in names:
                postgres = CONFIGS[name][0] == "postgres"
                seeder = pg_seeder if postgres else Seeder(args.consoles)
                outcomes.append(run_config(name, args, pg_url if postgres else None, seeder, Path(work)))
                if not postgres:
                    seeder.client.close()
                done = outcomes[-1]
                print(
                    f"  [{name}] done in {done.seconds:.0f} s ({done.seeded} patients seeded "
                    f"on its database in {done.seed_seconds:.0f} s)",
                    flush=True,
                )
            pg_seeder.client.close()
    finally:
        if pg is not None:
            pg.stop()
    print()
    print(report(outcomes, args.consoles))
    print(f"\nTotal {time.monotonic() - started:.0f} s.")
    return 0 if all(out.steps and all(s.raw for s in out.steps) for out in outcomes) else 1


if __name__ == "__main__":
    raise SystemExit(main())
