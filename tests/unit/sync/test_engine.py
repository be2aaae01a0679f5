"""SyncEngine over a real store file and the in-memory clinic: paging, batching, conflicts, backoff."""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.api.client import ClinicClient
from app.secrets.errors import SecretAccessError
from app.secrets.memory import MemorySecretStore
from app.services.tokens import SecretTokenStore
from app.store.encrypted import EncryptedStore
from app.store.models import OutboxEntry
from app.sync.backoff import Backoff
from app.sync.engine import SyncEngine
from tests.unit.sync.fake_clinic import FakeClinic, _problem

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


class Rig:
    def __init__(self, store: EncryptedStore, clinic: FakeClinic, client: ClinicClient, engine: SyncEngine):
        self.store, self.clinic, self.client, self.engine = store, clinic, client, engine


@pytest.fixture
async def rig(tmp_path: Path) -> AsyncIterator[Rig]:
    clinic = FakeClinic()
    clinic.seed_week()
    secrets = MemorySecretStore()
    store = await EncryptedStore.open(tmp_path, secrets)
    client = ClinicClient(
        "http://127.0.0.1:1", tokens=SecretTokenStore(secrets), transport=clinic.transport()
    )
    await client.sign_in("alex", "waypoint-demo", "test")
    engine = SyncEngine(store, client, clock=lambda: NOW, page_size=2, interval=3600)
    yield Rig(store, clinic, client, engine)
    await engine.close()
    await client.aclose()
    await store.close()


def rsvp(id_: str, item: str = "s1") -> OutboxEntry:
    return OutboxEntry(
        id_, "rsvp.set", {"schedule_item_id": item, "response": "going", "note": ""}, None, NOW, "rsvp", item
    )


async def test_pull_pages_until_has_more_is_false(rig: Rig) -> None:
    status = await rig.engine.sync()
    assert status.online
    assert status.problem is None
    assert status.last_synced == NOW
    assert len(await rig.store.records("schedule_item")) == 2
    assert sum(r == "GET /v1/sync" for r in rig.clinic.requests) == 3  # 6 records in pages of 2


async def test_tombstones_remove_records(rig: Rig) -> None:
    await rig.engine.sync()
    rig.clinic.put("schedule_item", "s2", None)
    await rig.engine.sync()
    assert [r.id for r in await rig.store.records("schedule_item")] == ["s1"]


async def test_push_sends_batches_of_at_most_100_and_each_change_once(rig: Rig) -> None:
    for i in range(150):
        await rig.store.enqueue(rsvp(f"m{i:03}"))
    status = await rig.engine.sync()
    assert status.pending == 0
    assert sum(r == "POST /v1/mutations" for r in rig.clinic.requests) == 2
    assert len(rig.clinic.applied) == len(set(rig.clinic.applied)) == 150


async def test_alerts_go_first_through_their_own_endpoint(rig: Rig) -> None:
    await rig.store.enqueue(rsvp("m1"))
    await rig.store.enqueue(
        OutboxEntry("alert-1", "support_alert.raise", {"created_at": NOW.isoformat()}, None, NOW)
    )
    await rig.engine.sync()
    assert rig.clinic.applied == ["alert-1", "m1"]
    assert rig.clinic.requests.index("POST /v1/support-alerts") < rig.clinic.requests.index(
        "POST /v1/mutations"
    )


async def test_a_conflict_keeps_the_edit_visible_and_the_server_wins(rig: Rig) -> None:
    await rig.engine.sync()
    base = await rig.store.get("assignment", "a1")
    assert base is not None
    rig.clinic.put("assignment", "a1", {**base.data, "title": "Renamed by staff"})
    entry = OutboxEntry(
        "m1",
        "assignment.complete",
        {"assignment_id": "a1", "response": "done"},
        base.version,
        NOW,
        "assignment",
        "a1",
    )
    await rig.store.enqueue(entry)
    await rig.engine.sync()
    kept = await rig.store.rejected()
    assert [(r.entry.id, r.status) for r in kept] == [("m1", "conflict")]
    now = await rig.store.get("assignment", "a1")
    assert now is not None
    assert now.data["title"] == "Renamed by staff"


