"""Values the store takes and returns: records, incoming changes, outbox entries, rejections."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from app.domain.model import JSON, MutationType


@dataclass(frozen=True, slots=True)
class StoredRecord:
    """A server record as last synced; `data` is its decrypted object as received (typed above the store)."""

    type: str
    id: str
    version: int
    data: JSON


@dataclass(frozen=True, slots=True)
class RecordChange:
    """One upsert or tombstone from the server."""

    type: str
    id: str
    version: int
    deleted: bool = False
    data: JSON | None = None


@dataclass(frozen=True, slots=True)
class OutboxEntry:
    """A local mutation waiting for the server's answer; `id` is its idempotency key."""

    id: str
    type: str
    payload: JSON
    base_version: int | None
    created_at: datetime
    target_type: str | None = None  # the record the edit is made against, for rebasing
    target_id: str | None = None
    seq: int = 0

    @property
    def is_alert(self) -> bool:
        return self.type == MutationType.SUPPORT_ALERT_RAISE


@dataclass(frozen=True, slots=True)
class RejectedEntry:
    """A local change the server refused (conflict or rejected): kept for the patient to see."""

    entry: OutboxEntry
    status: str  # "conflict" | "rejected"
    code: str | None
    reason: str | None
    server_record: RecordChange | None = None
    at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Settlement:
    """The server's answer to one outbox entry: the record to store and/or the refusal to keep."""

    entry_id: str
    change: RecordChange | None = None
    rejected: RejectedEntry | None = None


@dataclass(slots=True)
class StoreProblems:
    """Repairs the store made that the UI should mention calmly (codes only, never PHI)."""

    codes: list[str] = field(default_factory=list)

    def add(self, code: str) -> None:
        if code not in self.codes:
            self.codes.append(code)

    def take(self) -> list[str]:
        taken, self.codes = self.codes, []
        return taken
