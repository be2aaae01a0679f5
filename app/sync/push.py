"""Pushing the outbox: support alerts straight to their endpoint, then batches with idempotency keys."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from app.api.client import MAX_BATCH, ClinicClient
from app.api.errors import InvalidRequestError, NotFoundError
from app.api.models import Change, Mutation, MutationResult
from app.api.mutations import PayloadFormatError, SupportAlertRaise, parse_payload
from app.store.encrypted import EncryptedStore
from app.store.models import OutboxEntry, RecordChange, RejectedEntry, Settlement

log = logging.getLogger(__name__)


def to_record(change: Change) -> RecordChange:
    """What the store seals: the record as received, read back through the same typed parse (a
    change made in code, without a wire form, is sealed in its typed JSON form)."""
    data = change.wire if change.wire is not None or change.data is None else change.data.to_json()
    return RecordChange(change.type, change.id, change.version, change.deleted, data)


def to_mutation(entry: OutboxEntry) -> Mutation:
    """The typed mutation of an outbox entry; PayloadFormatError when its payload does not fit."""
    return Mutation(entry.id, parse_payload(entry.type, entry.payload), entry.base_version)


def raised_at(entry: OutboxEntry) -> datetime:
    """When a queued support alert was raised; an alert is never held back by its own payload."""
    try:
        payload = parse_payload(entry.type, entry.payload)
    except PayloadFormatError:
        return entry.created_at  # the moment it was queued: as good, and it still goes out
    return payload.created_at if isinstance(payload, SupportAlertRaise) else entry.created_at


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
            created_at = raised_at(entry).isoformat()
            try:
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
        mutations: list[Mutation] = []
        for entry in entries:
            try:
                mutations.append(to_mutation(entry))
            except PayloadFormatError:  # the clinic would refuse it too: keep it for the patient to see
                await self._reject(entry, "mutation.invalid", None)
                return 1
        try:
            results = await self._client.push(mutations)
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
