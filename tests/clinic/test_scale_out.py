"""Scale-out on PostgreSQL: two server processes, one database, one address (a round-robin proxy).

An alert accepted by one process reaches a staff stream held by the other within a second,
exactly once (LISTEN/NOTIFY wakes the stream; it re-reads by sequence); Last-Event-ID resumes
on either process; idempotency and sync paging hold across processes.
"""

from __future__ import annotations

import asyncio
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import psycopg
import pytest
from sqlalchemy.engine import make_url

from clinic.notify import CHANNEL
from tests.clinic.helpers import auth, latest, mutate, mutation, raise_alert, sync_all, sync_page
from tests.clinic.scale_out_support import RoundRobinProxy, SseReader
from tests.support.clinic_server import ClinicServer
from tests.support.postgres import PostgresServer

pytestmark = pytest.mark.postgres


class Pair:
    def __init__(self, url: str, a: ClinicServer, b: ClinicServer, proxy: RoundRobinProxy) -> None:
        self.url, self.a, self.b, self.proxy = url, a, b, proxy
        self.token = a.patient_token()
        self.staff = b.staff_token()


@pytest.fixture(scope="module")
def pair(postgres_server: PostgresServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pair]:
    """Processes A (seeded the demo clinic) and B on one fresh database, and a proxy in front of both."""
    url = postgres_server.create_database()
    root = tmp_path_factory.mktemp("scale-out")
    with (
        ClinicServer(root / "a", database_url=url) as a,
        ClinicServer(root / "b", seed=None, database_url=url) as b,
        RoundRobinProxy([a.port, b.port]) as proxy,
    ):
        yield Pair(url, a, b, proxy)
    postgres_server.drop_database(url)


async def _post_alert(client: httpx.AsyncClient, base: str, token: str, alert_id: str) -> int:
    response = await client.post(
        f"{base}/v1/support-alerts",
        json={"created_at": datetime.now(UTC).isoformat()},
        headers={**auth(token), "Idempotency-Key": alert_id},
    )
    return response.status_code


async def test_alert_on_one_process_reaches_streams_on_the_other_within_a_second_once(pair: Pair) -> None:
    async with (
        httpx.AsyncClient(timeout=10) as client,
        SseReader(client, pair.b.url, pair.staff) as on_b,
        SseReader(client, pair.proxy.url, pair.staff) as behind_proxy,
    ):
        await asyncio.sleep(0.3)  # both streams past their first read
        sent: dict[str, float] = {}
        # two straight to A, two through the proxy (which alternates between A and B)
        for base in (pair.a.url, pair.proxy.url, pair.a.url, pair.proxy.url):
            alert_id = str(uuid.uuid4())
            sent[alert_id] = time.monotonic()
            assert await _post_alert(client, base, pair.token, alert_id) == 201
            for stream in (on_b, behind_proxy):
                arrived = await stream.wait_for(alert_id, timeout=5)
                assert arrived - sent[alert_id] < 1.0
        await asyncio.sleep(2.5)  # more wake-ups and polls: nothing may arrive twice
        for stream in (on_b, behind_proxy):
            assert [stream.count(a) for a in sent] == [1, 1, 1, 1]
    assert pair.proxy.connections[pair.a.port] > 0
    assert pair.proxy.connections[pair.b.port] > 0


async def test_reconnecting_with_last_event_id_on_the_other_process_gets_what_was_missed(pair: Pair) -> None:
    first, missed = str(uuid.uuid4()), [str(uuid.uuid4()), str(uuid.uuid4())]
    async with httpx.AsyncClient(timeout=10) as client:
        async with SseReader(client, pair.a.url, pair.staff) as on_a:
            await asyncio.sleep(0.3)
            assert await _post_alert(client, pair.a.url, pair.token, first) == 201
            await on_a.wait_for(first, timeout=5)
            last_event_id = on_a.last_id(first)
        for alert_id in missed:  # while no stream is connected, through the other process
            assert await _post_alert(client, pair.b.url, pair.token, alert_id) == 201
        async with SseReader(client, pair.b.url, pair.staff, last_event_id=last_event_id) as on_b:
            for alert_id in missed:
                await on_b.wait_for(alert_id, timeout=5)
            await asyncio.sleep(1.5)
            assert on_b.count(first) == 0
            assert [on_b.count(a) for a in missed] == [1, 1]
            assert on_b.ids() == sorted(on_b.ids(), key=int)  # in sequence order


