"""Flags in the staff queue: listed, acknowledged with a note, streamed beside support alerts, and
the missed-check-in rule (a sweep every server process runs; the flag is raised once).

The staff stream's sequence is the sync version: alerts and flags both take theirs from the one
counter, so one Last-Event-ID resumes both. A flag's sync-index row names no patient, so no
patient or family sync ever carries it; acknowledging a check-in's flag bumps that check-in, whose
record (the patient's own) then shows who saw it.

Missed check-ins: a patient asked to check in daily, enrolled, not discharged and with a device is
flagged when the clinic days from the first one they could have answered (the latest of their
enrolment's start, their first device's day and the day the questionnaire was assigned, in the
clinic's zone) or the day after their last daily check-in, up to yesterday and within the
enrolment's planned weeks, number at least the clinic's `missed_checkin_days`. The flag's dedupe
key is the patient and the first missed day, so each missed stretch is flagged once: it is
computed from stored data (a restart changes nothing), inserted with ON CONFLICT DO NOTHING on the
unique key, inside a write transaction that holds the counter row lock (PostgreSQL: FOR UPDATE),
so two processes sweeping at once raise it once.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection

from clinic.config import Settings
from clinic.database import Database
from clinic.errors import NotFound
from clinic.repository import accounts as accounts_repo
from clinic.repository import alerts as alerts_repo
from clinic.repository import audit as audit_repo
from clinic.repository import changes
from clinic.repository import checkins as checkins_repo
from clinic.repository import flags as repo
from clinic.schemas import StaffAlert, StaffFlag
from clinic.services import render
from clinic.services.alerts import staff_view
from clinic.services.auth import Principal
from clinic.services.checkins import severity, touch_flag

log = logging.getLogger("clinic.flags")

STREAM_BATCH = 500
StreamEvent = tuple[str, StaffAlert | StaffFlag]  # ("support_alert" | "flag", the item)


def staff_flag(row: Any, tz: ZoneInfo) -> StaffFlag:
    return StaffFlag(
        id=row.id,
        patient_id=row.patient_id,
        patient_name=row.patient_name,
        reasons=list(row.reasons),
        severity=row.severity,
        created_at=render.at(row.created_at, tz),
        checkin_id=row.checkin_id,
        status=row.status,
        acknowledged_by=row.acknowledged_by,
        acknowledged_at=render.iso(row.acknowledged_at, tz),
        note=row.note,
        version=int(row.version),
        escalation_step=int(row.escalation_step),
        escalated_to=row.escalated_to,
    )


def missed_key(patient_id: str, first_missed: str) -> str:
    return f"missed:{patient_id}:{first_missed}"


def missed_stretch(row: Any, now: datetime) -> str | None:
    """The dedupe key of the patient's missed stretch when it is long enough to flag, else None."""
    tz = ZoneInfo(row.timezone)
    today = now.astimezone(tz).date()
    first = max(
        row.start_date, row.first_device_at.astimezone(tz).date(), row.assigned_at.astimezone(tz).date()
    )
    if row.last_period is not None:
        first = max(first, row.last_period + timedelta(days=1))
    # Days up to yesterday (today is not over) and within the enrolment's planned weeks.
    end = min(today, row.start_date + timedelta(weeks=row.planned_weeks))
    if (end - first).days < row.missed_checkin_days:
        return None
    return missed_key(row.patient_id, first.isoformat())


