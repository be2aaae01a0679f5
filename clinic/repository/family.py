"""What a family member's sync reads and records: shared schedules and what each member was sent."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, exists, select

from clinic.database import Writer
from clinic.tables import disclosures, schedule_items, sync_index

# Keeps each IN (...) list well under SQLite's and PostgreSQL's parameter limits.
CHUNK = 500


def items_with_versions(conn: Connection, patient_id: str, after: int | None) -> list[Row[Any]]:
    """The patient's schedule items and their versions, all or those after `after`.

    Drug tests too: one a family member was once sent as something else must still be withdrawn.
    """
    query = (
        select(schedule_items, sync_index.c.version)
        .join(
            sync_index,
            (sync_index.c.type == "schedule_item") & (sync_index.c.record_id == schedule_items.c.id),
        )
        .where(schedule_items.c.patient_id == patient_id)
    )
    if after is not None:
        query = query.where(sync_index.c.version > after)
    return list(conn.execute(query).all())


def disclosed(conn: Connection, family_id: str, type_: str, record_ids: Iterable[str]) -> set[str]:
    """Which of these records this family member was ever sent."""
    wanted = list(dict.fromkeys(record_ids))
    found: set[str] = set()
    for i in range(0, len(wanted), CHUNK):
        query = select(disclosures.c.record_id).where(
            disclosures.c.family_account_id == family_id,
            disclosures.c.type == type_,
            disclosures.c.record_id.in_(wanted[i : i + CHUNK]),
        )
        found.update(str(r[0]) for r in conn.execute(query))
    return found


def record_disclosures(w: Writer, family_id: str, type_: str, sent: dict[str, str], now: datetime) -> None:
    """Remember that these records ({record id: share id}) were sent (writers are serialized)."""
    new = {k: v for k, v in sent.items() if k not in disclosed(w.conn, family_id, type_, sent)}
    if new:
        w.conn.execute(
            disclosures.insert(),
            [
                {
                    "family_account_id": family_id,
                    "type": type_,
                    "record_id": record_id,
                    "share_id": share_id,
                    "disclosed_at": now,
                }
                for record_id, share_id in new.items()
            ],
        )


def forget_purged(w: Writer) -> int:
    """Forget sendings of records whose tombstones were purged: a cursor older than them resets
    (a snapshot, no tombstones), so nobody needs them again. Returns how many were forgotten."""
    indexed = exists().where(
        sync_index.c.type == disclosures.c.type, sync_index.c.record_id == disclosures.c.record_id
    )
    return int(w.execute(disclosures.delete().where(~indexed)).rowcount)
