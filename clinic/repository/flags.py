"""Flags for the care team: raised by a check-in's answers or by the missed-check-in rule."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, Row, case, select, update
from sqlalchemy.dialects import postgresql, sqlite

from clinic.database import Writer
from clinic.tables import accounts, flags, sync_index

CHUNK = 500


def insert(w: Writer, **values: Any) -> bool:
    """Insert a flag unless one with its dedupe key exists (then nothing); True if inserted.

    ON CONFLICT DO NOTHING on the unique dedupe key: two server processes raising the same flag at
    once insert it once, without an error in either.
    """
    dialect: Any = postgresql if w.conn.dialect.name == "postgresql" else sqlite  # the clinic's two
    stmt = dialect.insert(flags).values(**values).on_conflict_do_nothing(index_elements=["dedupe_key"])
    # RETURNING, not rowcount: through SQLAlchemy, psycopg reports -1 for an INSERT … ON CONFLICT
    return w.execute(stmt.returning(flags.c.id)).first() is not None


def flag(conn: Connection, flag_id: str) -> Row[Any] | None:
    return conn.execute(select(flags).where(flags.c.id == flag_id)).first()


def update_flag(w: Writer, flag_id: str, **values: Any) -> None:
    w.execute(update(flags).where(flags.c.id == flag_id).values(**values))


def of_checkin(conn: Connection, checkin_id: str) -> list[Row[Any]]:
    """A check-in's flags, newest first."""
    query = select(flags).where(flags.c.checkin_id == checkin_id)
    return list(conn.execute(query.order_by(flags.c.created_at.desc(), flags.c.id.desc())).all())


def newest_of_checkins(conn: Connection, checkin_ids: Iterable[str]) -> dict[str, Row[Any]]:
    """The newest flag of each of these check-ins (those that have one)."""
    wanted = list(dict.fromkeys(checkin_ids))
    found: dict[str, Row[Any]] = {}
    for i in range(0, len(wanted), CHUNK):
        query = (
            select(flags)
            .where(flags.c.checkin_id.in_(wanted[i : i + CHUNK]))
            .order_by(flags.c.created_at, flags.c.id)
        )
        found.update({r.checkin_id: r for r in conn.execute(query)})  # the newest wins
    return found


def existing_keys(conn: Connection, keys: Iterable[str]) -> set[str]:
    wanted = list(dict.fromkeys(keys))
    found: set[str] = set()
    for i in range(0, len(wanted), CHUNK):
        query = select(flags.c.dedupe_key).where(flags.c.dedupe_key.in_(wanted[i : i + CHUNK]))
        found.update(str(r[0]) for r in conn.execute(query))
    return found


def clinic_flags(
    conn: Connection,
    clinic_id: str,
    *,
    after: int = 0,
    limit: int = 200,
    flag_id: str | None = None,
    oldest_first: bool = False,
    open_first: bool = False,
) -> list[Row[Any]]:
    """Flags of a clinic with their stream version and patient name (newest change first)."""
    query = (
        select(flags, sync_index.c.version, accounts.c.display_name.label("patient_name"))
        .join(sync_index, (sync_index.c.type == "flag") & (sync_index.c.record_id == flags.c.id))
        .join(accounts, accounts.c.id == flags.c.patient_id)
        .where(flags.c.clinic_id == clinic_id, sync_index.c.version > after)
    )
    if flag_id is not None:
        query = query.where(flags.c.id == flag_id)
    if open_first:
        order: list[Any] = [
            case((flags.c.status == "open", 0), else_=1),
            flags.c.created_at.desc(),
            flags.c.id,
        ]
    elif oldest_first:
        order = [sync_index.c.version]
    else:
        order = [sync_index.c.version.desc()]
    return list(conn.execute(query.order_by(*order).limit(limit)).all())