class FlagService:
    def __init__(self, db: Database, settings: Settings, on_change: Callable[[], None]) -> None:
        self.db = db
        self.settings = settings
        self.on_change = on_change

    # -- staff -----------------------------------------------------------------------------------

    def list_flags(self, who: Principal, limit: int = 200) -> list[StaffFlag]:
        """Open flags first, then newest first (audited: flags tell about patients)."""
        with self.db.write() as w:
            tz = accounts_repo.clinic_zone(w.conn, who.clinic_id)
            rows = repo.clinic_flags(w.conn, who.clinic_id, limit=limit, open_first=True)
            audit_repo.record(
                w,
                clinic_id=who.clinic_id,
                actor_id=who.account_id,
                actor_role="staff",
                patient_id=None,
                action="staff.flags.list",
                at=self.settings.clock(),
            )
            return [staff_flag(r, tz) for r in rows]

    def acknowledge(self, who: Principal, flag_id: str, note: str | None) -> StaffFlag:
        """Acknowledge (with an optional note); a flag already acknowledged is answered unchanged."""
        now = self.settings.clock()
        changed = False
        with self.db.write() as w:
            row = repo.flag(w.conn, flag_id)
            if row is None or row.clinic_id != who.clinic_id:
                raise NotFound()
            if row.status != "acknowledged":
                repo.update_flag(
                    w,
                    flag_id,
                    status="acknowledged",
                    acknowledged_by=who.display_name,
                    acknowledged_at=now,
                    note=note,
                )
                touch_flag(w, row.clinic_id, flag_id, now, by=who.account_id)
                if row.checkin_id is not None:  # the patient's check-in now shows who saw it
                    changes.touch(
                        w,
                        "checkin",
                        row.checkin_id,
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
                    action="flag.ack",
                    at=now,
                )
                changed = True
            tz = accounts_repo.clinic_zone(w.conn, who.clinic_id)
            (view,) = [staff_flag(r, tz) for r in repo.clinic_flags(w.conn, who.clinic_id, flag_id=flag_id)]
        if changed:
            log.info("flag acknowledged flag=%s staff=%s", flag_id, who.account_id)
            self.on_change()
        return view

    def events_after(self, who: Principal, after: int | None) -> tuple[list[StreamEvent], int]:
        """The staff stream: (alert and flag changes with version > after, oldest first; position).

        `after` None: the unacknowledged alerts and open flags, and the position of the newest
        change of either. One snapshot for both, so no change is skipped between them.
        """
        with self.db.read() as conn:
            tz = accounts_repo.clinic_zone(conn, who.clinic_id)
            if after is None:
                return self._current(conn, who.clinic_id, tz)
            alerts = alerts_repo.clinic_alerts(
                conn, who.clinic_id, after=after, limit=STREAM_BATCH, oldest_first=True
            )
            flags = repo.clinic_flags(conn, who.clinic_id, after=after, limit=STREAM_BATCH, oldest_first=True)
        # A full batch of one kind ends where it ends: the other's later changes wait for the next read.
        ends = [int(rows[-1].version) for rows in (alerts, flags) if len(rows) == STREAM_BATCH]
        cut = min(ends) if ends else None
        events: list[tuple[int, StreamEvent]] = [
            (int(r.version), ("support_alert", staff_view(r, tz))) for r in alerts
        ] + [(int(r.version), ("flag", staff_flag(r, tz))) for r in flags]
        events = sorted((e for e in events if cut is None or e[0] <= cut), key=lambda e: e[0])
        return [e[1] for e in events], events[-1][0] if events else after

    @staticmethod
    def _current(conn: Connection, clinic_id: str, tz: ZoneInfo) -> tuple[list[StreamEvent], int]:
        alerts = alerts_repo.clinic_alerts(conn, clinic_id, limit=STREAM_BATCH)
        flags = repo.clinic_flags(conn, clinic_id, limit=STREAM_BATCH)
        high = max([int(r.version) for r in (*alerts[:1], *flags[:1])], default=0)
        events: list[tuple[int, StreamEvent]] = [
            (int(r.version), ("support_alert", staff_view(r, tz))) for r in alerts if r.status == "received"
        ] + [(int(r.version), ("flag", staff_flag(r, tz))) for r in flags if r.status == "open"]
        return [e[1] for e in sorted(events, key=lambda e: e[0])], high

    # -- the missed-check-in rule ----------------------------------------------------------------

    def sweep(self) -> int:
        """Raise a missed_checkins flag for each missed stretch not flagged yet; how many were raised."""
        now = self.settings.clock()
        with self.db.read() as conn:
            due = {
                row.patient_id: key
                for row in checkins_repo.daily_checkin_status(conn)
                if (key := missed_stretch(row, now)) is not None
            }
            if due:
                flagged = repo.existing_keys(conn, due.values())
                due = {p: k for p, k in due.items() if k not in flagged}
        if not due:
            return 0
        raised = 0
        with self.db.write() as w:  # one writer at a time, across processes (the counter row lock)
            for row in checkins_repo.daily_checkin_status(w.conn, due):
                key = missed_stretch(row, now)  # again, on what is committed now
                if key is None:
                    continue
                flag_id = str(uuid.uuid4())
                reasons = ["missed_checkins"]
                inserted = repo.insert(
                    w,
                    id=flag_id,
                    clinic_id=row.clinic_id,
                    patient_id=row.patient_id,
                    checkin_id=None,
                    reasons=reasons,
                    severity=severity(reasons),
                    created_at=now,
                    status="open",
                    dedupe_key=key,
                )
                if inserted:
                    touch_flag(w, row.clinic_id, flag_id, now, by=None)
                    log.info("missed check-ins flagged flag=%s patient=%s", flag_id, row.patient_id)
                    raised += 1
        if raised:
            self.on_change()
        return raised
