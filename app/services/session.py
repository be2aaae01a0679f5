"""One signed-in session: the account, its API client and its sync engine."""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass

from app.api.client import ClinicClient
from app.services.ports import Account
from app.sync.engine import SyncEngine
from app.sync.live import LiveUpdates


@dataclass(slots=True)
class Session:
    account: Account
    client: ClinicClient
    engine: SyncEngine
    live: LiveUpdates | None = None  # held while a view of the app is open (Core.on_change)

    async def close(self) -> None:
        live, self.live = self.live, None
        if live is not None:
            await live.close()
        await self.engine.close()
        await self.client.aclose()

    async def logout(self, grace: float) -> None:
        """Tell the clinic to revoke this device; best effort, bounded (sign-out works offline)."""
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.client.logout(), grace)

    async def flush(self, grace: float) -> None:
        """Try to deliver what is queued before the store is wiped; bounded."""
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.engine.sync(), grace)
