"""The escalation ladder's rows: what is open and unacknowledged, each step fired once, the webhook outbox."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, literal_column, select, text, update
from sqlalchemy.dialects import postgresql, sqlite

from clinic.database import Writer
from clinic.tables import clinics, escalations, flags, support_alerts, webhook_deliveries

SWEEP_LOCK_KEY = 0x57617971  # "Wayq": the escalation sweep, one process at a time (PostgreSQL)
SUBJECTS = {"support_alert": support_alerts, "flag": flags}


def try_sweep_lock(conn: Connection) -> bool:
    """PostgreSQL: True if this transaction now holds the sweep's advisory lock (released at commit).

    A process that does not get it skips its round: another process is escalating right now.
    SQLite has one writer at a time anyway (write() is BEGIN IMMEDIATE).
    """
    if conn.dialect.name != "postgresql":
        return True
    return bool(
        conn.execute(text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": SWEEP_LOCK_KEY}).scalar()
    )


def unacknowledged(conn: Connection) -> list[Row[Any]]:
    """Open support alerts and flags of every clinic, with what the ladder needs to time them.

    Rows: kind, id, clinic_id, since (received/created), escalation_step, policy (the clinic's
    `escalation` JSON), timezone.
    """
    alerts = (
        select(
            literal_column("'support_alert'").label("kind"),
            support_alerts.c.id,
            support_alerts.c.clinic_id,
            support_alerts.c.received_at.label("since"),
            support_alerts.c.escalation_step,
            clinics.c.escalation.label("policy"),
            clinics.c.timezone,
        )
        .join(clinics, clinics.c.id == support_alerts.c.clinic_id)
        .where(support_alerts.c.status == "received")
    )
    open_flags = (
        select(
            literal_column("'flag'").label("kind"),
            flags.c.id,
            flags.c.clinic_id,
            flags.c.created_at.label("since"),
            flags.c.escalation_step,
            clinics.c.escalation.label("policy"),
            clinics.c.timezone,
        )
        .join(clinics, clinics.c.id == flags.c.clinic_id)
        .where(flags.c.status == "open")
    )
    rows = list(conn.execute(alerts).all()) + list(conn.execute(open_flags).all())
    return rows


def subject(conn: Connection, kind: str, subject_id: str) -> Row[Any] | None:
    table = SUBJECTS[kind]
    return conn.execute(select(table).where(table.c.id == subject_id)).first()


def insert_step(w: Writer, **values: Any) -> bool:
    """Record a fired step unless it was fired already (then nothing); True if it is new."""
    keys = ["kind", "subject_id", "step"]
    if w.conn.dialect.name == "postgresql":
        stmt: Any = (
            postgresql.insert(escalations).values(**values).on_conflict_do_nothing(index_elements=keys)
        )
    else:
        stmt = sqlite.insert(escalations).values(**values).on_conflict_do_nothing(index_elements=keys)
    # RETURNING, not rowcount: psycopg may report -1 for an INSERT … ON CONFLICT.
    return w.execute(stmt.returning(escalations.c.id)).first() is not None


def set_step(w: Writer, kind: str, subject_id: str, step: int, escalated_to: str) -> None:
    table = SUBJECTS[kind]
    w.execute(
        update(table).where(table.c.id == subject_id).values(escalation_step=step, escalated_to=escalated_to)
    )


def steps_of(conn: Connection, kind: str, subject_id: str) -> list[Row[Any]]:
    query = select(escalations).where(escalations.c.kind == kind, escalations.c.subject_id == subject_id)
    return list(conn.execute(query.order_by(escalations.c.step)).all())


# -- the webhook outbox ----------------------------------------------------------------------------


def enqueue(w: Writer, **values: Any) -> None:
    w.execute(webhook_deliveries.insert().values(**values))


def claim_due(w: Writer, now: datetime, lease_until: datetime, limit: int) -> list[Row[Any]]:
    """Deliveries due now, leased to this process until `lease_until` (their attempts counted).

    PostgreSQL: FOR UPDATE SKIP LOCKED, so two processes claiming at once take different rows;
    the lease (next_attempt_at pushed forward) keeps them from a second process after the commit,
    and brings them back if this process dies before it records the answer.
    """
    query = (
        select(webhook_deliveries.c.id)
        .where(
            webhook_deliveries.c.delivered_at.is_(None),
            webhook_deliveries.c.failed_at.is_(None),
            webhook_deliveries.c.next_attempt_at <= now,
        )
        .order_by(webhook_deliveries.c.next_attempt_at)
        .limit(limit)
    )
    if w.conn.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    ids = [r.id for r in w.execute(query)]
    if not ids:
        return []
    w.execute(
        update(webhook_deliveries)
        .where(webhook_deliveries.c.id.in_(ids))
        .values(next_attempt_at=lease_until, attempts=webhook_deliveries.c.attempts + 1)
    )
    claimed = (
        select(webhook_deliveries, clinics.c.escalation.label("policy"))
        .join(clinics, clinics.c.id == webhook_deliveries.c.clinic_id)
        .where(webhook_deliveries.c.id.in_(ids))
    )
    return list(w.execute(claimed).all())


def record_attempt(w: Writer, delivery_id: str, **values: Any) -> None:
    w.execute(update(webhook_deliveries).where(webhook_deliveries.c.id == delivery_id).values(**values))


def delivery(conn: Connection, delivery_id: str) -> Row[Any] | None:
    query = select(webhook_deliveries).where(webhook_deliveries.c.id == delivery_id)
    return conn.execute(query).first()


def set_policy(w: Writer, clinic_id: str, policy: dict[str, Any]) -> bool:
    done = w.execute(update(clinics).where(clinics.c.id == clinic_id).values(escalation=policy))
    return bool(done.rowcount == 1)
