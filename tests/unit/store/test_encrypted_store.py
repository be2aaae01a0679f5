"""The encrypted store on a real SQLite file: sealing, tamper repair, rotation, outbox order."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.secrets.memory import MemorySecretStore
from app.store.crypto import KEY_SECRET_NAME, KeyRing, Sealer
from app.store.encrypted import EncryptedStore
from app.store.models import OutboxEntry, RecordChange, RejectedEntry, Settlement
from app.store.rows import record_ad

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
SECRET_TITLE = "Relapse prevention with Dana Reyes"


def item(id_: str, version: int, day: str = "2026-03-02", title: str = SECRET_TITLE) -> RecordChange:
    data = {"kind": "process_group", "title": title, "starts_at": f"{day}T09:00:00-05:00"}
    return RecordChange("schedule_item", id_, version, data=data)


def entry(id_: str, type_: str = "rsvp.set", seq: int = 0) -> OutboxEntry:
    return OutboxEntry(id_, type_, {"note": "bus"}, 3, NOW, "rsvp", "s1", seq)


@pytest.fixture
def secrets() -> MemorySecretStore:
    return MemorySecretStore()


@pytest.fixture
async def store(tmp_path: Path, secrets: MemorySecretStore) -> AsyncIterator[EncryptedStore]:
    opened = await EncryptedStore.open(tmp_path, secrets)
    yield opened
    await opened.close()


def raw(path: Path, sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as conn:
        rows = conn.execute(sql, params).fetchall()
    conn.close()
    return rows


async def test_records_round_trip_and_query_by_clinic_day(store: EncryptedStore) -> None:
    await store.apply_page([item("a", 1, "2026-03-02"), item("b", 2, "2026-03-09")], cursor="c2", reset=False)
    week = await store.records("schedule_item", day_from="2026-03-02", day_to="2026-03-08")
    assert [(r.id, r.version, r.data["title"]) for r in week] == [("a", 1, SECRET_TITLE)]
    assert await store.cursor() == "c2"


async def test_payloads_are_sealed_with_fresh_nonces(store: EncryptedStore) -> None:
    await store.apply_page([item("a", 1), item("b", 1)], cursor="c", reset=False)
    blobs = [bytes(r[0]) for r in raw(store.path, "SELECT sealed FROM records")]  # type: ignore[call-overload]
    assert all(SECRET_TITLE.encode() not in b for b in blobs)
    assert blobs[0][:12] != blobs[1][:12]  # nonces differ even for equal plaintexts


async def test_an_older_version_never_overwrites_a_newer_one(store: EncryptedStore) -> None:
    await store.apply_page([item("a", 5, title="new")], cursor="c", reset=False)
    await store.settle("m1", change=item("a", 4, title="old"))
    found = await store.get("schedule_item", "a")
    assert found is not None
    assert found.data["title"] == "new"


async def test_reset_page_drops_what_the_snapshot_lacks(store: EncryptedStore) -> None:
    await store.apply_page([item("a", 1), item("b", 2)], cursor="c", reset=False)
    await store.apply_page([item("b", 7)], cursor="d", reset=True)
    assert [r.id for r in await store.records("schedule_item")] == ["b"]


def sealed_for(secrets: MemorySecretStore, id_: str, version: int, plaintext: bytes) -> tuple[str, bytes]:
    """A value sealed correctly for record ("schedule_item", id_, version) under the store's own key."""
    return Sealer(KeyRing.loads(secrets.values[KEY_SECRET_NAME])).seal(
        record_ad("schedule_item", id_, version), plaintext
    )


@pytest.mark.parametrize(
    "damage", ["flip", "truncate", "swap", "version", "kid", "text", "not_json", "not_utf8", "not_object"]
)
async def test_a_damaged_record_is_dropped_reported_and_its_cursor_reset(
    store: EncryptedStore, secrets: MemorySecretStore, damage: str
) -> None:
    await store.apply_page([item("0", 1), item("a", 1), item("b", 1)], cursor="c", reset=False)
    (blob,) = raw(store.path, "SELECT sealed FROM records WHERE id = 'a'")[0]
    assert isinstance(blob, bytes)
    if damage == "flip":
        raw(
            store.path,
            "UPDATE records SET sealed = ? WHERE id = 'a'",
            (blob[:20] + bytes([blob[20] ^ 1]) + blob[21:],),
        )
    elif damage == "truncate":
        raw(store.path, "UPDATE records SET sealed = ? WHERE id = 'a'", (blob[:10],))
    elif damage == "swap":  # a valid ciphertext moved onto another record must not open there
        raw(
            store.path,
            "UPDATE records SET sealed = (SELECT sealed FROM records WHERE id = 'b') WHERE id = 'a'",
        )
    elif damage == "version":  # the clear version is bound too: a replayed older row cannot pose as newer
        raw(store.path, "UPDATE records SET version = 2 WHERE id = 'a'")
    elif damage == "kid":
        raw(store.path, "UPDATE records SET kid = 'feedbeef' WHERE id = 'a'")
    elif damage == "text":
        raw(store.path, "UPDATE records SET sealed = 'not a blob at all, but long enough' WHERE id = 'a'")
    else:  # authentic for this row, but not a record: the codec refuses it
        plaintext = {"not_json": b"{not json", "not_utf8": b'{"t":"\xff"}', "not_object": b"[1,2]"}[damage]
        kid, sealed = sealed_for(secrets, "a", 1, plaintext)
        raw(store.path, "UPDATE records SET kid = ?, sealed = ? WHERE id = 'a'", (kid, sealed))
    assert [r.id for r in await store.records("schedule_item")] == ["0", "b"]
    assert store.problems.take() == ["store.record_repaired"]
    assert await store.cursor() is None  # the next sync pulls everything again


