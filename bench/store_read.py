"""Bench: read a year of schedule from the encrypted store vs the same rows in a plaintext sqlite3 table.

Run: .venv/bin/python -m bench.store_read   (prints both timings and the ratio encrypted/plain per round,
then the min/median/max of the ratio over the rounds)

The baseline does the same logical work as the store, minus the AEAD: the same table layout and index
(payload as JSON text instead of kid + sealed blob), the same SQL (columns, WHERE, ORDER BY), one
long-lived connection opened the same way (app.store.database.Database: same pragmas, same single
worker thread), and the same decode of each row into the same StoredRecord. The two reads alternate
inside each round (order flipped every time), so load from other processes hits both alike.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import tempfile
import time
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


def plain_read(db: Database, type_: str, first: str, last: str) -> list[StoredRecord]:
    found = []
    for id_, version, payload in db.conn.execute(PLAIN_SQL, (type_, first, last)).fetchall():
        data = load_json(payload)  # the store's own JSON decode
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

        async def enc_read() -> list[StoredRecord]:
            return await store.records("schedule_item", day_from=first, day_to=last)

        async def plain_read_async() -> list[StoredRecord]:
            return await plain.run(plain_read, plain, "schedule_item", first, last)

        enc_rows, plain_rows = await enc_read(), await plain_read_async()
        assert len(enc_rows) == len(changes)
        assert [(r.type, r.id, r.version, r.data) for r in enc_rows] == [
            (r.type, r.id, r.version, r.data) for r in plain_rows
        ]
        for _ in range(WARMUP):
            await enc_read()
            await plain_read_async()
        rounds: list[tuple[float, float]] = []  # wall time (what the user waits for)
        cpu_rounds: list[tuple[float, float]] = []  # this process's CPU time: steadier on a shared machine
        for _ in range(ROUNDS):
            wall: dict[object, list[float]] = {enc_read: [], plain_read_async: []}
            cpu: dict[object, list[float]] = {enc_read: [], plain_read_async: []}
            for i in range(REPEATS):
                for read in (enc_read, plain_read_async) if i % 2 == 0 else (plain_read_async, enc_read):
                    c0, t0 = time.process_time(), time.perf_counter()
                    await read()
                    wall[read].append(time.perf_counter() - t0)
                    cpu[read].append(time.process_time() - c0)
            rounds.append((statistics.median(wall[enc_read]), statistics.median(wall[plain_read_async])))
            cpu_rounds.append((statistics.median(cpu[enc_read]), statistics.median(cpu[plain_read_async])))
        await store.close()
        await plain.close()
    print(f"rows: {len(enc_rows)} (a year of Mon/Wed/Thu IOP days); load average at start {load[0]:.2f}")
    for n, ((enc, pl), (enc_cpu, pl_cpu)) in enumerate(zip(rounds, cpu_rounds, strict=True), 1):
        print(
            f"round {n}: encrypted {enc * 1000:.2f} ms, plain {pl * 1000:.2f} ms, ratio {enc / pl:.2f}x"
            f" (CPU {enc_cpu * 1000:.2f} / {pl_cpu * 1000:.2f} ms, {enc_cpu / pl_cpu:.2f}x)"
        )
    enc_ms, plain_ms = (statistics.median(r[i] for r in rounds) * 1000 for i in (0, 1))
    print(
        f"encrypted store (AES-256-GCM, decrypt + JSON): {enc_ms:.2f} ms"
        f" (median of {ROUNDS} round medians, {REPEATS} reads each)"
    )
    print(f"plaintext sqlite3 table (JSON):                {plain_ms:.2f} ms")
    print(f"ratio encrypted/plain, wall: {spread(rounds)} over {ROUNDS} rounds")
    print(f"ratio encrypted/plain, CPU:  {spread(cpu_rounds)}")


def spread(rounds: list[tuple[float, float]]) -> str:
    ratios = [enc / plain for enc, plain in rounds]
    return f"min {min(ratios):.2f}x / median {statistics.median(ratios):.2f}x / max {max(ratios):.2f}x"


if __name__ == "__main__":
    asyncio.run(main())
