"""The audit log: who read or changed which patient's records, when."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, select

from clinic.database import Writer
from clinic.tables import audit_log


def record(
    w: Writer,
    *,
    clinic_id: str,
    actor_id: str | None,
    actor_role: str,
    patient_id: str | None,
    action: str,
    at: datetime,
) -> None:
    w.execute(
        audit_log.insert().values(
            clinic_id=clinic_id,
            actor_id=actor_id,
            actor_role=actor_role,
            patient_id=patient_id,
            action=action,
            at=at,
        )
    )


def entries(
    conn: Connection, clinic_id: str, patient_id: str | None, before_id: int | None, limit: int
) -> list[Row[Any]]:
    query = select(audit_log).where(audit_log.c.clinic_id == clinic_id)
    if patient_id is not None:
        query = query.where(audit_log.c.patient_id == patient_id)
    if before_id is not None:
        query = query.where(audit_log.c.id < before_id)
    return list(conn.execute(query.order_by(audit_log.c.id.desc()).limit(limit)).all())
