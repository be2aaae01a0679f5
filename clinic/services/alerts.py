"""Support alerts: raised once per client id, listed and streamed to staff, acknowledged back."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from clinic.config import Settings
from clinic.database import Database, Writer
from clinic.errors import ApiError, NotFound, forbidden
from clinic.notify import CHANNEL
from clinic.repository import accounts as accounts_repo
from clinic.repository import alerts as repo
from clinic.repository import audit as audit_repo
from clinic.repository import changes
from clinic.services import render
from clinic.services.auth import Principal

log = logging.getLogger("clinic.alerts")


class AlertIdTaken(ApiError):
    status = 409


def staff_view(row: Any, tz: ZoneInfo) -> dict[str, Any]:
    data = render.support_alert(row, tz)
    data.update(id=row.id, patient_id=row.patient_id, patient_name=row.patient_name, version=int(row.version))
    return data


class AlertService:
    def __init__(self, db: Database, settings: Settings, on_change: Callable[[], None]) -> None:
        self.db = db
        self.settings = settings
        self.on_change = on_change

    def raise_alert(self, who: Principal, alert_id: str, created_at: datetime) -> tuple[dict[str, Any], bool]:
        """(the support_alert change, created now?) — the same id again returns the first answer."""
        if who.role != "patient":
            raise forbidden()
        with self.db.write() as w:
            prior = repo.first_answer(w.conn, who.account_id, alert_id)
            if prior is not None:
                return dict(prior.result["change"]), False
            change = self.create_in(w, who, alert_id, created_at)
            now = self.settings.clock()
            repo.remember_answer(w, who.account_id, alert_id, "support_alert.raise", {"change": change}, now)
        log.info("support alert raised alert=%s patient=%s", alert_id, who.account_id)
        self.on_change()
        return change, True

    def create_in(self, w: Writer, who: Principal, alert_id: str, created_at: datetime) -> dict[str, Any]:
        """Insert the alert inside the caller's transaction (also used by support_alert.raise)."""
        if repo.alert(w.conn, alert_id) is not None:
            raise AlertIdTaken("support_alert.id_taken", "Id in use", "Generate a new id for this alert.")
        now = self.settings.clock()
        clinic = accounts_repo.clinic(w.conn, who.clinic_id)
        assert clinic is not None
        # A device clock far ahead must not push the alert into the future.
        created = min(created_at, now)
        repo.insert_alert(
            w,
            id=alert_id,
            patient_id=who.account_id,
            clinic_id=who.clinic_id,
            created_at=created,
            received_at=now,
            status="received",
            expected_response_by=now + timedelta(minutes=clinic.response_minutes),
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

    def list_alerts(self, who: Principal, limit: int = 200) -> list[dict[str, Any]]:
        self._staff(who)
        with self.db.read() as conn:
            tz = self._tz(conn, who.clinic_id)
            rows = repo.clinic_alerts(conn, who.clinic_id, limit=limit)
            return sorted((staff_view(r, tz) for r in rows), key=lambda a: a["created_at"], reverse=True)

    def events_after(self, who: Principal, after: int | None) -> tuple[list[dict[str, Any]], int]:
        """(alert changes with version > after, oldest first; the stream position after them).

        `after` None: the unacknowledged alerts, and the position of the newest change.
        """
        self._staff(who)
        with self.db.read() as conn:
            tz = self._tz(conn, who.clinic_id)
            if after is None:
                rows = repo.clinic_alerts(conn, who.clinic_id, limit=500)
                high = int(rows[0].version) if rows else 0
                return [staff_view(r, tz) for r in reversed(rows) if r.status == "received"], high
            rows = repo.clinic_alerts(conn, who.clinic_id, after=after, limit=500, oldest_first=True)
        return [staff_view(r, tz) for r in rows], int(rows[-1].version) if rows else after

    def acknowledge(self, who: Principal, alert_id: str) -> dict[str, Any]:
        self._staff(who)
        now = self.settings.clock()
        with self.db.write() as w:
            row = repo.alert(w.conn, alert_id)
            if row is None or row.clinic_id != who.clinic_id:
                raise NotFound()
            if row.status != "acknowledged":
                repo.acknowledge(w, alert_id, who.display_name, now)
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

    def _staff(self, who: Principal) -> None:
        if who.role != "staff":
            raise forbidden()

    @staticmethod
    def _tz(conn: Any, clinic_id: str) -> ZoneInfo:
        clinic = accounts_repo.clinic(conn, clinic_id)
        assert clinic is not None
        return ZoneInfo(clinic.timezone)
