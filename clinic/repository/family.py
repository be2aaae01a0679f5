"""What a family member's sync reads: a sharing patient's schedule items with their versions."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Row, select

from clinic.tables import schedule_items, sync_index


def items_with_versions(conn: Connection, patient_id: str, after: int | None) -> list[Row[Any]]:
    """The patient's schedule items (never drug tests) and their versions, all or those after `after`."""
    query = (
        select(schedule_items, sync_index.c.version)
        .join(
            sync_index,
            (sync_index.c.type == "schedule_item") & (sync_index.c.record_id == schedule_items.c.id),
        )
        .where(schedule_items.c.patient_id == patient_id, schedule_items.c.kind != "drug_test")
    )
    if after is not None:
        query = query.where(sync_index.c.version > after)
    return list(conn.execute(query).all())
