"""Clinics, accounts (staff, patients, family), devices, tokens and enrolment codes."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Row, Select, select, update

from clinic.database import Writer
from clinic.tables import accounts, clinics, devices, enrolment_codes, enrolments, patients, tokens


def clinic(conn: Connection, clinic_id: str) -> Row[Any] | None:
    return conn.execute(select(clinics).where(clinics.c.id == clinic_id)).first()


def clinic_zone(conn: Connection, clinic_id: str) -> ZoneInfo:
    """The timezone of a clinic that exists (every principal's and account's does)."""
    row = clinic(conn, clinic_id)
    assert row is not None
    return ZoneInfo(row.timezone)


def clinic_by_name(conn: Connection, name: str) -> Row[Any] | None:
    return conn.execute(select(clinics).where(clinics.c.name == name)).first()


def insert_clinic(w: Writer, **values: Any) -> None:
    w.execute(clinics.insert().values(**values))


def set_assignment_templates(w: Writer, clinic_id: str, templates: list[dict[str, str]]) -> None:
    w.execute(update(clinics).where(clinics.c.id == clinic_id).values(assignment_templates=templates))


def account(conn: Connection, account_id: str) -> Row[Any] | None:
    return conn.execute(select(accounts).where(accounts.c.id == account_id)).first()


def account_by_username(conn: Connection, username: str) -> Row[Any] | None:
    return conn.execute(select(accounts).where(accounts.c.username == username)).first()


def insert_account(w: Writer, **values: Any) -> None:
    w.execute(accounts.insert().values(**values))


def set_password(w: Writer, account_id: str, password_hash: str) -> None:
    w.execute(update(accounts).where(accounts.c.id == account_id).values(password_hash=password_hash))


def patient(conn: Connection, patient_id: str) -> Row[Any] | None:
    query = select(patients, accounts.c.display_name, accounts.c.username).join(
        accounts, accounts.c.id == patients.c.id
    )
    return conn.execute(query.where(patients.c.id == patient_id)).first()


def clinic_patients(conn: Connection, clinic_id: str) -> list[Row[Any]]:
    query = (
        select(patients, accounts.c.display_name, accounts.c.username)
        .join(accounts, accounts.c.id == patients.c.id)
        .where(patients.c.clinic_id == clinic_id)
        .order_by(accounts.c.display_name, patients.c.id)
    )
    return list(conn.execute(query).all())


def insert_patient(w: Writer, **values: Any) -> None:
    w.execute(patients.insert().values(**values))


def discharge(w: Writer, patient_id: str, now: datetime) -> None:
    w.execute(update(patients).where(patients.c.id == patient_id).values(discharged_at=now))


def enrolment_of(conn: Connection, patient_id: str) -> Row[Any] | None:
    return conn.execute(select(enrolments).where(enrolments.c.patient_id == patient_id)).first()


def insert_enrolment(w: Writer, **values: Any) -> None:
    w.execute(enrolments.insert().values(**values))


def insert_device(w: Writer, **values: Any) -> None:
    w.execute(devices.insert().values(**values))


def device(conn: Connection, device_id: str) -> Row[Any] | None:
    return conn.execute(select(devices).where(devices.c.id == device_id)).first()


def device_owner(conn: Connection, device_id: str) -> Row[Any] | None:
    """The device with its account's role, clinic and name (for device-signed requests)."""
    query = (
        select(devices, accounts.c.role, accounts.c.clinic_id, accounts.c.display_name)
        .join(accounts, accounts.c.id == devices.c.account_id)
        .where(devices.c.id == device_id)
    )
    return conn.execute(query).first()


def set_device_key(w: Writer, device_id: str, public_key: str) -> bool:
    """Register a key for a device that has none; False if it already has one."""
    stmt = (
        update(devices)
        .where(devices.c.id == device_id, devices.c.public_key.is_(None))
        .values(public_key=public_key)
    )
    return bool(w.execute(stmt).rowcount == 1)


def account_devices(conn: Connection, account_id: str) -> list[Row[Any]]:
    query = select(devices).where(devices.c.account_id == account_id).order_by(devices.c.created_at)
    return list(conn.execute(query).all())


def revoke_device(w: Writer, device_id: str, now: datetime) -> None:
    w.execute(
        update(devices)
        .where(devices.c.id == device_id, devices.c.revoked_at.is_(None))
        .values(revoked_at=now)
    )


def insert_token(w: Writer, **values: Any) -> None:
    w.execute(tokens.insert().values(**values))


def _token_with_account() -> Select[Any]:
    """A token joined with its device and account: what authentication reads."""
    return (
        select(
            tokens,
            devices.c.account_id,
            devices.c.revoked_at,
            accounts.c.role,
            accounts.c.clinic_id,
            accounts.c.display_name,
            accounts.c.is_admin,
        )
        .join(devices, devices.c.id == tokens.c.device_id)
        .join(accounts, accounts.c.id == devices.c.account_id)
    )


def token(conn: Connection, token_hash: str) -> Row[Any] | None:
    """The token with its device and account, joined."""
    return conn.execute(_token_with_account().where(tokens.c.hash == token_hash)).first()


def tokens_by_hash(conn: Connection, token_hashes: list[str]) -> dict[str, Row[Any]]:
    """`token()` for many hashes in one query per 500 (open streams' credentials, re-checked together)."""
    found: dict[str, Row[Any]] = {}
    for start in range(0, len(token_hashes), 500):
        chunk = token_hashes[start : start + 500]
        query = _token_with_account().where(tokens.c.hash.in_(chunk))
        found.update((row.hash, row) for row in conn.execute(query))
    return found


def mark_token_used(w: Writer, token_hash: str, now: datetime) -> bool:
    """Consume a refresh token; False if someone else already did (a reuse)."""
    stmt = update(tokens).where(tokens.c.hash == token_hash, tokens.c.used_at.is_(None)).values(used_at=now)
    return bool(w.execute(stmt).rowcount == 1)


def delete_expired_tokens(w: Writer, now: datetime) -> None:
    w.execute(tokens.delete().where(tokens.c.kind == "access", tokens.c.expires_at < now))


def insert_code(w: Writer, **values: Any) -> None:
    w.execute(enrolment_codes.insert().values(**values))


def code(conn: Connection, code_hash: str) -> Row[Any] | None:
    return conn.execute(select(enrolment_codes).where(enrolment_codes.c.hash == code_hash)).first()


def use_code(w: Writer, code_hash: str, now: datetime) -> bool:
    stmt = (
        update(enrolment_codes)
        .where(enrolment_codes.c.hash == code_hash, enrolment_codes.c.used_at.is_(None))
        .values(used_at=now)
    )
    return bool(w.execute(stmt).rowcount == 1)