async def test_outbox_is_alerts_first_then_in_order_and_settles_atomically(store: EncryptedStore) -> None:
    await store.enqueue(entry("m1"))
    await store.enqueue(entry("m2", "assignment.complete"))
    await store.enqueue(entry("m3", "support_alert.raise"))
    assert [e.id for e in await store.outbox()] == ["m3", "m1", "m2"]
    rejected = RejectedEntry(entry("m1"), "rejected", "schedule_item.cancelled", "cancelled", None, NOW)
    await store.settle("m1", rejected=rejected)
    assert await store.outbox_count() == 2
    assert [(r.entry.id, r.code) for r in await store.rejected()] == [("m1", "schedule_item.cancelled")]


async def test_our_own_applied_edit_rebases_later_edits_of_the_same_record(store: EncryptedStore) -> None:
    await store.apply_page(
        [RecordChange("rsvp", "s1", 3, data={"schedule_item_id": "s1"})], cursor="c", reset=False
    )
    await store.enqueue(entry("m1"))
    await store.enqueue(entry("m2"))
    await store.settle("m1", change=RecordChange("rsvp", "s1", 9, data={"schedule_item_id": "s1"}))
    assert [(e.id, e.base_version) for e in await store.outbox()] == [("m2", 9)]


async def test_key_rotation_keeps_every_value_readable(
    tmp_path: Path, store: EncryptedStore, secrets: MemorySecretStore
) -> None:
    await store.apply_page([item("a", 1)], cursor="c", reset=False)
    await store.enqueue(entry("m1"))
    before = secrets.values[KEY_SECRET_NAME]
    await store.rotate_key()
    assert secrets.values[KEY_SECRET_NAME] != before
    await store.close()
    reopened = await EncryptedStore.open(tmp_path, secrets)
    try:
        assert (await reopened.get("schedule_item", "a")) is not None
        assert [e.id for e in await reopened.outbox()] == ["m1"]
        assert await reopened.cursor() == "c"
        assert reopened.problems.take() == []
    finally:
        await reopened.close()


async def test_a_lost_key_means_a_fresh_store_not_a_crash(tmp_path: Path, secrets: MemorySecretStore) -> None:
    first = await EncryptedStore.open(tmp_path, secrets)
    await first.apply_page([item("a", 1)], cursor="c", reset=False)
    await first.close()
    del secrets.values[KEY_SECRET_NAME]
    second = await EncryptedStore.open(tmp_path, secrets)
    try:
        assert await second.records("schedule_item") == []
        assert second.problems.take() == ["store.reset"]
    finally:
        await second.close()


async def test_a_file_that_is_not_a_database_is_replaced(tmp_path: Path, secrets: MemorySecretStore) -> None:
    first = await EncryptedStore.open(tmp_path, secrets)
    await first.close()
    (tmp_path / "store.db").write_bytes(b"garbage" * 1000)
    second = await EncryptedStore.open(tmp_path, secrets)
    try:
        assert second.problems.take() == ["store.reset"]
        assert await second.cursor() is None
    finally:
        await second.close()


async def test_wipe_removes_the_file_and_the_key(tmp_path: Path, secrets: MemorySecretStore) -> None:
    opened = await EncryptedStore.open(tmp_path, secrets)
    await opened.enqueue(entry("m1"))
    await opened.wipe()
    assert list(tmp_path.iterdir()) == []
    assert KEY_SECRET_NAME not in secrets.values


def unsealable(id_: str) -> RecordChange:
    """A change the store cannot seal (not JSON): stands in for a crash halfway through a write."""
    return RecordChange(
        "schedule_item", id_, 1, data={"starts_at": "2026-03-02T09:00:00-05:00", "x": object()}
    )


async def test_a_page_that_fails_halfway_leaves_the_records_and_cursor_as_they_were(
    store: EncryptedStore,
) -> None:
    await store.apply_page([item("a", 1)], cursor="c1", reset=False)
    with pytest.raises(TypeError):
        await store.apply_page([item("b", 1), unsealable("z")], cursor="c2", reset=True)
    assert [r.id for r in await store.records("schedule_item")] == ["a"]
    assert await store.cursor() == "c1"


async def test_a_batch_of_answers_that_fails_halfway_settles_nothing(store: EncryptedStore) -> None:
    await store.enqueue(entry("m1"))
    await store.enqueue(entry("m2"))
    with pytest.raises(TypeError):
        await store.settle_many(
            [Settlement("m1", change=item("a", 1)), Settlement("m2", change=unsealable("z"))]
        )
    assert [e.id for e in await store.outbox()] == ["m1", "m2"]
    assert await store.get("schedule_item", "a") is None
