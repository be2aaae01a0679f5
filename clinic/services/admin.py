"""Provisioning: clinics, staff, patients and enrolment codes (staff API, CLI and demo seed)."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from typing import Any

from clinic.database import Writer
from clinic.errors import BadRequest
from clinic.repository import accounts as repo
from clinic.repository import care, changes
from clinic.roles import Role
from clinic.security import Passwords, code_digest, new_code
from clinic.services import checkins

DEFAULT_LINES = {
    "lifeline": "988",
    "samhsa": "18006624357",
    "crisis_text_number": "741741",
    "crisis_text_keyword": "HOME",
    "emergency": "911",
}


def create_clinic(
    w: Writer, name: str, timezone: str, phone: str, response_minutes: int, now: datetime
) -> str:
    clinic_id = str(uuid.uuid4())
    repo.insert_clinic(
        w,
        id=clinic_id,
        name=name,
        timezone=timezone,
        phone=phone,
        response_minutes=response_minutes,
        lines=dict(DEFAULT_LINES),
        created_at=now,
    )
    changes.touch(w, "clinic", clinic_id, clinic_id=clinic_id, patient_id=None, now=now)
    return clinic_id


def _account(
    w: Writer,
    passwords: Passwords,
    clinic_id: str,
    role: Role,
    username: str | None,
    password: str | None,
    display_name: str,
    now: datetime,
    *,
    is_admin: bool = False,
) -> str:
    if username is not None:
        username = username.strip().lower()
        if repo.account_by_username(w.conn, username) is not None:
            raise BadRequest("auth.username_taken", "Username taken", "Choose another username.")
    account_id = str(uuid.uuid4())
    repo.insert_account(
        w,
        id=account_id,
        clinic_id=clinic_id,
        role=role,
        username=username,
        password_hash=passwords.hash(password) if password else None,
        display_name=display_name,
        is_admin=is_admin,
        created_at=now,
    )
    return account_id


def create_staff(
    w: Writer,
    passwords: Passwords,
    clinic_id: str,
    username: str,
    password: str,
    display_name: str,
    now: datetime,
    *,
    is_admin: bool = True,
) -> str:
    return _account(
        w, passwords, clinic_id, "staff", username, password, display_name, now, is_admin=is_admin
    )


def create_patient(
    w: Writer,
    passwords: Passwords,
    clinic_id: str,
    body: dict[str, Any],
    now: datetime,
    by: str | None = None,
) -> str:
    """The account, its patient record, the enrolment and an empty coping plan, all synced."""
    patient_id = _account(
        w,
        passwords,
        clinic_id,
        "patient",
        body.get("username"),
        body.get("password"),
        body["display_name"],
        now,
    )
    repo.insert_patient(
        w,
        id=patient_id,
        clinic_id=clinic_id,
        counselor_name=body.get("counselor_name"),
        counselor_phone=body.get("counselor_phone"),
    )
    start: date = body["start_date"]
    repo.insert_enrolment(
        w,
        id=str(uuid.uuid4()),
        patient_id=patient_id,
        program_name=body["program_name"],
        start_date=start,
        planned_weeks=body["planned_weeks"],
        days_per_week=body.get("days_per_week", 3),
    )
    care.save_coping_plan(w, patient_id, body.get("coping_plan") or {})
    for type_ in ("patient", "enrolment", "coping_plan"):
        changes.touch(w, type_, patient_id, clinic_id=clinic_id, patient_id=patient_id, now=now, by=by)
    checkins.assign_all(w, clinic_id, patient_id, now, by)  # the clinic's questionnaires
    return patient_id


def enrolment_code(
    w: Writer, patient_id: str, ttl: timedelta, now: datetime, by: str | None
) -> tuple[str, datetime]:
    code = new_code()
    expires_at = now + ttl
    repo.insert_code(w, hash=code_digest(code), patient_id=patient_id, created_by=by, expires_at=expires_at)
    return code, expires_at