def test_processes_are_notified_only_after_the_alert_is_committed(pair: Pair) -> None:
    dsn = make_url(pair.url).set(drivername="postgresql").render_as_string(hide_password=False)
    alert_id = str(uuid.uuid4())
    with (
        psycopg.connect(dsn, autocommit=True) as listener,
        psycopg.connect(dsn, autocommit=True) as reader,
        ThreadPoolExecutor(1) as pool,
    ):
        listener.execute(f"LISTEN {CHANNEL}")
        response = pool.submit(raise_alert, pair.a, pair.token, alert_id)
        assert list(listener.notifies(timeout=5, stop_after=1))  # woken, possibly before the 201
        query = "SELECT status FROM support_alerts WHERE id = %s"
        assert reader.execute(query, (alert_id,)).fetchone() == ("received",)
        assert response.result().status_code == 201


def test_twenty_concurrent_retries_spread_over_both_processes_apply_once(pair: Pair) -> None:
    servers = [pair.a, pair.b]
    m = mutation("coping_plan.update", {"reasons": ["my kids", str(uuid.uuid4())]})
    with ThreadPoolExecutor(20) as pool:
        results = list(pool.map(lambda n: mutate(servers[n % 2], pair.token, m)[0], range(20)))
    assert sorted(r["status"] for r in results) == ["applied"] + ["duplicate"] * 19
    assert len({str(r["change"]) for r in results}) == 1

    alert_id = str(uuid.uuid4())
    with ThreadPoolExecutor(20) as pool:
        responses = list(pool.map(lambda n: raise_alert(servers[n % 2], pair.token, alert_id), range(20)))
    assert sorted(r.status_code for r in responses) == [200] * 19 + [201]
    assert len({r.text for r in responses}) == 1
    assert [a["id"] for a in pair.a.support_alerts()].count(alert_id) == 1
    pair.b.ack_alert(alert_id)  # and the acknowledgement on B is what A reports
    assert {a["id"]: a for a in pair.a.support_alerts()}[alert_id]["acknowledged_by"] == "Sam Ortiz"


def test_paging_through_both_processes_while_both_write_loses_and_duplicates_nothing(pair: Pair) -> None:
    pid = pair.a.patient_id("alex")
    staff = pair.staff
    written: list[str] = []
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=1)

    def writer(server: ClinicServer, offset: int) -> None:
        with httpx.Client(base_url=server.url, headers=auth(staff), timeout=30) as client:
            for n in range(25):
                starts = start + timedelta(days=n % 10, minutes=2 * n + offset)
                body = {
                    "kind": "activity",
                    "title": f"Walk {offset}-{n}",
                    "starts_at": starts.isoformat(),
                    "ends_at": (starts + timedelta(minutes=30)).isoformat(),
                }
                response = client.post(f"/v1/staff/patients/{pid}/schedule", json=body)
                assert response.status_code == 201, response.text
                written.append(response.json()["id"])

    threads = [threading.Thread(target=writer, args=(s, i)) for i, s in enumerate((pair.a, pair.b))]
    _, cursor = sync_all(pair.a, pair.token)
    for thread in threads:
        thread.start()
    seen: list[dict[str, object]] = []
    for n in range(400):
        body = sync_page((pair.a, pair.b)[n % 2], pair.token, cursor, limit=5).json()
        seen.extend(body["changes"])
        cursor = body["cursor"]
        if not body["has_more"] and not any(t.is_alive() for t in threads):
            break
    for thread in threads:
        thread.join()
    rest, _ = sync_all(pair.b, pair.token, cursor, limit=5)
    seen.extend(rest)
    versions = [int(str(c["version"])) for c in seen]
    assert versions == sorted(set(versions))  # in order, nothing twice
    assert set(written) <= {record_id for _, record_id in latest(seen)}  # nothing lost
    fresh, _ = sync_all(pair.b, pair.token)
    assert {k: v for k, v in latest(fresh).items() if k[1] in written} == {
        k: v for k, v in latest(seen).items() if k[1] in written
    }


def test_two_processes_starting_together_on_a_fresh_database(tmp_path: Path, postgres_url: str) -> None:
    servers = [
        ClinicServer(tmp_path / "a", database_url=postgres_url),
        ClinicServer(tmp_path / "b", seed=None, database_url=postgres_url),
    ]
    try:
        threads = [threading.Thread(target=s.start) for s in servers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert all(s.running for s in servers)
        assert servers[1].patient_token()  # B migrated alongside A and serves what A seeded
    finally:
        for server in servers:
            server.stop()
