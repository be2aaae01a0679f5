"""POST /v1/mutations: each mutation applied once (its client id is the idempotency key), alone.

Each mutation runs in its own write transaction, so one bad mutation never blocks the rest.
Applied results are remembered per account: the same id again answers `duplicate` with the
first result — for the same type and payload; otherwise it is rejected, idempotency.key_reused.
Conflicts and rejections are not remembered (a retry is judged afresh).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from pydantic import ValidationError

from clinic.config import Settings
from clinic.database import Database, Writer
from clinic.errors import ApiError
from clinic.repository import accounts as accounts_repo
from clinic.repository import alerts as alerts_repo
from clinic.repository import audit as audit_repo
from clinic.repository import care, changes
from clinic.repository.changes import Change
from clinic.schemas import (
    MUTATIONS,
    SUPPORT_ALERT_RAISE,
    AnyChange,
    AssignmentComplete,
    AssignmentReopen,
    CheckinSubmit,
    CopingPlanUpdate,
    MutationIn,
    MutationResult,
    Payload,
    RsvpSet,
    SupportAlertRaise,
)
from clinic.services import checkins, records
from clinic.services.alerts import AlertService, replayed, request_hash
from clinic.services.auth import Principal

log = logging.getLogger("clinic.mutations")


class Rejected(Exception):
    def __init__(self, code: str, reason: str) -> None:
        super().__init__(code)
        self.code = code
        self.reason = reason


class ConflictFound(Exception):
    def __init__(self, change: AnyChange) -> None:
        super().__init__("conflict")
        self.change = change


class MutationService:
    def __init__(
        self, db: Database, settings: Settings, alerts: AlertService, on_alert: Callable[[], None]
    ) -> None:
        self.db = db
        self.settings = settings
        self.alerts = alerts
        self.on_alert = on_alert

    def apply_batch(self, who: Principal, batch: list[MutationIn]) -> list[MutationResult]:
        """A patient's batch (the router lets only patients call)."""
        return [self.apply(who, m) for m in batch]

    def apply(self, who: Principal, m: MutationIn) -> MutationResult:
        mid, kind = m.id, m.type
        registered = MUTATIONS.get(kind)
        if registered is None:
            return _rejected(mid, "mutation.unknown_type", f"Unknown mutation type {kind!r}.")
        try:
            payload = registered[1].model_validate(m.payload)
        except ValidationError as exc:
            fields = ", ".join(".".join(str(p) for p in e["loc"]) or "payload" for e in exc.errors())
            return _rejected(mid, "mutation.invalid", f"The payload is not valid ({fields}).")
        try:
            fingerprint = request_hash(kind, payload)
            with self.db.write() as w:
                # the same id for another kind or payload is idempotency.key_reused (rejected)
                prior = replayed(w.conn, who, mid, kind, fingerprint)
                if prior is not None:
                    return MutationResult(id=mid, status="duplicate", change=prior)
                change = self._dispatch(w, who, mid, payload, m.base_version)
                now = self.settings.clock()
                answer = {"change": change.model_dump(mode="json")}
                alerts_repo.remember_answer(w, who.account_id, mid, kind, answer, now, fingerprint)
                audit_repo.record(
                    w,
                    clinic_id=who.clinic_id,
                    actor_id=who.account_id,
                    actor_role=who.role,
                    patient_id=who.account_id,
                    action=kind,
                    at=now,
                )
        except Rejected as exc:
            return _rejected(mid, exc.code, exc.reason)
        except ConflictFound as exc:
            return MutationResult(id=mid, status="conflict", code="sync.conflict", change=exc.change)
        except ApiError as exc:
            return _rejected(mid, exc.code, exc.detail)
        if kind == SUPPORT_ALERT_RAISE or isinstance(payload, CheckinSubmit):
            self.on_alert()  # staff streams wake: an alert, or a check-in that may carry a flag
        return MutationResult(id=mid, status="applied", change=change)

    def _dispatch(self, w: Writer, who: Principal, mid: str, p: Payload, base: int | None) -> AnyChange:
        if isinstance(p, SupportAlertRaise):
            return self.alerts.create_in(w, who, mid, p.created_at)
        if isinstance(p, RsvpSet):
            return self._rsvp(w, who, p)
        if isinstance(p, CheckinSubmit):
            checkin_id, version = checkins.submit(w, who, p, self.settings.clock())
            return self._render(w, who, Change("checkin", checkin_id, who.account_id, version, False))
        if isinstance(p, AssignmentComplete | AssignmentReopen):
            return self._assignment(w, who, p, base)
        assert isinstance(p, CopingPlanUpdate)
        self._check_base(w, who, "coping_plan", who.account_id, base)
        care.save_coping_plan(w, who.account_id, p.model_dump())
        return self._touch(w, who, "coping_plan", who.account_id)

    def _rsvp(self, w: Writer, who: Principal, p: RsvpSet) -> AnyChange:
        now = self.settings.clock()
        item = care.schedule_item(w.conn, p.schedule_item_id)
        hidden = item is not None and item.kind == "drug_test" and item.ends_at > now
        if item is None or item.patient_id != who.account_id or item.deleted or hidden:
            raise Rejected("schedule_item.not_found", "This session is no longer on your schedule.")
        if item.status == "cancelled":
            raise Rejected("schedule_item.cancelled", "This session was cancelled.")
        care.save_rsvp(w, item.id, who.account_id, p.response, p.note, now)
        return self._touch(w, who, "rsvp", item.id)

    def _assignment(
        self, w: Writer, who: Principal, p: AssignmentComplete | AssignmentReopen, base: int | None
    ) -> AnyChange:
        row = care.assignment(w.conn, p.assignment_id)
        if row is None or row.patient_id != who.account_id or row.deleted:
            raise Rejected("assignment.not_found", "This assignment is no longer on your list.")
        self._check_base(w, who, "assignment", row.id, base)
        if isinstance(p, AssignmentComplete):
            care.update_assignment(
                w, row.id, status="done", response=p.response, completed_at=self.settings.clock()
            )
        else:
            care.update_assignment(w, row.id, status="todo", completed_at=None)
        return self._touch(w, who, "assignment", row.id)

    def _check_base(self, w: Writer, who: Principal, type_: str, record_id: str, base: int | None) -> None:
        """Conflict only where the edit would overwrite a newer change made by someone else."""
        last = changes.last_change(w.conn, type_, record_id)
        if base is None or last is None:
            return
        version, by = last
        if version > base and by != who.account_id:
            raise ConflictFound(
                self._render(w, who, Change(type_, record_id, who.account_id, version, False))
            )

    def _touch(self, w: Writer, who: Principal, type_: str, record_id: str) -> AnyChange:
        version = changes.touch(
            w,
            type_,
            record_id,
            clinic_id=who.clinic_id,
            patient_id=who.account_id,
            now=self.settings.clock(),
            by=who.account_id,
        )
        return self._render(w, who, Change(type_, record_id, who.account_id, version, False))

    def _render(self, w: Writer, who: Principal, change: Change) -> AnyChange:
        return records.one(w.conn, change, accounts_repo.clinic_zone(w.conn, who.clinic_id))


def _rejected(mid: str, code: str, reason: str) -> MutationResult:
    return MutationResult(id=mid, status="rejected", code=code, reason=reason)
