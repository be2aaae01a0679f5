"""Pushing the outbox: support alerts straight to their endpoint, then batches with idempotency keys."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from app.api.client import MAX_BATCH, ClinicClient
from app.api.errors import InvalidRequestError, NotFoundError
from app.api.models import Change, Mutation, MutationResult
from app.store.encrypted import EncryptedStore
from app.store.models import OutboxEntry, RecordChange, RejectedEntry, Settlement

log = logging.getLogger(__name__)


def to_record(change: Change) -> RecordChange:
    return RecordChange(change.type, change.id, change.version, change.deleted, change.data)


def to_mutation(entry: OutboxEntry) -> Mutation:
    return Mutation(entry.id, entry.type, entry.payload, entry.base_version)


class Pusher:
    """Delivers outbox entries exactly once: each leaves the outbox only with the server's answer."""

    def __init__(self, store: EncryptedStore, client: ClinicClient, clock: Callable[[], datetime]) -> None:
        self._store = store
        self._client = client
        self._clock = clock

    async def send_alerts(self, *, session: bool = True) -> int:
        """Send pending support alerts through their own endpoint; returns how many were delivered.

        `session=False`: the device signature alone, no bearer (the session is known to be gone).
        """
        sent = 0
        for entry in await self._store.outbox():
            if not entry.is_alert:
                continue
            try:
                created_at = str(entry.payload["created_at"])
                change = await self._client.raise_support_alert(entry.id, created_at, session=session)
            except (InvalidRequestError, NotFoundError) as exc:
                await self._reject(entry, exc.problem_code, None)
                continue
            await self._store.settle(entry.id, change=to_record(change))
            sent += 1
        return sent

    async def push_all(self) -> int:
        """Push every pending entry in batches of at most 100; returns how many were settled."""
        settled = 0
        for _ in range(10_000):  # bounded: each round settles at least one entry or raises
            entries = (await self._store.outbox())[:MAX_BATCH]
            if not entries:
                break
            settled += await self._push_batch(entries)
        return settled

    async def _push_batch(self, entries: list[OutboxEntry]) -> int:
        try:
            results = await self._client.push([to_mutation(e) for e in entries])
        except InvalidRequestError as exc:
            if len(entries) == 1:  # this one mutation is malformed: keep it for the patient to see
                await self._reject(entries[0], exc.problem_code, None)
                return 1
            settled = 0
            for entry in entries:  # find the bad one without blocking the others
                settled += await self._push_batch([entry])
            return settled
        by_id = {r.id: r for r in results}
        answers = [self._answer(e, by_id[e.id]) for e in entries if e.id in by_id]
        await self._store.settle_many(answers)
        return len(answers)

    def _answer(self, entry: OutboxEntry, result: MutationResult) -> Settlement:
        server = None if result.change is None else to_record(result.change)
        if result.status in ("applied", "duplicate"):
            return Settlement(entry.id, server)
        if result.status == "conflict":
            refusal = RejectedEntry(entry, "conflict", "sync.conflict", result.reason, server, self._clock())
            return Settlement(entry.id, server, refusal)
        log.info("sync: the server refused a %s change (%s)", entry.type, result.code)
        return Settlement(entry.id, None, self._refusal(entry, result.code, result.reason))

    def _refusal(self, entry: OutboxEntry, code: str | None, reason: str | None) -> RejectedEntry:
        return RejectedEntry(entry, "rejected", code, reason, None, self._clock())

    async def _reject(self, entry: OutboxEntry, code: str | None, reason: str | None) -> None:
        log.info("sync: the server refused a %s change (%s)", entry.type, code)
        await self._store.settle(entry.id, rejected=self._refusal(entry, code, reason))
