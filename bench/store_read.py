"""Bench: read a year of schedule from the encrypted store vs the same rows in a plaintext sqlite3 table.

Run: .venv/bin/python -m bench.store_read   (prints the medians and the min/median/max of the ratios over
the rounds, in wall time and in CPU time)

The plaintext table does the same logical work as the store, minus the AEAD: the same layout and index
(payload as JSON text instead of kid + sealed blob), the same SQL (columns, WHERE, ORDER BY), one
long-lived connection opened the same way (app.store.database.Database: same pragmas, same single
worker thread), and each row decoded into the same StoredRecord. It is read two ways: with
`json.loads`, as a plaintext read is plainly written (issue 15's goal, ratio <= 1.5), and with the
store's own faster decode (`load_json`), so the second ratio is the cost of the AEAD alone. The reads
take turns inside each round (each one first, second and last in turn), so load from other processes
hits all of them alike.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from pathlib import Path

from app.secrets.memory import MemorySecretStore
from app.store.crypto import load_json
from app.store.database import Database
from app.store.encrypted import EncryptedStore
from app.store.models import RecordChange, StoredRecord
from app.store.rows import query_keys

KINDS = [
    ("check_in", "09:00", "09:30"),
    ("process_group", "09:30", "11:00"),
    ("education_class", "11:00", "12:00"),
    ("lunch", "12:00", "12:30"),
]
ROUNDS = 9
REPEATS = 25  # reads of each kind per round; a round's figure is the median of its reads
WARMUP = 5

Decode = Callable[[str], object]
Reader = Callable[[], Awaitable[list[StoredRecord]]]

PLAIN_SCHEMA = """
CREATE TABLE plain (
    type TEXT NOT NULL, id TEXT NOT NULL, version INTEGER NOT NULL,
    day TEXT, ref TEXT, payload TEXT NOT NULL,
    PRIMARY KEY (type, id)
);
CREATE INDEX plain_by_day ON plain (type, day);
"""
PLAIN_SQL = "SELECT id, version, payload FROM plain WHERE type = ? AND day >= ? AND day <= ? ORDER BY day, id"


def year_of_schedule(start: date) -> list[RecordChange]:
    changes, version = [], 0
    for week in range(52):
        monday = start + timedelta(weeks=week)
        for offset in (0, 2, 3):
            day = (monday + timedelta(days=offset)).isoformat()
            for kind, begin, end in KINDS:
                version += 1
                data = {
                    "kind": kind,
                    "title": kind.replace("_", " ").title(),
                    "starts_at": f"{day}T{begin}:00-05:00",
                    "ends_at": f"{day}T{end}:00-05:00",
                    "location": "Room 2",
                    "video_url": None,
                    "staff_name": "Jordan Lee",
                    "status": "scheduled",
                    "moved_from": None,
                    "note": None,
                }
                changes.append(RecordChange("schedule_item", f"item-{version:05}", version, data=data))
    return changes


def plain_fill(db: Database, changes: list[RecordChange]) -> None:
    conn = db.conn
    conn.executescript(PLAIN_SCHEMA)
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO plain VALUES (?, ?, ?, ?, ?, ?)",
        [
            (
                c.type,
                c.id,
                c.version,
                *query_keys(c.type, c.data),
                json.dumps(c.data, separators=(",", ":")),
            )
            for c in changes
            if c.data is not None
        ],
    )
    conn.execute("COMMIT")


def plain_read(db: Database, type_: str, first: str, last: str, decode: Decode) -> list[StoredRecord]:
    found = []
    for id_, version, payload in db.conn.execute(PLAIN_SQL, (type_, first, last)).fetchall():
        data = decode(payload)
        if isinstance(data, dict):
            found.append(StoredRecord(type_, id_, version, data))
    return found


async def main() -> None:
    changes = year_of_schedule(date(2026, 1, 5))
    first, last = "2026-01-05", "2027-01-03"
    load = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        store = await EncryptedStore.open(Path(tmp) / "enc", MemorySecretStore())
        await store.apply_page(changes, cursor="c", reset=True)
        plain = Database(Path(tmp) / "plain" / "plain.db")
        await plain.open()
        await plain.run(plain_fill, plain, changes)

        async def encrypted() -> list[StoredRecord]:
            return await store.records("schedule_item", day_from=first, day_to=last)

        async def plaintext() -> list[StoredRecord]:
            return await plain.run(plain_read, plain, "schedule_item", first, last, json.loads)

        async def store_minus_aead() -> list[StoredRecord]:
            return await plain.run(plain_read, plain, "schedule_item", first, last, load_json)

        readers = (encrypted, plaintext, store_minus_aead)
        results = [[(r.type, r.id, r.version, r.data) for r in await read()] for read in readers]
        assert len(results[0]) == len(changes)
        assert results[0] == results[1] == results[2]
        for _ in range(WARMUP):
            for read in readers:
                await read()
        wall: list[dict[Reader, float]] = []  # per round, each reader's median: what the user waits for
        cpu: list[
            dict[Reader, float]
        ] = []  # the same in this process's CPU time: steadier on a shared machine
        for _ in range(ROUNDS):
            wall_times: dict[Reader, list[float]] = {read: [] for read in readers}
            cpu_times: dict[Reader, list[float]] = {read: [] for read in readers}
            for i in range(REPEATS):
                for read in readers[i % 3 :] + readers[: i % 3]:  # each reader first, second, last in turn
                    c0, t0 = time.process_time(), time.perf_counter()
                    await read()
                    wall_times[read].append(time.perf_counter() - t0)
                    cpu_times[read].append(time.process_time() - c0)
            wall.append({read: statistics.median(times) for read, times in wall_times.items()})
            cpu.append({read: statistics.median(times) for read, times in cpu_times.items()})
        await store.close()
        await plain.close()
    print(f"rows: {len(results[0])} (a year of Mon/Wed/Thu IOP days); load average at start {load[0]:.2f}")
    print(f"medians of {ROUNDS} rounds ({REPEATS} reads of each per round), wall:")
    for read, label in (
        (encrypted, "encrypted store (AES-256-GCM, decrypt + JSON)"),
        (plaintext, "plaintext sqlite3 table (json.loads)"),
        (store_minus_aead, "plaintext, the store's own JSON decode"),
    ):
        print(f"  {label:<47} {statistics.median(r[read] for r in wall) * 1000:6.2f} ms")
    print(f"ratio encrypted/plain:           wall {spread(wall, encrypted, plaintext)}")
    print(f"                                 CPU  {spread(cpu, encrypted, plaintext)}")
    print(f"ratio encrypted/store-minus-AEAD: wall {spread(wall, encrypted, store_minus_aead)}")
    print(f"                                 CPU  {spread(cpu, encrypted, store_minus_aead)}")


def spread(rounds: list[dict[Reader, float]], read: Reader, baseline: Reader) -> str:
    ratios = [r[read] / r[baseline] for r in rounds]
    return f"min {min(ratios):.2f}x / median {statistics.median(ratios):.2f}x / max {max(ratios):.2f}x"


if __name__ == "__main__":
    asyncio.run(main())
