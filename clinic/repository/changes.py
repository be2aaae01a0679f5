"""The sync index: which record changed at which version, tombstones, and hidden-until rules."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, and_, func, or_, select, update
from sqlalchemy.sql.elements import ColumnElement

from clinic.database import Writer
from clinic.tables import counter, meta, sync_index


@dataclass(frozen=True, slots=True)
class Change:
    type: str
    record_id: str
    patient_id: str | None
    version: int
    deleted: bool


def touch(
    w: Writer,
    type_: str,
    record_id: str,
    *,
    clinic_id: str,
    patient_id: str | None,
    now: datetime,
    deleted: bool = False,
    hidden_until: datetime | None = None,
    by: str | None = None,
) -> int:
    """Record that a row changed in this transaction; returns its new version."""
    version = w.next_version()
    values = {
        "version": version,
        "deleted": deleted,
        "hidden_until": hidden_until,
        "changed_at": now,
        "clinic_id": clinic_id,
        "patient_id": patient_id,
        "changed_by": by,
    }
    key = and_(sync_index.c.type == type_, sync_index.c.record_id == record_id)
    if w.execute(update(sync_index).where(key).values(**values)).rowcount == 0:
        w.execute(sync_index.insert().values(type=type_, record_id=record_id, **values))
    return version


def version_of(conn: Connection, type_: str, record_id: str) -> int | None:
    row = last_change(conn, type_, record_id)
    return None if row is None else int(row[0])


def last_change(conn: Connection, type_: str, record_id: str) -> tuple[int, str | None] | None:
    """(version, who changed it last) of a record, or None if it was never synced."""
    row = conn.execute(
        select(sync_index.c.version, sync_index.c.changed_by).where(
            sync_index.c.type == type_, sync_index.c.record_id == record_id
        )
    ).first()
    return None if row is None else (int(row[0]), row[1])


def visible_now(now: datetime) -> ColumnElement[bool]:
    return or_(sync_index.c.hidden_until.is_(None), sync_index.c.hidden_until <= now)


def patient_scope(patient_id: str, clinic_id: str) -> ColumnElement[bool]:
    return or_(
        sync_index.c.patient_id == patient_id,
        and_(sync_index.c.type == "clinic", sync_index.c.record_id == clinic_id),
    )


def since(
    conn: Connection, scope: ColumnElement[bool], after: int, limit: int, now: datetime, *, live_only: bool
) -> list[Change]:
    """Changes in scope with version > after, in version order (limit + 1 rows to tell has_more)."""
    query = select(
        sync_index.c.type,
        sync_index.c.record_id,
        sync_index.c.patient_id,
        sync_index.c.version,
        sync_index.c.deleted,
    ).where(scope, sync_index.c.version > after, visible_now(now))
    if live_only:
        query = query.where(sync_index.c.deleted.is_(False))
    rows = conn.execute(query.order_by(sync_index.c.version).limit(limit + 1)).all()
    return [Change(r.type, r.record_id, r.patient_id, int(r.version), bool(r.deleted)) for r in rows]


def due_hidden(conn: Connection, patient_id: str, now: datetime) -> Sequence[tuple[str, str]]:
    """Hidden records of a patient whose time has come (they need a fresh version to be sent)."""
    rows = conn.execute(
        select(sync_index.c.type, sync_index.c.record_id).where(
            sync_index.c.patient_id == patient_id,
            sync_index.c.hidden_until.is_not(None),
            sync_index.c.hidden_until <= now,
            sync_index.c.deleted.is_(False),
        )
    ).all()
    return [(r.type, r.record_id) for r in rows]


def reveal(w: Writer, type_: str, record_id: str, now: datetime) -> None:
    w.execute(
        update(sync_index)
        .where(sync_index.c.type == type_, sync_index.c.record_id == record_id)
        .values(version=w.next_version(), hidden_until=None, changed_at=now)
    )


def newest_in(conn: Connection, scope: ColumnElement[bool], now: datetime) -> int:
    """The highest version in scope that may be shown now (0: none); what a live stream compares."""
    query = select(func.coalesce(func.max(sync_index.c.version), 0)).where(scope, visible_now(now))
    return int(conn.execute(query).scalar_one())


@dataclass(frozen=True, slots=True)
class Moved:
    """What changed in the sync index between two looks (the stream watcher's "what changed")."""

    patients: frozenset[str]  # patients with a record changed or newly visible
    clinics: frozenset[str]  # clinics with any change (a staff queue's scope)
    clinic_records: frozenset[str]  # clinics whose own record changed (every patient's scope)

    @property
    def any(self) -> bool:
        return bool(self.patients or self.clinics or self.clinic_records)


NOTHING_MOVED = Moved(frozenset(), frozenset(), frozenset())


def counter_value(conn: Connection) -> int:
    """The version counter: every write transaction that changes anything synced moves it."""
    return int(conn.execute(select(counter.c.value)).scalar_one())


def moved_since(conn: Connection, after: int | None, shown_after: datetime, now: datetime) -> Moved:
    """Rows with a version above `after` (None: the counter did not move, none), and hidden rows
    whose time came in (shown_after, now] — shown without a new version (see `visible_now`)."""
    patients: set[str] = set()
    clinics: set[str] = set()
    clinic_records: set[str] = set()
    if after is not None:
        for r in conn.execute(
            select(sync_index.c.type, sync_index.c.record_id, sync_index.c.clinic_id, sync_index.c.patient_id)
            .where(sync_index.c.version > after)
            .distinct()
        ):
            clinics.add(r.clinic_id)
            if r.patient_id is not None:
                patients.add(r.patient_id)
            if r.type == "clinic":
                clinic_records.add(r.record_id)
    for shown in conn.execute(
        select(sync_index.c.clinic_id, sync_index.c.patient_id)
        .where(sync_index.c.hidden_until > shown_after, sync_index.c.hidden_until <= now)
        .distinct()
    ):
        clinics.add(shown.clinic_id)
        if shown.patient_id is not None:
            patients.add(shown.patient_id)
    return Moved(frozenset(patients), frozenset(clinics), frozenset(clinic_records))


def latest_version(conn: Connection) -> int:
    return int(conn.execute(select(func.coalesce(func.max(sync_index.c.version), 0))).scalar_one())


def get_meta(conn: Connection, key: str) -> str:
    return str(conn.execute(select(meta.c.value).where(meta.c.key == key)).scalar_one())


def set_meta(w: Writer, key: str, value: str) -> None:
    w.execute(update(meta).where(meta.c.key == key).values(value=value))


def purge_tombstones(w: Writer, before: datetime) -> int:
    """Forget tombstones older than the retention; returns the highest version forgotten (0: none)."""
    old = and_(sync_index.c.deleted.is_(True), sync_index.c.changed_at < before)
    top = w.execute(select(func.max(sync_index.c.version)).where(old)).scalar_one()
    if top is None:
        return 0
    w.execute(sync_index.delete().where(old))
    return int(top)
