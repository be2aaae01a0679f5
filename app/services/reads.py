"""Read use cases, served only from the local store with pending outbox edits laid over them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, tzinfo

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


class LocalReads:
    """Builds the view models the UI asks for; never touches the network."""

    def __init__(self, store: EncryptedStore, clock: Callable[[], datetime]) -> None:
        self._store = store
        self._clock = clock

    async def clinic(self) -> Clinic | None:
        found = await self._store.records("clinic")
        return mapping.clinic(found[0].id, found[0].data) if found else None

    async def patient(self) -> Patient | None:
        found = await self._store.records("patient")
        return mapping.patient(found[0].id, found[0].data) if found else None

    async def overview(self, start: date, end: date) -> Overview:
        clinic = await self.clinic()
        tz = mapping.zone(clinic)
        enrolments = await self._store.records("enrolment")
        outbox = await self._store.outbox()
        days = {"day_from": start.isoformat(), "day_to": end.isoformat()}
        records = await self._store.records("schedule_item", **days)
        now = self._clock()
        sessions = [
            mapping.schedule_item(r.id, r.data, tz) for r in records if r.data.get("share_id") is None
        ]
        # Random tests are never shown in advance, whatever the server sent.
        sessions = [s for s in sessions if s.kind is not SessionKind.DRUG_TEST or s.ends_at <= now]
        sessions.sort(key=lambda s: (s.starts_at, s.id))
        rsvps = {r.id: mapping.rsvp(r.data, tz) for r in await self._store.records("rsvp")}
        for entry in outbox:
            if entry.type == "rsvp.set":
                item = str(entry.payload["schedule_item_id"])
                rsvps[item] = mapping.rsvp({**entry.payload, "updated_at": None}, tz, pending=True)
        ids = {s.id for s in sessions}
        attendance = [mapping.attendance(r.data) for r in await self._store.records("attendance")]
        return Overview(
            clinic=clinic,
            patient=await self.patient(),
            enrolment=mapping.enrolment(enrolments[0].id, enrolments[0].data) if enrolments else None,
            sessions=tuple(sessions),
            rsvps={k: v for k, v in rsvps.items() if k in ids},
            attendance={a.schedule_item_id: a for a in attendance if a.schedule_item_id in ids},
            assignments=await self._assignments(tz, outbox),
        )

    async def assignments(self) -> tuple[Assignment, ...]:
        return await self._assignments(mapping.zone(await self.clinic()), await self._store.outbox())

    async def _assignments(self, tz: tzinfo | None, outbox: list[OutboxEntry]) -> tuple[Assignment, ...]:
        found = {r.id: mapping.assignment(r.id, r.data, tz) for r in await self._store.records("assignment")}
        for entry in outbox:
            target = str(entry.payload.get("assignment_id", ""))
            if target not in found:
                continue
            old = found[target]
            if entry.type == "assignment.complete":
                response = str(entry.payload["response"])
                found[target] = replace(old, status=AssignmentStatus.DONE, response=response, pending=True)
            elif entry.type == "assignment.reopen":
                found[target] = replace(old, status=AssignmentStatus.TODO, pending=True)
        far = datetime.max.replace(tzinfo=self._clock().tzinfo)
        return tuple(sorted(found.values(), key=lambda a: (a.due_at or far, a.id)))

    async def coping_plan(self, outbox: list[OutboxEntry] | None = None) -> CopingPlan:
        """The clinic's copy with the newest pending edit laid over it."""
        plans = await self._store.records("coping_plan")
        plan = mapping.coping_plan(plans[0].data) if plans else CopingPlan()
        for entry in await self._store.outbox() if outbox is None else outbox:
            if entry.type == "coping_plan.update":
                plan = mapping.coping_plan(entry.payload, pending=True)
        return plan

    async def support_info(self) -> SupportInfo:
        clinic = await self.clinic()
        tz = mapping.zone(clinic)
        outbox = await self._store.outbox()
        plan = await self.coping_plan(outbox)
        alerts = [_alert(r.id, r.data, tz) for r in await self._store.records("support_alert")]
        known = {a.id for a in alerts}
        for entry in outbox:
            if entry.is_alert and entry.id not in known:
                created = mapping.when(entry.payload["created_at"], tz) or entry.created_at
                alerts.append(SupportAlert(entry.id, created, AlertState.QUEUED))
        alerts.sort(key=lambda a: a.created_at, reverse=True)
        return SupportInfo(clinic, await self.patient(), plan, tuple(alerts))

    async def shares(self) -> tuple[Share, ...]:
        tz = mapping.zone(await self.clinic())
        return tuple(mapping.share(r.id, r.data, tz) for r in await self._store.records("share"))

    async def shared_patients(self) -> tuple[SharedPatient, ...]:
        return tuple(
            mapping.shared_patient(r.id, r.data, None) for r in await self._store.records("shared_patient")
        )

    async def shared_week(self, share_id: str, start: date, end: date) -> tuple[ScheduleItem, ...]:
        days = {"day_from": start.isoformat(), "day_to": end.isoformat()}
        records = await self._store.records("schedule_item", **days)
        items = [
            mapping.schedule_item(r.id, r.data, None) for r in records if r.data.get("share_id") == share_id
        ]
        return tuple(sorted(items, key=lambda s: (s.starts_at, s.id)))

    async def rejected(self) -> tuple[RejectedChange, ...]:
        found = []
        for r in await self._store.rejected():
            found.append(RejectedChange(r.entry.id, r.entry.type, r.entry.target_id, r.status, r.code, r.at))
        return tuple(found)


def _alert(id_: str, data: dict[str, object], tz: tzinfo | None) -> SupportAlert:
    created = mapping.when(data.get("created_at"), tz)
    if created is None:
        raise ValueError("support alert without created_at")
    by = data.get("acknowledged_by")
    return SupportAlert(
        id=id_,
        created_at=created,
        state=AlertState.SEEN if data.get("status") == "acknowledged" else AlertState.SENT,
        acknowledged_by=by if isinstance(by, str) else None,
        acknowledged_at=mapping.when(data.get("acknowledged_at"), tz),
        expected_response_by=mapping.when(data.get("expected_response_by"), tz),
    )
