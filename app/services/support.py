"""The Support and CopingPlans services: the support screen's data, the alert, the coping plan."""

from __future__ import annotations

import asyncio
from dataclasses import replace

from app.api.mutations import CopingPlanUpdate, SupportAlertRaise
from app.domain.alerts import repeat_of
from app.domain.model import AlertState, CopingPlan, SupportAlert
from app.services import mapping
from app.services.core import Core
from app.services.ports import SupportInfo


class LocalSupport:
    """Served from local data only; an alert is on disk (QUEUED) before the screen hears of it."""

    def __init__(self, core: Core) -> None:
        self._core = core
        # One raise at a time, so two taps that land together see each other (one alert, not two).
        self._raising = asyncio.Lock()

    async def support_info(self) -> SupportInfo:
        core = self._core
        await core.ensure_started()
        if core.session is None:
            # Signed out: only alerts kept from an ended session, so the screen can say "not sent yet".
            return SupportInfo(None, None, CopingPlan(), await core.courier.alerts())
        return await (await core.reads()).support_info()

    async def raise_support_alert(self) -> SupportAlert:
        """A new alert, durable when this returns; or, for a tap within REPEAT_WINDOW of the latest
        alert the clinic has not answered, that same alert (nothing new is queued or sent, so the
        clinic's promised answer time does not move), marked `repeated`."""
        core = self._core
        async with self._raising:
            session = await core.require_session()
            info = await (await core.reads()).support_info()
            created = core.clock()
            repeated = repeat_of(info.alerts[0] if info.alerts else None, created)
            if repeated is not None:
                if repeated.state is AlertState.QUEUED and core.autosync:
                    core.spawn(session.engine.send_alerts())  # the tap is also a "try again now"
                return replace(repeated, repeated=True)
            entry = await core.enqueue(SupportAlertRaise(created), ("support_alert", ""))
        if core.autosync:
            core.spawn(session.engine.send_alerts())  # straight to the alert endpoint, not behind the rest
        tz = mapping.zone(info.clinic)
        return SupportAlert(entry.id, created.astimezone(tz) if tz else created, AlertState.QUEUED)


class LocalCopingPlan:
    def __init__(self, core: Core) -> None:
        self._core = core

    async def coping_plan(self) -> CopingPlan:
        await self._core.ensure_started()
        if self._core.session is None:
            return CopingPlan()  # signed out: an empty plan, as the support screen shows then
        return await (await self._core.reads()).coping_plan()

    async def save_coping_plan(self, plan: CopingPlan) -> None:
        session = await self._core.require_session()
        change = CopingPlanUpdate(mapping.coping_plan_record(plan))
        await self._core.enqueue(change, ("coping_plan", session.account.account_id))
