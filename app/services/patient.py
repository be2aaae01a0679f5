"""CoreServices: the PatientServices use cases over the encrypted store, the API client and sync."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import app.services.lock as lockmod
from app.domain.model import (
    AlertState,
    Assignment,
    CopingPlan,
    RsvpResponse,
    ScheduleItem,
    Share,
    SharedPatient,
    ShareScope,
    SupportAlert,
    SyncStatus,
)
from app.secrets.base import SecretStore
from app.services import mapping
from app.services.family import FamilyAccounts
from app.services.lock import AppLock
from app.services.ports import (
    Overview,
    PinResult,
    Preferences,
    RejectedChange,
    SupportInfo,
)
from app.services.reads import LocalReads
from app.services.sharing import Sharing
from app.store.models import OutboxEntry


class CoreServices(FamilyAccounts):
    """One per app process; every Flet session shares it. Reads are local; writes are outbox commits."""

    def __init__(
        self,
        data_dir: Path,
        secrets: SecretStore,
        *,
        transport: Any = None,
        clock: Callable[[], datetime],
        sync_interval: float = 300.0,
        pin_kdf_n: int | None = None,
        autosync: bool = True,
    ) -> None:
        super().__init__(
            data_dir,
            secrets,
            transport=transport,
            clock=clock,
            sync_interval=sync_interval,
            autosync=autosync,
        )
        self._pin_kdf_n = pin_kdf_n

    # -- reads (local only) --------------------------------------------------------------------

    async def _reads(self) -> LocalReads:
        return LocalReads(await self._require_store(), self._clock)

    async def overview(self, start: date, end: date) -> Overview:
        return await (await self._reads()).overview(start, end)

    async def assignments(self) -> tuple[Assignment, ...]:
        return await (await self._reads()).assignments()

    async def support_info(self) -> SupportInfo:
        if await self.current_account() is None:
            # Signed out: only alerts kept from an ended session, so the screen can say "not sent yet".
            return SupportInfo(None, None, CopingPlan(), await self.kept_alerts())
        return await (await self._reads()).support_info()

    async def shares(self) -> tuple[Share, ...]:
        return await (await self._reads()).shares()

    async def shared_patients(self) -> tuple[SharedPatient, ...]:
        return await (await self._reads()).shared_patients()

    async def shared_week(self, share_id: str, start: date, end: date) -> tuple[ScheduleItem, ...]:
        return await (await self._reads()).shared_week(share_id, start, end)

    async def rejected_changes(self) -> tuple[RejectedChange, ...]:
        return await (await self._reads()).rejected()

    async def dismiss_rejected(self, change_id: str) -> None:
        await (await self._require_store()).dismiss_rejected(change_id)
        self.board.notify()

    # -- writes (durable outbox, then a kick) ----------------------------------------------------

    async def _enqueue(self, type_: str, payload: dict[str, Any], target: tuple[str, str]) -> OutboxEntry:
        session = await self._require_session()
        store = await self._require_store()
        record = await store.get(*target)
        entry = OutboxEntry(
            id=str(uuid.uuid4()), type=type_, payload=payload,
            base_version=None if record is None else record.version, created_at=self._clock(),
            target_type=target[0], target_id=target[1],
        )  # fmt: skip
        await store.enqueue(entry)  # on disk before the UI hears "queued"
        self.board.update(pending=await store.outbox_count())
        self.board.notify()
        session.engine.kick()
        return entry

    async def set_rsvp(self, schedule_item_id: str, response: RsvpResponse, note: str) -> None:
        payload = {"schedule_item_id": schedule_item_id, "response": response.value, "note": note}
        await self._enqueue("rsvp.set", payload, ("rsvp", schedule_item_id))

    async def complete_assignment(self, assignment_id: str, response: str) -> None:
        payload = {"assignment_id": assignment_id, "response": response}
        await self._enqueue("assignment.complete", payload, ("assignment", assignment_id))

    async def save_coping_plan(self, plan: CopingPlan) -> None:
        session = await self._require_session()
        await self._enqueue("coping_plan.update", mapping.coping_plan_json(plan),
                            ("coping_plan", session.account.account_id))  # fmt: skip

    async def raise_support_alert(self) -> SupportAlert:
        created = self._clock()
        session = await self._require_session()
        entry = await self._enqueue("support_alert.raise", {"created_at": created.isoformat()},
                                    ("support_alert", ""))  # fmt: skip
        if self._autosync:
            self._spawn(session.engine.send_alerts())  # straight to the alert endpoint, not behind the rest
        tz = mapping.zone(await (await self._reads()).clinic())
        return SupportAlert(entry.id, created.astimezone(tz) if tz else created, AlertState.QUEUED)

    # -- sharing (needs the network) ---------------------------------------------------------------

    async def create_share(
        self, recipient_name: str, relationship: str, scope: ShareScope, purpose: str, expires_at: datetime
    ) -> Share:
        session = await self._require_session()
        sharing = Sharing(session.client, await self._require_store())
        return await sharing.create(recipient_name, relationship, scope, purpose, expires_at)

    async def revoke_share(self, share_id: str) -> None:
        session = await self._require_session()
        await Sharing(session.client, await self._require_store()).revoke(share_id)
        self.board.notify()

    # -- preferences and app lock ----------------------------------------------------------------

    async def preferences(self) -> Preferences:
        store = await self._existing_store()
        return self._loose_prefs if store is None else await lockmod.load_preferences(store)

    async def save_preferences(self, prefs: Preferences) -> None:
        store = await self._open_store()
        current = await lockmod.load_preferences(store)
        # The lock is switched only by set_pin/clear_pin, so a stale form cannot disable it.
        await lockmod.save_preferences(store, dataclasses.replace(prefs, lock_enabled=current.lock_enabled))
        self._loose_prefs = dataclasses.replace(prefs, lock_enabled=False)

    async def set_pin(self, pin: str) -> None:
        await AppLock(await self._open_store(), self._clock, kdf_n=self._pin_kdf_n).set_pin(pin)

    async def verify_pin(self, pin: str) -> PinResult:
        store = await self._existing_store()
        if store is None:
            return PinResult(ok=True, attempts_left=lockmod.ATTEMPTS_PER_ROUND)
        return await AppLock(store, self._clock, kdf_n=self._pin_kdf_n).verify_pin(pin)

    async def clear_pin(self) -> None:
        store = await self._existing_store()
        if store is not None:
            await AppLock(store, self._clock).clear_pin()

    # -- sync status ---------------------------------------------------------------------------

    async def sync_now(self) -> SyncStatus:
        await self._ensure_started()
        session = self._session
        if session is None:
            await self.deliver_kept()  # "try again now" on the support screen, signed out
            return self.board.current
        return await session.engine.sync()

    def status(self) -> SyncStatus:
        return self.board.current

    def on_change(self, listener: Callable[[], None]) -> Callable[[], None]:
        return self.board.subscribe(listener)

    async def close(self) -> None:
        """Cancel every background task and close the store; the process is ending."""
        await self._close_all()
