"""CoreServices: the feature services of one app process, over one Core (store, session, sync)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from app.secrets.base import SecretStore
from app.services.accounts import AccountKeeper
from app.services.calendar import ClinicCalendarFeeds
from app.services.checkins import LocalCheckIns
from app.services.core import Core
from app.services.device import StoredSettings
from app.services.family import FamilyShares
from app.services.reminders import LocalReminders
from app.services.schedule import LocalAssignments, LocalSchedule
from app.services.sharing import ClinicSharing
from app.services.support import LocalCopingPlan, LocalSupport


class CoreServices:
    """One per app process; every Flet session shares it. Reads are local; writes are outbox commits.

    Satisfies ports.PatientServices: each attribute is one feature's service, and each screen's
    state is handed the one it uses.
    """

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
        core = Core(
            data_dir,
            secrets,
            transport=transport,
            clock=clock,
            sync_interval=sync_interval,
            autosync=autosync,
        )
        self.core = core
        self.family = FamilyShares(core)
        self.account = AccountKeeper(core, self.family)
        self.schedule = LocalSchedule(core)
        self.assignments = LocalAssignments(core)
        self.support = LocalSupport(core)
        self.coping = LocalCopingPlan(core)
        self.checkins = LocalCheckIns(core)
        self.sharing = ClinicSharing(core)
        self.device = StoredSettings(core, pin_kdf_n=pin_kdf_n)
        self.calendar = ClinicCalendarFeeds(core)
        self.reminders = LocalReminders(core, self.checkins)
        self.sync = core  # the Core answers sync now / status / changes itself

    async def close(self) -> None:
        """Cancel every background task and close the store; the process is ending."""
        await self.core.close()
