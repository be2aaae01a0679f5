"""Support alerts: raised once per client id, listed and streamed to staff, acknowledged back.

Idempotency keys (a support alert's Idempotency-Key, a mutation's id) are scoped per caller and per
kind of request: the first answer is remembered with its kind and a fingerprint of its request, and
the same key again answers that first answer only for the same kind and the same request; anything
else is 409 `idempotency.key_reused` (a rejected mutation in a batch), never another request's answer.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel, TypeAdapter
from sqlalchemy import Connection

from clinic.config import Settings
from clinic.database import Database, Writer
from clinic.errors import ApiError, Conflict, NotFound
from clinic.notify import CHANNEL
from clinic.repository import accounts as accounts_repo
from clinic.repository import alerts as repo
from clinic.repository import audit as audit_repo
from clinic.repository import changes
from clinic.schemas import SUPPORT_ALERT_RAISE, AlertAck, AnyChange, Change, StaffAlert, SupportAlertRaise
from clinic.services import render
from clinic.services.auth import Principal

log = logging.getLogger("clinic.alerts")

RAISE = SUPPORT_ALERT_RAISE
REPEAT_WINDOW = timedelta(minutes=2)  # as the app's (app/domain/alerts.py): taps this close are one call
CHANGE: TypeAdapter[AnyChange] = TypeAdapter(Change)


class AlertIdTaken(ApiError):
    status = 409


def key_reused() -> Conflict:
    return Conflict(
        "idempotency.key_reused",
        "Idempotency key reused",
        "This id was already used for a different request. Generate a new id.",
    )


def request_hash(kind: str, payload: BaseModel) -> str:
    """A fingerprint of a request: its kind and canonical payload (datetimes as UTC instants)."""

    def canonical(value: Any) -> Any:
        if isinstance(value, datetime):
            return value.astimezone(UTC).isoformat()
        if isinstance(value, date):
            return value.isoformat()
        raise TypeError(type(value).__name__)

    text = json.dumps([kind, payload.model_dump()], sort_keys=True, separators=(",", ":"), default=canonical)
    return hashlib.sha256(text.encode()).hexdigest()


def replayed(
    conn: Connection, who: Principal, client_id: str, kind: str, fingerprint: str
) -> AnyChange | None:
    """The first answer to this caller's `client_id`, if it was this same request; else None.

    Raises key_reused() when the id was used for another kind of request or another payload.
    """
    prior = repo.first_answer(conn, who.account_id, client_id)
    if prior is None:
        return None
    if prior.type != kind or (prior.request_hash is not None and prior.request_hash != fingerprint):
        raise key_reused()
    return CHANGE.validate_python(prior.result["change"])


def scoped_alert_id(patient_id: str, client_id: str) -> str:
    """The id an alert gets when its client id is already another patient's alert's id.

    Alert ids are global; a patient choosing (or colliding with) someone else's id must neither
    learn about that alert nor be refused forever, so their alert is stored under an id derived
    from theirs. Deterministic, so a retry finds it.
    """
    return hashlib.sha256(f"support-alert\n{patient_id}\n{client_id}".encode()).hexdigest()


def staff_view(row: Any, tz: ZoneInfo) -> StaffAlert:
    return StaffAlert(
        **render.support_alert(row, tz).model_dump(),
        id=row.id,
        patient_id=row.patient_id,
        patient_name=row.patient_name,
        version=int(row.version),
        authenticated_by=row.authenticated_by,
        session_state=row.session_state,
        outcome=row.outcome,
        note=row.note,
        escalated_to=row.escalated_to,
    )


class AlertService:
    def __init__(self, db: Database, settings: Settings, on_change: Callable[[], None]) -> None:
        self.db = db
        self.settings = settings
        self.on_change = on_change

    def raise_alert(
        self,
        who: Principal,
        alert_id: str,
        created_at: datetime,
        *,
        authenticated_by: str = "session",
        session_state: str = "active",
    ) -> tuple[AnyChange, bool]:
        """(the support_alert change, created now?) — the same id and body again returns the first answer.

        `authenticated_by`/`session_state`: "session"/"active" for a valid bearer, "device_key" and
        "expired"/"revoked" for an alert signed by the device's key after its session lapsed.
        """
        fingerprint = request_hash(RAISE, SupportAlertRaise(created_at=created_at))
        with self.db.write() as w:
            prior = replayed(w.conn, who, alert_id, RAISE, fingerprint)
            if prior is not None:
                return prior, False
            change = self.create_in(
                w, who, alert_id, created_at, authenticated_by=authenticated_by, session_state=session_state
            )
            now = self.settings.clock()
            answer = {"change": change.model_dump(mode="json")}
            repo.remember_answer(w, who.account_id, alert_id, RAISE, answer, now, fingerprint)
            action = RAISE if authenticated_by == "session" else f"{RAISE}.{authenticated_by}.{session_state}"
            audit_repo.record(
                w,
                clinic_id=who.clinic_id,
                actor_id=who.account_id,
                actor_role=who.role,
                patient_id=who.account_id,
                action=action,
                at=now,
            )
        log.info(
            "support alert raised alert=%s patient=%s via=%s session=%s",
            change.id,
            who.account_id,
            authenticated_by,
            session_state,
        )
        self.on_change()
        return change, True

    def create_in(
        self,
        w: Writer,
        who: Principal,
        alert_id: str,
        created_at: datetime,
        *,
        authenticated_by: str = "session",
        session_state: str = "active",
    ) -> AnyChange:
        """Insert the alert inside the caller's transaction (also used by support_alert.raise)."""
        existing = repo.alert(w.conn, alert_id)
        if existing is not None and existing.patient_id != who.account_id:
            alert_id = scoped_alert_id(who.account_id, alert_id)
            existing = repo.alert(w.conn, alert_id)
        if existing is not None:
            raise AlertIdTaken("support_alert.id_taken", "Id in use", "Generate a new id for this alert.")
        now = self.settings.clock()
        clinic = accounts_repo.clinic(w.conn, who.clinic_id)
        assert clinic is not None
        # A device clock far ahead must not push the alert into the future.
        created = min(created_at, now)
        expected = now + timedelta(minutes=clinic.response_minutes)
        prior = repo.latest_of_patient(w.conn, who.account_id)
        if prior is not None and prior.status == "received" and now - prior.received_at < REPEAT_WINDOW:
            # Another tap moments after an alert nobody has answered yet (a second device, an app
            # that did not coalesce the taps) is the same call for help: its promise does not move
            # later than the one the patient was already given.
            expected = min(expected, prior.expected_response_by)
        repo.insert_alert(
            w,
            id=alert_id,
            patient_id=who.account_id,
            clinic_id=who.clinic_id,
            created_at=created,
            received_at=now,
            status="received",
            expected_response_by=expected,
            authenticated_by=authenticated_by,
            session_state=session_state,
        )
        version = changes.touch(
            w,
            "support_alert",
            alert_id,
            clinic_id=who.clinic_id,
            patient_id=who.account_id,
            now=now,
            by=who.account_id,
        )
        w.notify(CHANNEL)
        row = repo.alert(w.conn, alert_id)
        return render.change(
            "support_alert", alert_id, version, render.support_alert(row, ZoneInfo(clinic.timezone))
        )

    def list_alerts(self, who: Principal, limit: int = 200) -> list[StaffAlert]:
        with self.db.read() as conn:
            tz = self._tz(conn, who.clinic_id)
            rows = repo.clinic_alerts(conn, who.clinic_id, limit=limit)
            return sorted((staff_view(r, tz) for r in rows), key=lambda a: a.created_at, reverse=True)

    def events_after(self, who: Principal, after: int | None) -> tuple[list[StaffAlert], int]:
        """(alert changes with version > after, oldest first; the stream position after them).

        `after` None: the unacknowledged alerts, and the position of the newest change.
        """
        with self.db.read() as conn:
            tz = self._tz(conn, who.clinic_id)
            if after is None:
                rows = repo.clinic_alerts(conn, who.clinic_id, limit=500)
                high = int(rows[0].version) if rows else 0
                return [staff_view(r, tz) for r in reversed(rows) if r.status == "received"], high
            rows = repo.clinic_alerts(conn, who.clinic_id, after=after, limit=500, oldest_first=True)
        return [staff_view(r, tz) for r in rows], int(rows[-1].version) if rows else after

    def acknowledge(self, who: Principal, alert_id: str, body: AlertAck | None = None) -> StaffAlert:
        """Idempotent: acknowledging an acknowledged alert changes nothing (its first outcome stands)."""
        body = body or AlertAck()
        now = self.settings.clock()
        with self.db.write() as w:
            row = repo.alert(w.conn, alert_id)
            if row is None or row.clinic_id != who.clinic_id:
                raise NotFound()
            if row.status != "acknowledged":
                repo.acknowledge(w, alert_id, who.display_name, now, body.outcome, body.note)
                changes.touch(
                    w,
                    "support_alert",
                    alert_id,
                    clinic_id=row.clinic_id,
                    patient_id=row.patient_id,
                    now=now,
                    by=who.account_id,
                )
                audit_repo.record(
                    w,
                    clinic_id=who.clinic_id,
                    actor_id=who.account_id,
                    actor_role="staff",
                    patient_id=row.patient_id,
                    action="support_alert.ack",
                    at=now,
                )
                w.notify(CHANNEL)
            tz = self._tz(w.conn, who.clinic_id)
            (view,) = [
                staff_view(r, tz) for r in repo.clinic_alerts(w.conn, who.clinic_id, alert_id=alert_id)
            ]
        log.info("support alert acknowledged alert=%s staff=%s", alert_id, who.account_id)
        self.on_change()
        return view

    @staticmethod
    def _tz(conn: Any, clinic_id: str) -> ZoneInfo:
        return accounts_repo.clinic_zone(conn, clinic_id)
