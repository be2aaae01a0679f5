"""A patient's care records: schedule items, assignments, coping plan, RSVPs, attendance."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, Table, select, update

from clinic.database import Writer
from clinic.tables import assignments, attendance, coping_plans, rsvps, schedule_items


def _by_ids(conn: Connection, table: Table, key: str, ids: Iterable[str]) -> dict[str, Row[Any]]:
    wanted = list(ids)
    if not wanted:
        return {}
    column = table.c[key]
    rows = conn.execute(select(table).where(column.in_(wanted))).all()
    return {str(getattr(r, key)): r for r in rows}


def schedule_by_ids(conn: Connection, ids: Iterable[str]) -> dict[str, Row[Any]]:
    return _by_ids(conn, schedule_items, "id", ids)


def assignments_by_ids(conn: Connection, ids: Iterable[str]) -> dict[str, Row[Any]]:
    return _by_ids(conn, assignments, "id", ids)


def coping_by_ids(conn: Connection, ids: Iterable[str]) -> dict[str, Row[Any]]:
    return _by_ids(conn, coping_plans, "patient_id", ids)


def rsvps_by_ids(conn: Connection, ids: Iterable[str]) -> dict[str, Row[Any]]:
    return _by_ids(conn, rsvps, "schedule_item_id", ids)


def attendance_by_ids(conn: Connection, ids: Iterable[str]) -> dict[str, Row[Any]]:
    return _by_ids(conn, attendance, "schedule_item_id", ids)


def schedule_item(conn: Connection, item_id: str) -> Row[Any] | None:
    return conn.execute(select(schedule_items).where(schedule_items.c.id == item_id)).first()


def patient_schedule(
    conn: Connection, patient_id: str, start: datetime | None = None, end: datetime | None = None
) -> list[Row[Any]]:
    query = select(schedule_items).where(
        schedule_items.c.patient_id == patient_id, schedule_items.c.deleted.is_(False)
    )
    if start is not None:
        query = query.where(schedule_items.c.ends_at > start)
    if end is not None:
        query = query.where(schedule_items.c.starts_at < end)
    return list(conn.execute(query.order_by(schedule_items.c.starts_at, schedule_items.c.id)).all())


def insert_schedule_item(w: Writer, **values: Any) -> None:
    w.execute(schedule_items.insert().values(**values))


def update_schedule_item(w: Writer, item_id: str, **values: Any) -> None:
    w.execute(update(schedule_items).where(schedule_items.c.id == item_id).values(**values))


def assignment(conn: Connection, assignment_id: str) -> Row[Any] | None:
    return conn.execute(select(assignments).where(assignments.c.id == assignment_id)).first()


def patient_assignments(conn: Connection, patient_id: str) -> list[Row[Any]]:
    query = select(assignments).where(
        assignments.c.patient_id == patient_id, assignments.c.deleted.is_(False)
    )
    return list(conn.execute(query.order_by(assignments.c.due_at, assignments.c.id)).all())


def insert_assignment(w: Writer, **values: Any) -> None:
    w.execute(assignments.insert().values(**values))


def update_assignment(w: Writer, assignment_id: str, **values: Any) -> None:
    w.execute(update(assignments).where(assignments.c.id == assignment_id).values(**values))


def coping_plan(conn: Connection, patient_id: str) -> Row[Any] | None:
    return conn.execute(select(coping_plans).where(coping_plans.c.patient_id == patient_id)).first()


def save_coping_plan(w: Writer, patient_id: str, data: dict[str, list[str]]) -> None:
    stmt = update(coping_plans).where(coping_plans.c.patient_id == patient_id).values(data=data)
    if w.execute(stmt).rowcount == 0:
        w.execute(coping_plans.insert().values(patient_id=patient_id, data=data))


def rsvp(conn: Connection, item_id: str) -> Row[Any] | None:
    return conn.execute(select(rsvps).where(rsvps.c.schedule_item_id == item_id)).first()


def patient_rsvps(conn: Connection, patient_id: str) -> list[Row[Any]]:
    query = select(rsvps).where(rsvps.c.patient_id == patient_id).order_by(rsvps.c.updated_at)
    return list(conn.execute(query).all())


def save_rsvp(w: Writer, item_id: str, patient_id: str, response: str, note: str, now: datetime) -> None:
    values = {"response": response, "note": note, "updated_at": now}
    stmt = update(rsvps).where(rsvps.c.schedule_item_id == item_id).values(**values)
    if w.execute(stmt).rowcount == 0:
        w.execute(rsvps.insert().values(schedule_item_id=item_id, patient_id=patient_id, **values))


def save_attendance(w: Writer, item_id: str, patient_id: str, status: str) -> None:
    stmt = update(attendance).where(attendance.c.schedule_item_id == item_id).values(status=status)
    if w.execute(stmt).rowcount == 0:
        w.execute(attendance.insert().values(schedule_item_id=item_id, patient_id=patient_id, status=status))
