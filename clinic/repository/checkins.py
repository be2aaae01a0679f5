"""Questionnaires (clinic data), the ones each patient is asked to answer, and their check-ins."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import Connection, Row, and_, func, or_, select, update

from clinic.database import Writer
from clinic.tables import (
    checkins,
    clinics,
    devices,
    enrolments,
    patient_questionnaires,
    patients,
    questionnaires,
    sync_index,
)

CHUNK = 500  # keeps IN (...) lists well under SQLite's and PostgreSQL's parameter limits


def insert_questionnaire(w: Writer, **values: Any) -> None:
    w.execute(questionnaires.insert().values(**values))


def clinic_questionnaires(conn: Connection, clinic_id: str) -> list[Row[Any]]:
    query = select(questionnaires).where(questionnaires.c.clinic_id == clinic_id)
    return list(conn.execute(query.order_by(questionnaires.c.created_at, questionnaires.c.key)).all())


def assign(w: Writer, **values: Any) -> None:
    w.execute(patient_questionnaires.insert().values(**values))


def _assigned() -> Any:
    return select(
        patient_questionnaires,
        questionnaires.c.clinic_id,
        questionnaires.c.key,
        questionnaires.c.cadence,
        questionnaires.c.definition,
    ).join(questionnaires, questionnaires.c.id == patient_questionnaires.c.questionnaire_id)


def assigned(conn: Connection, assignment_id: str) -> Row[Any] | None:
    """A patient's questionnaire (the `questionnaire` record) with its definition."""
    return conn.execute(_assigned().where(patient_questionnaires.c.id == assignment_id)).first()


def assigned_by_ids(conn: Connection, ids: Iterable[str]) -> dict[str, Row[Any]]:
    wanted = list(dict.fromkeys(ids))
    found: dict[str, Row[Any]] = {}
    for i in range(0, len(wanted), CHUNK):
        query = _assigned().where(patient_questionnaires.c.id.in_(wanted[i : i + CHUNK]))
        found.update({r.id: r for r in conn.execute(query)})
    return found


def patient_assignments(conn: Connection, patient_id: str) -> list[Row[Any]]:
    query = _assigned().where(patient_questionnaires.c.patient_id == patient_id)
    return list(conn.execute(query.order_by(questionnaires.c.key)).all())


def checkin(conn: Connection, checkin_id: str) -> Row[Any] | None:
    return conn.execute(select(checkins).where(checkins.c.id == checkin_id)).first()


def checkin_for_period(
    conn: Connection, patient_id: str, assignment_id: str, period: date
) -> Row[Any] | None:
    query = select(checkins).where(
        checkins.c.patient_id == patient_id,
        checkins.c.questionnaire_id == assignment_id,
        checkins.c.period == period,
    )
    return conn.execute(query).first()


def insert_checkin(w: Writer, **values: Any) -> None:
    w.execute(checkins.insert().values(**values))


def update_checkin(w: Writer, checkin_id: str, **values: Any) -> None:
    w.execute(update(checkins).where(checkins.c.id == checkin_id).values(**values))


def checkins_by_ids(conn: Connection, ids: Iterable[str]) -> dict[str, Row[Any]]:
    wanted = list(dict.fromkeys(ids))
    found: dict[str, Row[Any]] = {}
    for i in range(0, len(wanted), CHUNK):
        query = select(checkins).where(checkins.c.id.in_(wanted[i : i + CHUNK]))
        found.update({r.id: r for r in conn.execute(query)})
    return found


def patient_checkins(
    conn: Connection, patient_id: str, limit: int, before: tuple[date, str] | None = None
) -> list[Row[Any]]:
    """A page of a patient's check-ins with their questionnaire's key and sync version.

    Newest period first (ties by id); `before`: the (period, id) of the last one of the page before.
    """
    query = (
        select(checkins, questionnaires.c.key.label("questionnaire_key"), sync_index.c.version)
        .join(patient_questionnaires, patient_questionnaires.c.id == checkins.c.questionnaire_id)
        .join(questionnaires, questionnaires.c.id == patient_questionnaires.c.questionnaire_id)
        .join(sync_index, and_(sync_index.c.type == "checkin", sync_index.c.record_id == checkins.c.id))
        .where(checkins.c.patient_id == patient_id)
    )
    if before is not None:
        period, checkin_id = before
        query = query.where(
            or_(checkins.c.period < period, and_(checkins.c.period == period, checkins.c.id < checkin_id))
        )
    return list(
        conn.execute(query.order_by(checkins.c.period.desc(), checkins.c.id.desc()).limit(limit)).all()
    )


def daily_checkins(conn: Connection, patient_id: str, first: date, last: date) -> list[Row[Any]]:
    """The patient's daily check-ins with periods in [first, last], oldest first."""
    query: Any = (
        select(checkins.c.period, checkins.c.answers)
        .join(patient_questionnaires, patient_questionnaires.c.id == checkins.c.questionnaire_id)
        .join(questionnaires, questionnaires.c.id == patient_questionnaires.c.questionnaire_id)
        .where(
            checkins.c.patient_id == patient_id,
            questionnaires.c.cadence == "daily",
            checkins.c.period >= first,
            checkins.c.period <= last,
        )
    )
    return list(conn.execute(query.order_by(checkins.c.period)).all())


def daily_checkin_status(conn: Connection, patient_ids: Iterable[str] | None = None) -> list[Row[Any]]:
    """What the missed-check-in rule needs, per patient asked to check in daily: not discharged,
    enrolled, with a device. Columns: patient_id, clinic_id, timezone, missed_checkin_days,
    start_date, planned_weeks, first_device_at, assigned_at, last_period (None: never checked in)."""
    first_device = (
        select(devices.c.account_id, func.min(devices.c.created_at).label("first_device_at"))
        .group_by(devices.c.account_id)
        .subquery()
    )
    last = (
        select(checkins.c.questionnaire_id, func.max(checkins.c.period).label("last_period"))
        .group_by(checkins.c.questionnaire_id)
        .subquery()
    )
    query: Any = (
        select(
            patients.c.id.label("patient_id"),
            patients.c.clinic_id,
            clinics.c.timezone,
            clinics.c.missed_checkin_days,
            enrolments.c.start_date,
            enrolments.c.planned_weeks,
            first_device.c.first_device_at,
            patient_questionnaires.c.assigned_at,
            last.c.last_period,
        )
        .join(clinics, clinics.c.id == patients.c.clinic_id)
        .join(enrolments, enrolments.c.patient_id == patients.c.id)
        .join(first_device, first_device.c.account_id == patients.c.id)
        .join(patient_questionnaires, patient_questionnaires.c.patient_id == patients.c.id)
        .join(
            questionnaires,
            and_(
                questionnaires.c.id == patient_questionnaires.c.questionnaire_id,
                questionnaires.c.cadence == "daily",
            ),
        )
        .outerjoin(last, last.c.questionnaire_id == patient_questionnaires.c.id)
        .where(patients.c.discharged_at.is_(None))
    )
    if patient_ids is not None:
        query = query.where(patients.c.id.in_(list(patient_ids)))
    return list(conn.execute(query.order_by(patients.c.id)).all())
