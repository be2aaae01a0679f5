"""The CheckIns service over a real store file and the in-memory clinic: offline answers go out once,
an amendment keeps the period's id, the clinic's flag comes back, nothing readable at rest."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.domain.checkins import Answer, FlagStatus
from app.secrets.memory import MemorySecretStore
from app.services.patient import CoreServices
from app.services.ports import ServiceError
from tests.unit.sync.fake_clinic import FakeClinic

URL = "http://127.0.0.1:9"
CALM: dict[str, Answer] = {
    "craving": 2,
    "mood": 7,
    "confidence": 8,
    "used": False,
    "contact": False,
    "note": "",
}
WORRIED: dict[str, Answer] = {**CALM, "craving": 9, "contact": True, "note": "payday tomorrow, rough week"}


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clinic() -> FakeClinic:
    fake = FakeClinic()
    fake.seed_week()
    fake.seed_questionnaires()
    return fake


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 3, 2, 16, 0, tzinfo=UTC))  # Monday 11:00 in New York


@pytest.fixture
async def services(tmp_path: Path, clinic: FakeClinic, clock: Clock) -> AsyncIterator[CoreServices]:
    core = CoreServices(
        tmp_path,
        MemorySecretStore(),
        transport=clinic.transport(),
        clock=clock,
        pin_kdf_n=2**10,
        autosync=False,
    )
    await core.account.sign_in_with_password(URL, "alex", "waypoint-demo")
    yield core
    await core.close()


def submitted(clinic: FakeClinic) -> list[dict[str, Any]]:
    return [m["payload"] for m in _mutations(clinic) if m["type"] == "checkin.submit"]


def _mutations(clinic: FakeClinic) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for path, _, body in clinic.bodies:
        if path == "/v1/mutations":
            found += json.loads(body)["mutations"]
    return found


async def test_the_questionnaires_come_from_the_clinics_records(services: CoreServices) -> None:
    board = await services.checkins.overview()
    assert board.timezone == "America/New_York"
    assert [q.key for q in board.questionnaires] == ["daily", "phq2"]  # the daily check-in first
    assert board.questionnaires[0].item("craving").flag_at == 8  # type: ignore[union-attr]
    assert board.checkins == ()


async def test_an_offline_check_in_is_pending_then_sent_exactly_once(
    services: CoreServices, clinic: FakeClinic
) -> None:
    clinic.offline = True
    saved = await services.checkins.submit("q-daily", WORRIED)
    assert saved.pending
    assert saved.period == date(2026, 3, 2)
    board = await services.checkins.overview()
    assert [(c.id, c.pending, c.answers["craving"]) for c in board.checkins] == [(saved.id, True, 9)]
    await services.sync.sync_now()  # still offline: kept, not lost
    assert services.sync.status().pending == 1
    clinic.offline = False
    await services.sync.sync_now()
    await services.sync.sync_now()  # a second sync sends nothing again
    assert len(clinic.applied) == 1
    [payload] = submitted(clinic)
    assert payload["checkin_id"] == saved.id
    assert payload["period"] == "2026-03-02"
    assert payload["answers"] == WORRIED
    [sent] = (await services.checkins.overview()).checkins
    assert not sent.pending
    assert sent.flag is not None
    assert (sent.flag.reasons, sent.flag.status) == (("craving", "contact"), FlagStatus.OPEN)


async def test_a_lost_reply_is_answered_as_a_duplicate_not_a_second_check_in(
    tmp_path: Path, clinic: FakeClinic, clock: Clock
) -> None:
    lose = {"next": False}

    def handle(request: httpx.Request) -> httpx.Response:
        answer = clinic.handle(request)  # the clinic applies it ...
        if request.url.path == "/v1/mutations" and lose["next"]:
            lose["next"] = False
            raise httpx.ReadError("connection reset", request=request)  # ... and the reply is lost
        return answer

    core = CoreServices(
        tmp_path, MemorySecretStore(), transport=httpx.MockTransport(handle), clock=clock, autosync=False
    )
    try:
        await core.account.sign_in_with_password(URL, "alex", "waypoint-demo")
        saved = await core.checkins.submit("q-daily", CALM)
        lose["next"] = True
        await core.sync.sync_now()
        assert core.sync.status().pending == 1  # no answer: still in the outbox
        await core.sync.sync_now()
        assert core.sync.status().pending == 0
    finally:
        await core.close()
    ids = [m["id"] for m in _mutations(clinic) if m["type"] == "checkin.submit"]
    assert len(ids) == 2
    assert ids[0] == ids[1]  # the same mutation id, sent again: the clinic answers "duplicate"
    assert clinic.applied == [ids[0]]
    assert [k for k in clinic.records if k[0] == "checkin"] == [("checkin", saved.id)]


async def test_an_amendment_the_same_day_reuses_the_check_ins_id(
    services: CoreServices, clinic: FakeClinic, clock: Clock
) -> None:
    first = await services.checkins.submit("q-daily", CALM)
    await services.sync.sync_now()
    clock.now += timedelta(hours=5)  # 16:00 in New York, the same clinic day
    clinic.offline = True
    amended = await services.checkins.submit("q-daily", {**CALM, "used": True})
    assert amended.id == first.id
    assert amended.submitted_at == first.submitted_at
    board = await services.checkins.overview()
    assert [(c.id, c.answers["used"], c.pending) for c in board.checkins] == [(first.id, True, True)]
    clinic.offline = False
    await services.sync.sync_now()
    assert [p["checkin_id"] for p in submitted(clinic)] == [first.id, first.id]
    [stored] = (await services.checkins.overview()).checkins
    assert stored.answers["used"] is True
    assert stored.flag is not None
    assert stored.flag.reasons == ("used",)


async def test_after_the_clinics_midnight_a_new_check_in_gets_a_new_id(
    services: CoreServices, clinic: FakeClinic, clock: Clock
) -> None:
    first = await services.checkins.submit("q-daily", CALM)
    clock.now = datetime(2026, 3, 3, 4, 59, tzinfo=UTC)  # 23:59 in New York: still Monday
    assert (await services.checkins.submit("q-daily", CALM)).id == first.id
    clock.now = datetime(2026, 3, 3, 5, 0, tzinfo=UTC)  # midnight in New York
    second = await services.checkins.submit("q-daily", CALM)
    assert second.id != first.id
    assert second.period == date(2026, 3, 3)
    await services.sync.sync_now()
    assert len(clinic.applied) == 3
    assert {c.period for c in (await services.checkins.overview()).checkins} == {
        date(2026, 3, 2),
        date(2026, 3, 3),
    }


async def test_the_staff_acknowledgement_comes_back_as_seen_by(
    services: CoreServices, clinic: FakeClinic
) -> None:
    saved = await services.checkins.submit("q-daily", WORRIED)
    await services.sync.sync_now()
    clinic.ack_flag(saved.id, "Sam Rivera")
    await services.sync.sync_now()
    [seen] = (await services.checkins.overview()).checkins
    assert seen.flag is not None
    assert (seen.flag.status, seen.flag.acknowledged_by) == (FlagStatus.ACKNOWLEDGED, "Sam Rivera")


async def test_a_missing_answer_is_refused_before_anything_is_queued(services: CoreServices) -> None:
    with pytest.raises(ServiceError) as err:
        await services.checkins.submit("q-daily", {"craving": 3})
    assert err.value.code == "checkin.incomplete"
    with pytest.raises(ServiceError) as err:
        await services.checkins.submit("q-nope", CALM)
    assert err.value.code == "checkin.questionnaire_unknown"
    assert services.sync.status().pending == 0


def _file_bytes(root: Path) -> bytes:
    return b"".join(p.read_bytes() for p in root.rglob("*") if p.is_file())


async def test_answers_are_not_readable_in_the_store_file(
    services: CoreServices, clinic: FakeClinic, tmp_path: Path
) -> None:
    secrets = (b"payday tomorrow", b"craving", b"contact", b"interest")
    clinic.offline = True
    await services.checkins.submit("q-daily", WORRIED)
    await services.checkins.submit("q-phq2", {"interest": 1, "down": 2})
    queued = _file_bytes(tmp_path)  # in the outbox
    assert services.sync.status().pending == 2
    clinic.offline = False
    await services.sync.sync_now()
    synced = _file_bytes(tmp_path)  # as records, with the questionnaires' texts
    assert services.sync.status().pending == 0
    for secret in (*secrets, b"Daily check-in"):
        assert secret not in queued
        assert secret not in synced
