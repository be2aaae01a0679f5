"""Staff use cases: patients, codes, schedules, the IOP pattern, assignments, feedback, devices, audit.

Staff see only their own clinic: an id from another clinic is answered 404, like an unknown one.
Every read and write of a patient's records is audited.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, Literal, TypeVar
from zoneinfo import ZoneInfo

from clinic.config import Settings
from clinic.database import Database, Writer
from clinic.errors import NotFound, forbidden
from clinic.repository import accounts as accounts_repo
from clinic.repository import audit as audit_repo
from clinic.repository import care, changes
from clinic.schemas import (
    AssignmentCreate,
    AssignmentTemplate,
    Attendance,
    AuditEntry,
    Device,
    EnrolmentCode,
    ItemCreate,
    ItemPatch,
    PatientCreate,
    PatientCreated,
    PatternRequest,
    Rsvp,
    StaffAssignment,
    StaffEnrolment,
    StaffItem,
    StaffPatient,
)
from clinic.security import Passwords
from clinic.services import admin, pattern, render, schedule
from clinic.services.auth import Principal
from clinic.services.sharing import end_shares

T = TypeVar("T")


class StaffService:
    def __init__(
        self,
        db: Database,
        settings: Settings,
        passwords: Passwords,
        on_change: Callable[[], None] = lambda: None,
    ) -> None:
        self.db = db
        self.settings = settings
        self.passwords = passwords
        self.on_change = on_change  # wakes this process's live streams after an edit commits

    # -- plumbing -----------------------------------------------------------------------------

    def _write(
        self, who: Principal, patient_id: str | None, action: str, fn: Callable[[Writer, ZoneInfo], T]
    ) -> T:
        with self.db.write() as w:
            if patient_id is not None:
                self._patient(w, who, patient_id)
            result = fn(w, self._tz(w, who))
            audit_repo.record(
                w,
                clinic_id=who.clinic_id,
                actor_id=who.account_id,
                actor_role="staff",
                patient_id=patient_id,
                action=action,
                at=self.settings.clock(),
            )
        if not action.endswith((".read", ".list")):
            # A moved session reaches the patient's and the family's open apps now, not on the
            # streams' next poll (other processes still see it by polling).
            self.on_change()
        return result

    def _patient(self, w: Writer, who: Principal, patient_id: str) -> Any:
        row = accounts_repo.patient(w.conn, patient_id)
        if row is None or row.clinic_id != who.clinic_id:
            raise NotFound()
        return row

    @staticmethod
    def _tz(w: Writer, who: Principal) -> ZoneInfo:
        return accounts_repo.clinic_zone(w.conn, who.clinic_id)

    # -- patients -----------------------------------------------------------------------------

    def assignment_templates(self, who: Principal) -> list[AssignmentTemplate]:
        """The caller's clinic's assignment templates (clinic data, no patient's: not audited)."""
        with self.db.read() as conn:
            clinic = accounts_repo.clinic(conn, who.clinic_id)
        templates = clinic.assignment_templates if clinic is not None else None
        return [AssignmentTemplate.model_validate(t) for t in templates or []]

    def patients(self, who: Principal) -> list[StaffPatient]:
        def run(w: Writer, tz: ZoneInfo) -> list[StaffPatient]:
            today = self.settings.clock().astimezone(tz).date()
            out = []
            for row in accounts_repo.clinic_patients(w.conn, who.clinic_id):
                enrolment = accounts_repo.enrolment_of(w.conn, row.id)
                current = None
                if enrolment is not None:
                    week = (today - enrolment.start_date).days // 7 + 1
                    current = StaffEnrolment(
                        **render.enrolment(enrolment).model_dump(),
                        current_week=max(1, min(enrolment.planned_weeks, week)),
                    )
                out.append(
                    StaffPatient(
                        id=row.id, display_name=row.display_name, username=row.username, enrolment=current
                    )
                )
            return out

        return self._write(who, None, "staff.patients.list", run)

    def create_patient(self, who: Principal, body: PatientCreate) -> PatientCreated:
        now = self.settings.clock()

        def run(w: Writer, tz: ZoneInfo) -> PatientCreated:
            values = body.model_dump()  # admin.create_patient also serves the CLI and the seed
            patient_id = admin.create_patient(w, self.passwords, who.clinic_id, values, now, who.account_id)
            if body.apply_pattern:
                for s in pattern.expand(body.start_date, body.planned_weeks, tz):
                    schedule.add_item(w, who.clinic_id, patient_id, s.item_values(), now, who.account_id)
            code, expires = admin.enrolment_code(w, patient_id, self.settings.code_ttl, now, who.account_id)
            return PatientCreated(
                id=patient_id, enrolment_code=code, enrolment_code_expires_at=render.at(expires, tz)
            )

        return self._write(who, None, "staff.patient.create", run)

    def enrolment_code(self, who: Principal, patient_id: str) -> EnrolmentCode:
        now = self.settings.clock()

        def run(w: Writer, tz: ZoneInfo) -> EnrolmentCode:
            code, expires = admin.enrolment_code(w, patient_id, self.settings.code_ttl, now, who.account_id)
            return EnrolmentCode(code=code, expires_at=render.at(expires, tz))

        return self._write(who, patient_id, "staff.enrolment_code.create", run)

    def devices(self, who: Principal, patient_id: str) -> list[Device]:
        def run(w: Writer, tz: ZoneInfo) -> list[Device]:
            return [
                Device(
                    id=d.id,
                    name=d.name,
                    created_at=render.at(d.created_at, tz),
                    revoked_at=render.iso(d.revoked_at, tz),
                )
                for d in accounts_repo.account_devices(w.conn, patient_id)
            ]

        return self._write(who, patient_id, "staff.devices.list", run)

    def revoke_device(self, who: Principal, device_id: str) -> None:
        with self.db.write() as w:
            device = accounts_repo.device(w.conn, device_id)
            owner = None if device is None else accounts_repo.account(w.conn, device.account_id)
            if device is None or owner is None or owner.clinic_id != who.clinic_id:
                raise NotFound()
            now = self.settings.clock()
            accounts_repo.revoke_device(w, device_id, now)
            audit_repo.record(
                w,
                clinic_id=who.clinic_id,
                actor_id=who.account_id,
                actor_role="staff",
                patient_id=owner.id if owner.role == "patient" else None,
                action="staff.device.revoke",
                at=now,
            )

    # -- schedule -----------------------------------------------------------------------------

    def schedule(
        self, who: Principal, patient_id: str, start: datetime | None, end: datetime | None
    ) -> list[StaffItem]:
        def run(w: Writer, tz: ZoneInfo) -> list[StaffItem]:
            rows = care.patient_schedule(w.conn, patient_id, start, end)
            marked = care.attendance_by_ids(w.conn, [r.id for r in rows])
            return [
                schedule.staff_item(
                    r,
                    changes.version_of(w.conn, "schedule_item", r.id),
                    tz,
                    marked[r.id].status if r.id in marked else None,
                )
                for r in rows
            ]

        return self._write(who, patient_id, "staff.schedule.read", run)

    def add_item(self, who: Principal, patient_id: str, body: ItemCreate) -> StaffItem:
        now = self.settings.clock()

        def run(w: Writer, tz: ZoneInfo) -> StaffItem:
            item_id = schedule.add_item(w, who.clinic_id, patient_id, body.model_dump(), now, who.account_id)
            return self._item_view(w, item_id, tz)

        return self._write(who, patient_id, "staff.schedule.add", run)

    def change_item(self, who: Principal, item_id: str, patch: ItemPatch) -> StaffItem:
        values = patch.model_dump(exclude_unset=True)  # a field left out is kept
        with self.db.read() as conn:
            item = care.schedule_item(conn, item_id)
        if item is None or item.deleted:
            raise NotFound()
        now = self.settings.clock()
        if not values:  # `{}` is a no-op (as in JSON merge patch): the item as it is, same version
            return self._write(
                who, item.patient_id, "staff.schedule.read", lambda w, tz: self._item_view(w, item_id, tz)
            )

        def run(w: Writer, tz: ZoneInfo) -> StaffItem:
            current = care.schedule_item(w.conn, item_id)
            schedule.change_item(w, current, who.clinic_id, values, now, who.account_id)
            return self._item_view(w, item_id, tz)

        return self._write(who, item.patient_id, "staff.schedule.change", run)

    def apply_pattern(self, who: Principal, patient_id: str, body: PatternRequest) -> list[StaffItem]:
        now = self.settings.clock()

        def run(w: Writer, tz: ZoneInfo) -> list[StaffItem]:
            enrolment = accounts_repo.enrolment_of(w.conn, patient_id)
            start = body.start_date or (enrolment.start_date if enrolment else now.astimezone(tz).date())
            weeks = body.weeks or (enrolment.planned_weeks if enrolment else 12)
            days = tuple(pattern.DAY_NAMES[d] for d in body.days or ("mon", "wed", "thu"))
            sessions = pattern.expand(start, weeks, tz, days, visits=body.visits)
            ids = [
                schedule.add_item(w, who.clinic_id, patient_id, s.item_values(), now, who.account_id)
                for s in sessions
            ]
            return [self._item_view(w, i, tz) for i in ids]

        return self._write(who, patient_id, "staff.schedule.pattern", run)

    def _item_view(self, w: Writer, item_id: str, tz: ZoneInfo) -> StaffItem:
        row = care.schedule_item(w.conn, item_id)
        marked = care.attendance_by_ids(w.conn, [item_id]).get(item_id)
        return schedule.staff_item(
            row, changes.version_of(w.conn, "schedule_item", item_id), tz, marked.status if marked else None
        )

    def set_attendance(
        self, who: Principal, item_id: str, status: Literal["attended", "absent"]
    ) -> Attendance:
        with self.db.read() as conn:
            item = care.schedule_item(conn, item_id)
        if item is None or item.deleted:
            raise NotFound()
        now = self.settings.clock()

        def run(w: Writer, tz: ZoneInfo) -> Attendance:
            care.save_attendance(w, item_id, item.patient_id, status)
            hidden = item.ends_at if item.kind == "drug_test" and item.ends_at > now else None
            changes.touch(
                w,
                "attendance",
                item_id,
                clinic_id=who.clinic_id,
                patient_id=item.patient_id,
                now=now,
                by=who.account_id,
                hidden_until=hidden,
            )
            return Attendance(schedule_item_id=item_id, status=status)

        return self._write(who, item.patient_id, "staff.attendance.set", run)

    def discharge(self, who: Principal, patient_id: str) -> None:
        """End the enrolment: it and the sessions still to come leave the patient's view, shares end."""
        now = self.settings.clock()

        def run(w: Writer, tz: ZoneInfo) -> None:
            patient = self._patient(w, who, patient_id)
            if patient.discharged_at is not None:
                return
            accounts_repo.discharge(w, patient_id, now)
            changes.touch(
                w,
                "enrolment",
                patient_id,
                clinic_id=who.clinic_id,
                patient_id=patient_id,
                now=now,
                deleted=True,
                by=who.account_id,
            )
            for item in care.patient_schedule(w.conn, patient_id, start=now):
                if item.starts_at > now:
                    schedule.change_item(w, item, who.clinic_id, {"deleted": True}, now, who.account_id)
            end_shares(w, patient_id, now)

        self._write(who, patient_id, "staff.patient.discharge", run)

    # -- assignments, RSVPs ----------------------------------------------------------------------

    def assignments(self, who: Principal, patient_id: str) -> list[StaffAssignment]:
        def run(w: Writer, tz: ZoneInfo) -> list[StaffAssignment]:
            return [
                schedule.staff_assignment(r, changes.version_of(w.conn, "assignment", r.id), tz)
                for r in care.patient_assignments(w.conn, patient_id)
            ]

        return self._write(who, patient_id, "staff.assignments.read", run)

    def add_assignment(self, who: Principal, patient_id: str, body: AssignmentCreate) -> StaffAssignment:
        now = self.settings.clock()

        def run(w: Writer, tz: ZoneInfo) -> StaffAssignment:
            values = body.model_dump()
            assignment_id = schedule.add_assignment(w, who.clinic_id, patient_id, values, now, who.account_id)
            row = care.assignment(w.conn, assignment_id)
            return schedule.staff_assignment(row, changes.version_of(w.conn, "assignment", assignment_id), tz)

        return self._write(who, patient_id, "staff.assignment.add", run)

    def feedback(self, who: Principal, assignment_id: str, text: str) -> StaffAssignment:
        with self.db.read() as conn:
            row = care.assignment(conn, assignment_id)
        if row is None or row.deleted:
            raise NotFound()
        now = self.settings.clock()

        def run(w: Writer, tz: ZoneInfo) -> StaffAssignment:
            care.update_assignment(
                w, assignment_id, feedback=text, feedback_by=who.display_name, feedback_at=now
            )
            version = changes.touch(
                w,
                "assignment",
                assignment_id,
                clinic_id=who.clinic_id,
                patient_id=row.patient_id,
                now=now,
                by=who.account_id,
            )
            return schedule.staff_assignment(care.assignment(w.conn, assignment_id), version, tz)

        return self._write(who, row.patient_id, "staff.assignment.feedback", run)

    def rsvps(self, who: Principal, patient_id: str) -> list[Rsvp]:
        def run(w: Writer, tz: ZoneInfo) -> list[Rsvp]:
            return [Rsvp(**render.rsvp(r, tz).model_dump()) for r in care.patient_rsvps(w.conn, patient_id)]

        return self._write(who, patient_id, "staff.rsvps.read", run)

    def audit(
        self, who: Principal, patient_id: str | None, before: int | None, limit: int
    ) -> list[AuditEntry]:
        if not who.is_admin:
            raise forbidden()
        with self.db.read() as conn:
            tz = accounts_repo.clinic_zone(conn, who.clinic_id)
            rows = audit_repo.entries(conn, who.clinic_id, patient_id, before, limit)
        return [
            AuditEntry(
                id=r.id,
                actor_id=r.actor_id,
                actor_role=r.actor_role,
                patient_id=r.patient_id,
                action=r.action,
                at=render.at(r.at, tz),
            )
            for r in rows
        ]
