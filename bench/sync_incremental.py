"""Bench: an incremental sync of 10 changes when the patient has 1× vs 10× the total data (should be flat).

The clinic side is an in-process twin that pages changes by version, as docs/api.md specifies, so
the figure is the app's own cost: pull, parse, seal and commit into the encrypted store.
Run: .venv/bin/python -m bench.sync_incremental
"""

from __future__ import annotations

import asyncio
import json
import statistics
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import httpx

from app.api.client import ClinicClient
from app.api.models import Tokens
from app.secrets.memory import MemorySecretStore
from app.store.encrypted import EncryptedStore
from app.sync.engine import SyncEngine
from bench.store_read import year_of_schedule

CHANGES = 10
REPEATS = 5


class Twin:
    def __init__(self, years: int) -> None:
        self.changes: list[dict[str, Any]] = []
        for y in range(years):
            for c in year_of_schedule(date(2026 + y, 1, 5)):
                self.add({"type": c.type, "id": f"{y}-{c.id}", "deleted": False, "data": c.data})

    def add(self, change: dict[str, Any]) -> None:
        self.changes.append({**change, "version": len(self.changes) + 1})

    def handle(self, request: httpx.Request) -> httpx.Response:
        after = int(request.url.params.get("cursor", "0"))
        limit = int(request.url.params.get("limit", "200"))
        page = self.changes[after : after + limit]
        body = {
            "changes": page,
            "cursor": str(after + len(page)),
            "has_more": after + limit < len(self.changes),
            "reset": False,
        }
        return httpx.Response(
            200, content=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
        )


class Tokens1:
    async def load(self) -> Tokens:
        return Tokens("a", "r")

    async def save(self, tokens: Tokens) -> None:
        return None


async def measure(years: int) -> tuple[int, float]:
    twin = Twin(years)
    with tempfile.TemporaryDirectory() as tmp:
        store = await EncryptedStore.open(Path(tmp), MemorySecretStore())
        client = ClinicClient(
            "http://127.0.0.1:1", tokens=Tokens1(), transport=httpx.MockTransport(twin.handle)
        )
        engine = SyncEngine(store, client, clock=lambda: datetime.now(UTC))
        await engine.sync()  # the initial full sync, not timed
        total = len(twin.changes)
        times = []
        for r in range(REPEATS):
            for i in range(CHANGES):
                edited = dict(twin.changes[(r * CHANGES + i) * 7])
                edited["data"] = {**edited["data"], "note": f"moved {r}"}
                twin.add(edited)
            t0 = time.perf_counter()
            await engine.sync()
            times.append(time.perf_counter() - t0)
        await client.aclose()
        await store.close()
    return total, statistics.median(times)


async def main() -> None:
    small_n, small = await measure(1)
    large_n, large = await measure(10)
    print(f"incremental sync of {CHANGES} changes, store holding {small_n} records: {small * 1000:.1f} ms")
    print(f"incremental sync of {CHANGES} changes, store holding {large_n} records: {large * 1000:.1f} ms")
    print(f"ratio 10x/1x: {large / small:.2f}x (flat is ~1)")


if __name__ == "__main__":
    asyncio.run(main())
