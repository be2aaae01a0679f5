"""Row codecs: how records, outbox entries, rejections and settings are sealed into SQLite rows."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from app.domain.model import JSON
from app.store.crypto import AD_TAG, Sealer, associated_data, load_json
from app.store.errors import RecordDamagedError
from app.store.models import OutboxEntry, RecordChange, RejectedEntry, StoredRecord

DAMAGE = (RecordDamagedError, KeyError, TypeError, ValueError)  # what a damaged sealed value can raise


def query_keys(type_: str, data: JSON) -> tuple[str | None, str | None]:
    """The clear-text query keys of a record: its local day (schedule) and the id it refers to."""
    day = None
    starts_at = data.get("starts_at")
    if isinstance(starts_at, str) and len(starts_at) >= 10:
        day = starts_at[:10]  # the server writes clinic-local times, so this is the clinic's day
    ref = data.get("schedule_item_id") or data.get("share_id")
    return day, ref if isinstance(ref, str) else None


def record_ad(type_: str, id_: str, version: int) -> bytes:
    """`associated_data("record", type_, id_, version)`, byte for byte, built in one step (read per row)."""
    return f"{AD_TAG}\x1frecord\x1f{type_}\x1f{id_}\x1f{version}".encode()


def put_record(conn: sqlite3.Connection, sealer: Sealer, change: RecordChange) -> None:
    if change.deleted or change.data is None:
        conn.execute("DELETE FROM records WHERE type = ? AND id = ?", (change.type, change.id))
        return
    kid, blob = sealer.seal_json(record_ad(change.type, change.id, change.version), change.data)
    day, ref = query_keys(change.type, change.data)
    conn.execute(
        "INSERT OR REPLACE INTO records (type, id, version, day, ref, kid, sealed) VALUES (?,?,?,?,?,?,?)",
        (change.type, change.id, change.version, day, ref, kid, blob),
    )


def open_records(
    sealer: Sealer, type_: str, fetched: Sequence[tuple[Any, ...]]
) -> tuple[list[StoredRecord], list[str]]:
    """Open `(id, version, kid, sealed)` rows of one type: the records, and apart the ids that did not open.

    Every row is authenticated against its own type, id and version. Built for many rows (a year of
    schedule is ~600): the values are opened in one batch, and JSON goes through the fast `load_json`.
    """
    opened = sealer.open_many(
        [(kid, record_ad(type_, id_, version), blob) for id_, version, kid, blob in fetched]
    )
    found, damaged = [], []
    for (id_, version, _, _), plaintext in zip(fetched, opened, strict=True):
        try:
            data = None if plaintext is None else load_json(plaintext.decode("utf-8"))
        except ValueError:  # not UTF-8, not JSON
            data = None
        if isinstance(data, dict):
            found.append(StoredRecord(type_, id_, version, data))
        else:
            damaged.append(id_)
    return found, damaged


def _dt(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


def entry_to_json(entry: OutboxEntry) -> JSON:
    return {
        "type": entry.type,
        "payload": entry.payload,
        "base_version": entry.base_version,
        "created_at": entry.created_at.isoformat(),
        "target_type": entry.target_type,
        "target_id": entry.target_id,
    }


def entry_from_json(id_: str, seq: int, raw: object) -> OutboxEntry:
    if not isinstance(raw, dict):
        raise RecordDamagedError("outbox entry is not an object")
    created = _dt(raw["created_at"])
    assert created is not None
    return OutboxEntry(
        id=id_,
        type=raw["type"],
        payload=raw["payload"],
        base_version=raw["base_version"],
        created_at=created,
        target_type=raw.get("target_type"),
        target_id=raw.get("target_id"),
        seq=seq,
    )


def put_outbox(conn: sqlite3.Connection, sealer: Sealer, entry: OutboxEntry, *, replace: bool) -> None:
    kid, blob = sealer.seal_json(associated_data("outbox", entry.id), entry_to_json(entry))
    if replace:
        conn.execute("UPDATE outbox SET kid = ?, sealed = ? WHERE id = ?", (kid, blob, entry.id))
    else:
        conn.execute("INSERT INTO outbox (id, kid, sealed) VALUES (?,?,?)", (entry.id, kid, blob))


def open_outbox(sealer: Sealer, row: tuple[Any, ...]) -> OutboxEntry:
    seq, id_, kid, blob = row
    return entry_from_json(id_, seq, sealer.open_json(kid, associated_data("outbox", id_), blob))


def change_to_json(change: RecordChange | None) -> JSON | None:
    if change is None:
        return None
    return {
        "type": change.type,
        "id": change.id,
        "version": change.version,
        "deleted": change.deleted,
        "data": change.data,
    }


def change_from_json(raw: Any) -> RecordChange | None:
    if raw is None:
        return None
    return RecordChange(raw["type"], raw["id"], int(raw["version"]), bool(raw["deleted"]), raw["data"])


def put_rejected(conn: sqlite3.Connection, sealer: Sealer, rejected: RejectedEntry) -> None:
    value = {
        "entry": entry_to_json(rejected.entry),
        "status": rejected.status,
        "code": rejected.code,
        "reason": rejected.reason,
        "server_record": change_to_json(rejected.server_record),
        "at": rejected.at.isoformat() if rejected.at else None,
    }
    kid, blob = sealer.seal_json(associated_data("rejected", rejected.entry.id), value)
    conn.execute(
        "INSERT OR REPLACE INTO rejected (id, kid, sealed) VALUES (?,?,?)", (rejected.entry.id, kid, blob)
    )


def open_rejected(sealer: Sealer, row: tuple[Any, ...]) -> RejectedEntry:
    seq, id_, kid, blob = row
    raw = sealer.open_json(kid, associated_data("rejected", id_), blob)
    if not isinstance(raw, dict):
        raise RecordDamagedError("rejection is not an object")
    return RejectedEntry(
        entry=entry_from_json(id_, seq, raw["entry"]),
        status=raw["status"],
        code=raw["code"],
        reason=raw["reason"],
        server_record=change_from_json(raw["server_record"]),
        at=_dt(raw["at"]),
    )


def put_meta(conn: sqlite3.Connection, sealer: Sealer, name: str, value: object) -> None:
    kid, blob = sealer.seal_json(associated_data("meta", name), value)
    conn.execute("INSERT OR REPLACE INTO meta (name, kid, sealed) VALUES (?,?,?)", (name, kid, blob))


def open_meta(sealer: Sealer, name: str, kid: str, blob: bytes) -> object:
    return sealer.open_json(kid, associated_data("meta", name), blob)
