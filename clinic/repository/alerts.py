"""Support alerts, and the first answer to every client-generated id (idempotency)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, select, update

from clinic.database import Writer
from clinic.tables import accounts, mutations, support_alerts, sync_index


def alert(conn: Connection, alert_id: str) -> Row[Any] | None:
    return conn.execute(select(support_alerts).where(support_alerts.c.id == alert_id)).first()


def alerts_by_ids(conn: Connection, ids: Iterable[str]) -> dict[str, Row[Any]]:
    wanted = list(ids)
    if not wanted:
        return {}
    rows = conn.execute(select(support_alerts).where(support_alerts.c.id.in_(wanted))).all()
    return {r.id: r for r in rows}


def insert_alert(w: Writer, **values: Any) -> None:
    w.execute(support_alerts.insert().values(**values))


def latest_of_patient(conn: Connection, patient_id: str) -> Row[Any] | None:
    """The patient's most recently received alert."""
    query = (
        select(support_alerts)
        .where(support_alerts.c.patient_id == patient_id)
        .order_by(support_alerts.c.received_at.desc())
        .limit(1)
    )
    return conn.execute(query).first()


def acknowledge(
    w: Writer, alert_id: str, by: str, now: datetime, outcome: str | None = None, note: str | None = None
) -> None:
    w.execute(
        update(support_alerts)
        .where(support_alerts.c.id == alert_id)
        .values(status="acknowledged", acknowledged_by=by, acknowledged_at=now, outcome=outcome, note=note)
    )


def clinic_alerts(
    conn: Connection,
    clinic_id: str,
    *,
    after: int = 0,
    limit: int = 200,
    alert_id: str | None = None,
    oldest_first: bool = False,
) -> list[Row[Any]]:
    """Alerts of a clinic with their sync version and patient name, newest change first."""
    query = (
        select(support_alerts, sync_index.c.version, accounts.c.display_name.label("patient_name"))
        .join(
            sync_index,
            (sync_index.c.type == "support_alert") & (sync_index.c.record_id == support_alerts.c.id),
        )
        .join(accounts, accounts.c.id == support_alerts.c.patient_id)
        .where(support_alerts.c.clinic_id == clinic_id, sync_index.c.version > after)
    )
    if alert_id is not None:
        query = query.where(support_alerts.c.id == alert_id)
    order = sync_index.c.version if oldest_first else sync_index.c.version.desc()
    return list(conn.execute(query.order_by(order).limit(limit)).all())


def first_answer(conn: Connection, account_id: str, client_id: str) -> Row[Any] | None:
    query = select(mutations).where(mutations.c.account_id == account_id, mutations.c.id == client_id)
    return conn.execute(query).first()


def remember_answer(
    w: Writer,
    account_id: str,
    client_id: str,
    type_: str,
    result: dict[str, Any],
    now: datetime,
    request_hash: str | None = None,
) -> None:
    w.execute(
        mutations.insert().values(
            account_id=account_id,
            id=client_id,
            type=type_,
            result=result,
            created_at=now,
            request_hash=request_hash,
        )
    )