async def test_a_rejected_change_is_kept_not_dropped(rig: Rig) -> None:
    await rig.store.enqueue(rsvp("m1", item="gone"))
    status = await rig.engine.sync()
    assert status.pending == 0
    assert [(r.entry.id, r.code) for r in await rig.store.rejected()] == [("m1", "schedule_item.not_found")]


async def test_offline_is_a_status_not_an_exception(rig: Rig) -> None:
    await rig.store.enqueue(rsvp("m1"))
    rig.clinic.offline = True
    status = await rig.engine.sync()
    assert (status.online, status.pending, status.problem, status.last_synced) == (
        False,
        1,
        "sync.offline",
        None,
    )
    rig.clinic.offline = False
    status = await rig.engine.sync()
    assert (status.online, status.pending, status.problem) == (True, 0, None)


async def test_rate_limit_is_a_problem_with_retry_after(rig: Rig) -> None:
    rig.clinic.canned.append(_problem(429, "rate_limited", {"Retry-After": "30"}))
    status = await rig.engine.sync()
    assert status.problem == "sync.rate_limited"
    assert rig.engine._retry_after == 30.0


async def test_device_revoked_calls_back_once_and_stops(rig: Rig) -> None:
    calls: list[str] = []

    async def lost(code: str) -> None:
        calls.append(code)

    engine = SyncEngine(rig.store, rig.client, clock=lambda: NOW, on_auth_lost=lost)
    rig.clinic.revoked = True
    status = await engine.sync()
    await engine.sync()
    assert calls == ["auth.device_revoked"]
    assert status.problem == "auth.device_revoked"


async def test_the_loop_syncs_on_start_and_on_kick_and_closes_cleanly(rig: Rig) -> None:
    rig.engine.start()
    for _ in range(100):
        if rig.engine.status.last_synced is not None:
            break
        await asyncio.sleep(0.01)
    assert rig.engine.status.last_synced == NOW
    await rig.store.enqueue(rsvp("m1"))
    rig.engine.kick()
    for _ in range(100):
        if rig.clinic.applied:
            break
        await asyncio.sleep(0.01)
    assert rig.clinic.applied == ["m1"]
    await rig.engine.close()
    assert all(t.get_name() != "sync-engine" for t in asyncio.all_tasks())


def checkin(id_: str) -> OutboxEntry:
    answers = {"craving": 9, "mood": 3, "confidence": 4, "used": False, "contact": True, "note": ""}
    payload = {
        "checkin_id": f"c-{id_}",
        "questionnaire_id": "q-daily",
        "period": NOW.date().isoformat(),
        "answered_at": NOW.isoformat(),
        "answers": answers,
    }
    return OutboxEntry(id_, "checkin.submit", payload, None, NOW, "checkin", f"c-{id_}")


URGENT = {
    "a support alert": OutboxEntry(
        "alert-1", "support_alert.raise", {"created_at": NOW.isoformat()}, None, NOW
    ),
    # "I'd like someone from my team to contact me today" must not wait minutes for a backoff either.
    "a check-in": checkin("alert-1"),
}


@pytest.mark.parametrize("entry", URGENT.values(), ids=URGENT.keys())
async def test_a_queued_alert_goes_out_soon_after_the_clinic_is_back_without_a_tap(
    rig: Rig, entry: OutboxEntry
) -> None:
    # A long backoff must not hold a support alert (or a check-in) back once the connection returns.
    rig.clinic.seed_questionnaires()
    engine = SyncEngine(
        rig.store,
        rig.client,
        clock=lambda: NOW,
        interval=3600,
        backoff=Backoff(base=3600, cap=3600, rng=random.Random(1)),
        urgent_retry=0.05,
    )
    rig.clinic.offline = True
    await rig.store.enqueue(entry)
    engine.start()
    for _ in range(200):
        if engine.status.problem == "sync.offline":
            break
        await asyncio.sleep(0.01)
    assert engine.status.problem == "sync.offline"
    rig.clinic.offline = False
    for _ in range(200):
        if rig.clinic.applied:
            break
        await asyncio.sleep(0.01)
    assert rig.clinic.applied == ["alert-1"]
    await engine.close()


