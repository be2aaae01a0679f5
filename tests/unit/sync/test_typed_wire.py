"""The engine over typed records and mutations: what is stored, what is refused, what is kept for later."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.api.client import ClinicClient
from app.secrets.memory import MemorySecretStore
from app.services.tokens import SecretTokenStore
from app.store.encrypted import EncryptedStore
from app.store.models import OutboxEntry
from app.sync.engine import SyncEngine
from tests.unit.sync.fake_clinic import FakeClinic

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


class Rig:
    def __init__(self, store: EncryptedStore, clinic: FakeClinic, engine: SyncEngine) -> None:
        self.store, self.clinic, self.engine = store, clinic, engine


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
    engine = SyncEngine(store, client, clock=lambda: NOW, interval=3600)
    yield Rig(store, clinic, engine)
    await engine.close()
    await client.aclose()
    await store.close()


async def test_a_record_type_the_app_does_not_know_is_stored_as_sent(rig: Rig) -> None:
    prompt = {"question": "How was today?", "scale": [1, 5]}
    rig.clinic.put("check_in_prompt", "q1", prompt)
    status = await rig.engine.sync()
    assert status.problem is None
    stored = await rig.store.get("check_in_prompt", "q1")
    assert stored is not None
    assert stored.data == prompt


async def test_fields_a_newer_clinic_adds_are_kept_in_the_store(rig: Rig) -> None:
    base = rig.clinic.records[("patient", rig.clinic.patient_id)].data
    assert base is not None
    rig.clinic.put("patient", rig.clinic.patient_id, {**base, "pronouns": "they"})
    await rig.engine.sync()
    stored = await rig.store.get("patient", rig.clinic.patient_id)
    assert stored is not None
    assert stored.data["pronouns"] == "they"


async def test_a_malformed_record_is_a_bad_response_and_nothing_of_its_page_is_stored(rig: Rig) -> None:
    rig.clinic.put(
        "schedule_item",
        "s9",
        {"kind": "check_in", "title": "No start", "ends_at": "2026-03-02T10:00:00-05:00"},
    )
    status = await rig.engine.sync()
    assert status.problem == "api.bad_response"
    assert await rig.store.records("schedule_item") == []
    assert await rig.store.cursor() is None  # the same page is asked for again next time


async def test_an_outbox_entry_whose_payload_does_not_fit_is_kept_as_refused_and_the_rest_go(
    rig: Rig,
) -> None:
    bad = OutboxEntry(
        "m1", "rsvp.set", {"schedule_item_id": "s1", "response": "perhaps"}, None, NOW, "rsvp", "s1"
    )
    good = OutboxEntry(
        "m2", "rsvp.set", {"schedule_item_id": "s1", "response": "going", "note": ""}, None, NOW, "rsvp", "s1"
    )
    await rig.store.enqueue(bad)
    await rig.store.enqueue(good)
    status = await rig.engine.sync()
    assert status.pending == 0
    assert [(r.entry.id, r.status, r.code) for r in await rig.store.rejected()] == [
        ("m1", "rejected", "mutation.invalid")
    ]
    assert rig.clinic.applied == ["m2"]


async def test_a_support_alert_with_a_damaged_payload_still_goes_out_at_the_time_it_was_queued(
    rig: Rig,
) -> None:
    await rig.store.enqueue(OutboxEntry("alert-1", "support_alert.raise", {}, None, NOW, "support_alert", ""))
    status = await rig.engine.sync()
    assert status.pending == 0
    assert await rig.store.rejected() == []
    sent = await rig.store.get("support_alert", "alert-1")
    assert sent is not None
    assert datetime.fromisoformat(sent.data["created_at"]) == NOW
