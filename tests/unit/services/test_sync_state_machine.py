"""Hypothesis state machine: edit offline, go offline, server-side change, reconnect, sync.

Invariants: an edit is never lost (it is pending, applied once, or kept as rejected); after an
online sync both sides agree and the outbox is empty; nothing is applied twice.
"""

from __future__ import annotations

import asyncio
import shutil
import tempfile
from collections.abc import Coroutine
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from app.domain.model import RsvpResponse
from app.secrets.memory import MemorySecretStore
from app.services.patient import CoreServices
from tests.unit.sync.fake_clinic import FakeClinic

T = TypeVar("T")
URL = "http://127.0.0.1:9"
NOW = datetime(2026, 3, 1, 15, 0, tzinfo=UTC)


class OfflineSync(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.loop = asyncio.new_event_loop()
        self.dir = Path(tempfile.mkdtemp(prefix="waypoint-sm-"))
        self.clinic = FakeClinic()
        self.clinic.seed_week()
        self.services = CoreServices(self.dir, MemorySecretStore(), transport=self.clinic.transport(),
                                     clock=lambda: NOW, autosync=False)  # fmt: skip
        self.run(self.services.account.sign_in_with_password(URL, "alex", "waypoint-demo"))
        self.made: set[str] = set()
        self.staff_edits = 0

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        return self.loop.run_until_complete(coro)

    def teardown(self) -> None:
        self.run(self.services.close())
        self.loop.run_until_complete(self.loop.shutdown_asyncgens())
        self.loop.close()
        shutil.rmtree(self.dir, ignore_errors=True)

    def _store(self) -> Any:
        return self.services.core.store

    def _note_new_entries(self) -> None:
        self.made |= {e.id for e in self.run(self._store().outbox())}

    @rule()
    def go_offline(self) -> None:
        self.clinic.offline = True

    @rule()
    def reconnect(self) -> None:
        self.clinic.offline = False

    @rule(item=st.sampled_from(["s1", "s2"]), response=st.sampled_from(list(RsvpResponse)))
    def edit_rsvp(self, item: str, response: RsvpResponse) -> None:
        self.run(self.services.schedule.set_rsvp(item, response, ""))
        self._note_new_entries()

    @rule(text=st.text(alphabet="abc ", max_size=5))
    def complete_assignment(self, text: str) -> None:
        self.run(self.services.assignments.complete_assignment("a1", text))
        self._note_new_entries()

    @rule()
    def raise_alert(self) -> None:
        alert = self.run(self.services.support.raise_support_alert())
        self.made.add(alert.id)

    @rule(what=st.sampled_from([("assignment", "a1"), ("schedule_item", "s2")]))
    def server_side_change(self, what: tuple[str, str]) -> None:
        record = self.clinic.records[what]
        assert record.data is not None
        self.staff_edits += 1
        self.clinic.put(*what, {**record.data, "title": f"edited by staff {self.staff_edits}"})

    @rule()
    def sync(self) -> None:
        self.run(self.services.sync.sync_now())

    @precondition(lambda self: not self.clinic.offline)
    @rule()
    def sync_online_and_compare(self) -> None:
        status = self.run(self.services.sync.sync_now())
        assert status.online
        assert status.pending == 0
        assert self.run(self._store().outbox()) == []
        server = {k: (r.version, r.data) for k, r in self.clinic.records.items() if r.data is not None}
        local: dict[tuple[str, str], tuple[int, Any]] = {}
        for type_ in {k[0] for k in self.clinic.records}:
            for rec in self.run(self._store().records(type_)):
                local[(rec.type, rec.id)] = (rec.version, rec.data)
        assert local == server

    @invariant()
    def no_edit_is_lost_and_none_is_applied_twice(self) -> None:
        pending = {e.id for e in self.run(self._store().outbox())}
        rejected = {r.id for r in self.run(self.services.schedule.rejected_changes())}
        applied = set(self.clinic.answers)
        assert self.made <= pending | applied | rejected
        assert len(self.clinic.applied) == len(set(self.clinic.applied))
        assert self.services.sync.status().pending == len(pending)


OfflineSync.TestCase.settings = settings(
    max_examples=25, stateful_step_count=20, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
TestOfflineSync = OfflineSync.TestCase