async def test_while_an_alert_waits_offline_the_status_says_when_the_next_try_is(rig: Rig) -> None:
    # The support screen tells the patient when the app tries again, so they need not keep tapping.
    engine = SyncEngine(rig.store, rig.client, clock=lambda: NOW, interval=3600, urgent_retry=5.0)
    rig.clinic.offline = True
    await rig.store.enqueue(
        OutboxEntry("alert-1", "support_alert.raise", {"created_at": NOW.isoformat()}, None, NOW)
    )
    engine.start()
    for _ in range(200):
        if engine.status.next_try is not None:
            break
        await asyncio.sleep(0.01)
    assert engine.status.problem == "sync.offline"
    assert engine.status.next_try is not None
    assert NOW < engine.status.next_try <= NOW + timedelta(seconds=5)
    rig.clinic.offline = False
    engine.kick()
    for _ in range(200):
        if engine.status.next_try is None:
            break
        await asyncio.sleep(0.01)
    assert engine.status.next_try is None
    assert rig.clinic.applied == ["alert-1"]
    await engine.close()


async def test_without_a_queued_alert_the_backoff_is_followed(rig: Rig) -> None:
    engine = SyncEngine(
        rig.store,
        rig.client,
        clock=lambda: NOW,
        interval=3600,
        backoff=Backoff(base=3600, cap=3600, rng=random.Random(1)),
        urgent_retry=0.05,
    )
    rig.clinic.offline = True
    await rig.store.enqueue(rsvp("m1"))
    engine.start()
    await asyncio.sleep(0.3)
    rig.clinic.offline = False
    await asyncio.sleep(0.3)
    assert rig.clinic.applied == []  # waits for its backoff (or a kick), not the urgent probe
    await engine.close()


class LockedKeychain(MemorySecretStore):
    """A keychain that refuses every call while `locked` (a locked keyring, a closed browser tab)."""

    locked = False

    async def get(self, name: str) -> str | None:
        if self.locked:
            raise SecretAccessError("locked")
        return await super().get(name)


async def test_a_locked_keychain_is_a_problem_and_the_loop_keeps_going(tmp_path: Path) -> None:
    clinic = FakeClinic()
    clinic.seed_week()
    secrets = LockedKeychain()
    store = await EncryptedStore.open(tmp_path, secrets)
    signed_in = ClinicClient(
        "http://127.0.0.1:1", tokens=SecretTokenStore(secrets), transport=clinic.transport()
    )
    await signed_in.sign_in("alex", "waypoint-demo", "test")
    await signed_in.aclose()
    # A client that has not read the tokens yet, as after a restart.
    client = ClinicClient(
        "http://127.0.0.1:1", tokens=SecretTokenStore(secrets), transport=clinic.transport()
    )
    engine = SyncEngine(store, client, clock=lambda: NOW, interval=3600, urgent_retry=0.05)
    secrets.locked = True
    await store.enqueue(
        OutboxEntry("alert-1", "support_alert.raise", {"created_at": NOW.isoformat()}, None, NOW)
    )
    status = await engine.sync()
    assert status.problem == "secrets.access_failed"
    engine.start()
    await asyncio.sleep(0.2)
    secrets.locked = False
    for _ in range(200):
        if clinic.applied:
            break
        await asyncio.sleep(0.01)
    assert clinic.applied == ["alert-1"]
    await engine.close()
    await client.aclose()
    await store.close()


@pytest.mark.parametrize("seed", range(5))
def test_backoff_is_full_jitter_capped_and_honours_retry_after(seed: int) -> None:
    backoff = Backoff(base=1.0, cap=60.0, rng=random.Random(seed))
    delays = [backoff.next_delay() for _ in range(12)]
    assert all(0 <= d <= min(60.0, 2**i) for i, d in enumerate(delays))
    assert backoff.next_delay(retry_after=45.0) >= 45.0
    backoff.reset()
    assert backoff.next_delay() <= 1.0
