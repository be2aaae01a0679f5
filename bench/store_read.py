"""Bench: read a year of schedule from the encrypted store vs the same rows in a plaintext sqlite3 table.

Run: .venv/bin/python -m bench.store_read   (prints both timings and the ratio encrypted/plain)
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from app.secrets.memory import MemorySecretStore
from app.store.encrypted import EncryptedStore
from app.store.models import RecordChange

KINDS = [
    ("check_in", "09:00", "09:30"),
    ("process_group", "09:30", "11:00"),
    ("education_class", "11:00", "12:00"),
    ("lunch", "12:00", "12:30"),
]
REPEATS = 7


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


def plain_read(path: Path, first: str, last: str) -> int:
    with sqlite3.connect(path) as conn:
        rows = conn.execute(
            "SELECT id, payload FROM plain WHERE day >= ? AND day <= ? ORDER BY day, id", (first, last)
        ).fetchall()
    conn.close()
    return len([json.loads(payload) for _, payload in rows])


async def main() -> None:
    changes = year_of_schedule(date(2026, 1, 5))
    first, last = "2026-01-05", "2027-01-03"
    with tempfile.TemporaryDirectory() as tmp:
        store = await EncryptedStore.open(Path(tmp), MemorySecretStore())
        await store.apply_page(changes, cursor="c", reset=True)
        plain_path = Path(tmp) / "plain.db"
        with sqlite3.connect(plain_path) as conn:
            conn.execute("CREATE TABLE plain (id TEXT PRIMARY KEY, day TEXT, payload TEXT)")
            conn.execute("CREATE INDEX plain_day ON plain (day)")
            conn.executemany(
                "INSERT INTO plain VALUES (?, ?, ?)",
                [(c.id, c.data["starts_at"][:10], json.dumps(c.data)) for c in changes if c.data],
            )
        conn.close()
        enc_times, plain_times = [], []
        for _ in range(REPEATS):
            t0 = time.perf_counter()
            n_enc = len(await store.records("schedule_item", day_from=first, day_to=last))
            enc_times.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            n_plain = await asyncio.to_thread(plain_read, plain_path, first, last)
            plain_times.append(time.perf_counter() - t0)
        await store.close()
    assert n_enc == n_plain == len(changes)
    enc, plain = statistics.median(enc_times), statistics.median(plain_times)
    print(f"rows: {n_enc} (a year of Mon/Wed/Thu IOP days)")
    print(f"encrypted store (AES-256-GCM, decrypt + JSON): {enc * 1000:.1f} ms (median of {REPEATS})")
    print(f"plaintext sqlite3 table (JSON):                {plain * 1000:.1f} ms (median of {REPEATS})")
    print(f"ratio encrypted/plain: {enc / plain:.2f}x")


if __name__ == "__main__":
    asyncio.run(main())
