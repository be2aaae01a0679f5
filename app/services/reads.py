"""Read use cases, served only from the local store with pending outbox edits laid over them."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, tzinfo
from typing import TypeVar

from app.api.mutations import (
    AssignmentComplete,
    AssignmentReopen,
    CopingPlanUpdate,
    MutationPayload,
    PayloadFormatError,
    RsvpSet,
    parse_payload,
)
from app.api.records import (
    AssignmentRecord,
    AttendanceRecord,
    ClinicRecord,
    CopingPlanRecord,
    EnrolmentRecord,
    KnownRecord,
    PatientRecord,
    RsvpRecord,
    ScheduleItemRecord,
    SharedPatientRecord,
    ShareRecord,
    SupportAlertRecord,
    parse_as,
)
from app.domain.model import (
    AlertState,
    Assignment,
    AssignmentStatus,
    Clinic,
    CopingPlan,
    Patient,
    ScheduleItem,
    SessionKind,
    Share,
    SharedPatient,
    SupportAlert,
)
from app.services import mapping
from app.services.ports import Overview, RejectedChange, SupportInfo
from app.store.encrypted import EncryptedStore
from app.store.models import OutboxEntry
from app.sync.push import raised_at

R = TypeVar("R", bound=KnownRecord)


def pending(outbox: list[OutboxEntry]) -> list[tuple[OutboxEntry, MutationPayload]]:
    """The outbox's typed changes, oldest first; one whose payload does not fit waits for its refusal."""
    found = []
    for entry in outbox:
        with contextlib.suppress(PayloadFormatError):
            found.append((entry, parse_payload(entry.type, entry.payload)))
    return found


class LocalReads:
    """Builds the view models the UI asks for; never touches the network."""

    def __init__(self, store: EncryptedStore, clock: Callable[[], datetime]) -> None:
        self._store = store
        self._clock = clock

    async def _typed(
        self, kind: type[R], *, day_from: str | None = None, day_to: str | None = None
    ) -> list[tuple[str, R]]:
        """The stored records of one type, read back through their typed model."""
        found = await self._store.records(kind.TYPE, day_from=day_from, day_to=day_to)
        return [(r.id, parse_as(kind, r.data)) for r in found]

    async def clinic(self) -> Clinic | None:
        found = await self._typed(ClinicRecord)
        return mapping.clinic(*found[0]) if found else None

    async def patient(self) -> Patient | None:
        found = await self._typed(PatientRecord)
        return mapping.patient(*found[0]) if found else None

    async def overview(self, start: date, end: date) -> Overview:
        clinic = await self.clinic()
        tz = mapping.zone(clinic)
        enrolments = await self._typed(EnrolmentRecord)
        outbox = await self._store.outbox()
        records = await self._typed(ScheduleItemRecord, day_from=start.isoformat(), day_to=end.isoformat())
        now = self._clock()
        sessions = [mapping.schedule_item(id_, r, tz) for id_, r in records if r.share_id is None]
        # Random tests are never shown in advance, whatever the server sent.
        sessions = [s for s in sessions if s.kind is not SessionKind.DRUG_TEST or s.ends_at <= now]
        sessions.sort(key=lambda s: (s.starts_at, s.id))
        rsvps = {id_: mapping.rsvp(r, tz) for id_, r in await self._typed(RsvpRecord)}
        for _, change in pending(outbox):
            if isinstance(change, RsvpSet):
                rsvps[change.schedule_item_id] = mapping.pending_rsvp(change)
        ids = {s.id for s in sessions}
        attendance = [mapping.attendance(r) for _, r in await self._typed(AttendanceRecord)]
        return Overview(
            clinic=clinic,
            patient=await self.patient(),
            enrolment=mapping.enrolment(*enrolments[0]) if enrolments else None,
            sessions=tuple(sessions),
            rsvps={k: v for k, v in rsvps.items() if k in ids},
            attendance={a.schedule_item_id: a for a in attendance if a.schedule_item_id in ids},
            assignments=await self._assignments(tz, outbox),
        )

    async def assignments(self) -> tuple[Assignment, ...]:
        return await self._assignments(mapping.zone(await self.clinic()), await self._store.outbox())

    async def _assignments(self, tz: tzinfo | None, outbox: list[OutboxEntry]) -> tuple[Assignment, ...]:
        found = {id_: mapping.assignment(id_, r, tz) for id_, r in await self._typed(AssignmentRecord)}
        for _, change in pending(outbox):
            if not isinstance(change, AssignmentComplete | AssignmentReopen):
                continue
            old = found.get(change.assignment_id)
            if old is None:
                continue
            if isinstance(change, AssignmentComplete):
                done = replace(old, status=AssignmentStatus.DONE, response=change.response, pending=True)
                found[change.assignment_id] = done
            else:
                found[change.assignment_id] = replace(old, status=AssignmentStatus.TODO, pending=True)
        far = datetime.max.replace(tzinfo=self._clock().tzinfo)
        return tuple(sorted(found.values(), key=lambda a: (a.due_at or far, a.id)))

    async def coping_plan(self, outbox: list[OutboxEntry] | None = None) -> CopingPlan:
        """The clinic's copy with the newest pending edit laid over it."""
        plans = await self._typed(CopingPlanRecord)
        plan = mapping.coping_plan(plans[0][1]) if plans else CopingPlan()
        for _, change in pending(await self._store.outbox() if outbox is None else outbox):
            if isinstance(change, CopingPlanUpdate):
                plan = mapping.coping_plan(change.plan, pending=True)
        return plan

    async def support_info(self) -> SupportInfo:
        clinic = await self.clinic()
        tz = mapping.zone(clinic)
        outbox = await self._store.outbox()
        plan = await self.coping_plan(outbox)
        alerts = [mapping.support_alert(id_, r, tz) for id_, r in await self._typed(SupportAlertRecord)]
        known = {a.id for a in alerts}
        for entry in outbox:
            if entry.is_alert and entry.id not in known:
                alerts.append(SupportAlert(entry.id, mapping.local(raised_at(entry), tz), AlertState.QUEUED))
        alerts.sort(key=lambda a: a.created_at, reverse=True)
        return SupportInfo(clinic, await self.patient(), plan, tuple(alerts))

    async def shares(self) -> tuple[Share, ...]:
        tz = mapping.zone(await self.clinic())
        return tuple(mapping.share(id_, r, tz) for id_, r in await self._typed(ShareRecord))

    async def shared_patients(self) -> tuple[SharedPatient, ...]:
        found = await self._typed(SharedPatientRecord)
        return tuple(mapping.shared_patient(id_, r, None) for id_, r in found)

    async def shared_week(self, share_id: str, start: date, end: date) -> tuple[ScheduleItem, ...]:
        records = await self._typed(ScheduleItemRecord, day_from=start.isoformat(), day_to=end.isoformat())
        items = [mapping.schedule_item(id_, r, None) for id_, r in records if r.share_id == share_id]
        return tuple(sorted(items, key=lambda s: (s.starts_at, s.id)))

    async def rejected(self) -> tuple[RejectedChange, ...]:
        found = []
        for r in await self._store.rejected():
            found.append(RejectedChange(r.entry.id, r.entry.type, r.entry.target_id, r.status, r.code, r.at))
        return tuple(found)
