"""Shares (consents to disclose a patient's schedule to a family member) and their invitations."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, select, update

from clinic.database import Writer
from clinic.tables import accounts, shares


def shares_by_ids(conn: Connection, ids: Iterable[str]) -> dict[str, Row[Any]]:
    wanted = list(ids)
    if not wanted:
        return {}
    return {r.id: r for r in conn.execute(select(shares).where(shares.c.id.in_(wanted))).all()}


def share(conn: Connection, share_id: str) -> Row[Any] | None:
    return conn.execute(select(shares).where(shares.c.id == share_id)).first()


def by_invitation(conn: Connection, invitation_hash: str) -> Row[Any] | None:
    return conn.execute(select(shares).where(shares.c.invitation_hash == invitation_hash)).first()


def patient_shares(conn: Connection, patient_id: str) -> list[Row[Any]]:
    query = select(shares).where(shares.c.patient_id == patient_id, shares.c.status != "revoked")
    return list(conn.execute(query.order_by(shares.c.created_at)).all())


def due_to_expire(
    conn: Connection, now: datetime, *, family_id: str | None = None, patient_id: str | None = None
) -> list[Row[Any]]:
    """Active shares past their expiry (of one family member or one patient, if given)."""
    query = select(shares).where(shares.c.status == "active", shares.c.expires_at <= now)
    if family_id is not None:
        query = query.where(shares.c.family_account_id == family_id)
    if patient_id is not None:
        query = query.where(shares.c.patient_id == patient_id)
    return list(conn.execute(query).all())


def family_shares(conn: Connection, family_id: str) -> list[Row[Any]]:
    """Every share a family member accepted (live or ended), with the patient's name."""
    query = (
        select(shares, accounts.c.display_name.label("patient_name"))
        .join(accounts, accounts.c.id == shares.c.patient_id)
        .where(shares.c.family_account_id == family_id)
        .order_by(shares.c.accepted_at)
    )
    return list(conn.execute(query).all())


def insert_share(w: Writer, **values: Any) -> None:
    w.execute(shares.insert().values(**values))


def update_share(w: Writer, share_id: str, **values: Any) -> None:
    w.execute(update(shares).where(shares.c.id == share_id).values(**values))


def accept(w: Writer, share_id: str, family_id: str, now: datetime) -> bool:
    stmt = (
        update(shares)
        .where(shares.c.id == share_id, shares.c.status == "pending")
        .values(status="active", family_account_id=family_id, accepted_at=now)
    )
    return bool(w.execute(stmt).rowcount == 1)
