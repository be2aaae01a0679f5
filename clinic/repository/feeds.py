"""Calendar feeds and download links, and the schedule window a feed shows."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, Select, select, update

from clinic.database import Writer
from clinic.repository.changes import visible_now
from clinic.tables import accounts, calendar_feeds, patients, schedule_items, shares, sync_index


def _with_state() -> Select[Any]:
    """A feed with what decides whether it still lives: its share, the patient's discharge and name."""
    return (
        select(
            calendar_feeds,
            shares.c.status.label("share_status"),
            shares.c.expires_at.label("share_expires_at"),
            shares.c.scope.label("share_scope"),
            patients.c.discharged_at,
            accounts.c.display_name.label("patient_name"),
        )
        .select_from(calendar_feeds)
        .outerjoin(shares, shares.c.id == calendar_feeds.c.share_id)
        .join(patients, patients.c.id == calendar_feeds.c.patient_id)
        .join(accounts, accounts.c.id == calendar_feeds.c.patient_id)
    )


def by_token_hash(conn: Connection, token_hash: str) -> Row[Any] | None:
    return conn.execute(_with_state().where(calendar_feeds.c.token_hash == token_hash)).first()


def feed(conn: Connection, feed_id: str) -> Row[Any] | None:
    return conn.execute(_with_state().where(calendar_feeds.c.id == feed_id)).first()


def account_feeds(conn: Connection, account_id: str) -> list[Row[Any]]:
    """An account's feeds not revoked (download links are not feeds), oldest first."""
    query = _with_state().where(
        calendar_feeds.c.account_id == account_id,
        calendar_feeds.c.kind == "feed",
        calendar_feeds.c.revoked_at.is_(None),
    )
    return list(conn.execute(query.order_by(calendar_feeds.c.created_at, calendar_feeds.c.id)).all())


def insert(w: Writer, **values: Any) -> None:
    w.execute(calendar_feeds.insert().values(**values))


def update_feed(w: Writer, feed_id: str, **values: Any) -> None:
    w.execute(update(calendar_feeds).where(calendar_feeds.c.id == feed_id).values(**values))


def claim_download(w: Writer, feed_id: str, now: datetime) -> bool:
    """Mark a download link used; False if it already was (writers are serialized: one wins)."""
    stmt = (
        update(calendar_feeds)
        .where(calendar_feeds.c.id == feed_id, calendar_feeds.c.used_at.is_(None))
        .values(used_at=now, last_read_at=now)
    )
    return bool(w.execute(stmt).rowcount == 1)


def window(
    conn: Connection, patient_id: str, start: datetime, end: datetime, now: datetime
) -> list[Row[Any]]:
    """The patient's schedule items overlapping [start, end) that the patient may see now (the sync's
    hidden-until rule: drug tests not before they have happened), not deleted, with their version
    and when they last changed."""
    query = (
        select(schedule_items, sync_index.c.version, sync_index.c.changed_at)
        .join(
            sync_index,
            (sync_index.c.type == "schedule_item") & (sync_index.c.record_id == schedule_items.c.id),
        )
        .where(
            schedule_items.c.patient_id == patient_id,
            schedule_items.c.deleted.is_(False),
            sync_index.c.deleted.is_(False),
            schedule_items.c.ends_at > start,
            schedule_items.c.starts_at < end,
            visible_now(now),
        )
        .order_by(schedule_items.c.starts_at, schedule_items.c.id)
    )
    return list(conn.execute(query).all())
