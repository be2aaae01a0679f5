"""Family sharing through the app core against the real clinic: sign up, scope, accept, revoke, expire, erase.

The patient's device uses an in-memory keychain (secrets are not the subject here); the family
member's device uses the real Secret Service and a real SQLite file, whose bytes are checked.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from app.domain.model import Role, SessionKind, ShareScope
from app.secrets.keyring_store import KeyringSecretStore
from app.secrets.memory import MemorySecretStore
from app.services.patient import CoreServices
from app.services.ports import ServiceError, SignInError
from app.state.family import FamilyState
from tests.support.clinic_server import ClinicServer

TZ = ZoneInfo("America/New_York")
FAMILY_PASSWORD = "family-pass-1"


def utc_now() -> datetime:
    return datetime.now(UTC)


def this_week() -> tuple[date, date]:
    today = datetime.now(TZ).date()
    monday = today - timedelta(days=today.weekday())
    return monday, monday + timedelta(days=6)


@pytest.fixture
async def patient(tmp_path: Path, clinic_server: ClinicServer) -> AsyncIterator[CoreServices]:
    services = CoreServices(
        tmp_path / "patient", MemorySecretStore(), clock=utc_now, sync_interval=3600, autosync=False
    )
    await services.account.sign_in_with_password(clinic_server.url, "alex", "waypoint-demo")
    yield services
    await services.close()


@pytest.fixture
async def family(tmp_path: Path) -> AsyncIterator[CoreServices]:
    data_dir = tmp_path / "family"
    secrets = KeyringSecretStore.for_data_dir(data_dir)
    services = CoreServices(data_dir, secrets, clock=utc_now, sync_interval=3600, autosync=False)
    yield services
    await services.close()
    for name in ("data-key", "access-token", "refresh-token"):
        await secrets.delete(name)  # a failed test must not leave keys behind


async def invite(
    patient: CoreServices, scope: ShareScope = ShareScope.TIMES, lasts: timedelta = timedelta(days=30)
) -> str:
    share = await patient.sharing.create_share(
        "Pat Rivera", "spouse", scope, "Rides to sessions", utc_now() + lasts
    )
    assert share.invitation_code
    return share.invitation_code


def expected_this_week(clinic: ClinicServer, scope: ShareScope) -> list[dict[str, Any]]:
    """What the clinic holds for Alex this week that a share of `scope` may disclose."""
    monday, sunday = this_week()
    items = clinic.schedule(clinic.patient_id("alex"))

    def disclosed(item: dict[str, Any]) -> bool:
        day = datetime.fromisoformat(item["starts_at"]).astimezone(TZ).date()
        in_scope = scope is not ShareScope.FAMILY_SESSIONS or item["kind"] == "family_session"
        return monday <= day <= sunday and item["kind"] != "drug_test" and in_scope
        # (family_visible=False items are only the drug tests in the demo seed)

    return [i for i in items if disclosed(i)]


async def test_sign_up_shows_exactly_the_times_of_this_week(
    clinic_server: ClinicServer, patient: CoreServices, family: CoreServices
) -> None:
    code = await invite(patient)
    account = await family.account.sign_up_family(
        clinic_server.url, code, "Pat", "pat-times", FAMILY_PASSWORD
    )
    assert account.role is Role.FAMILY

    (shared,) = await family.family.shared_patients()
    assert shared.patient_display_name == "Alex Rivera"
    assert shared.scope is ShareScope.TIMES
    assert "42 CFR part 2" in shared.notice
    week = await family.family.shared_week(shared.share_id, *this_week())
    expected = expected_this_week(clinic_server, ShareScope.TIMES)
    assert sorted(i.id for i in week) == sorted(i["id"] for i in expected)
    assert {i.kind for i in week} == {SessionKind.SESSION}
    assert all(i.title is None and i.location is None and i.staff_name is None for i in week)
    assert await family.assignments.assignments() == ()
    assert (await family.support.support_info()).coping_plan.reasons == ()


async def test_the_family_device_learns_the_clinics_timezone(
    clinic_server: ClinicServer, patient: CoreServices, family: CoreServices
) -> None:
    """Offsets alone cannot give the zone across DST: the share names it, and the family week uses it."""
    clinic_server.stop()
    with sqlite3.connect(clinic_server.db_path) as db:
        db.execute("UPDATE clinics SET timezone = 'America/Los_Angeles'")
    db.close()
    clinic_server.start()
    code = await invite(patient)
    await family.account.sign_up_family(clinic_server.url, code, "Pat", "pat-zone", FAMILY_PASSWORD)

    (shared,) = await family.family.shared_patients()
    assert shared.timezone == "America/Los_Angeles"
    # Sunday 1 March 2026, 20:00 in Los Angeles, is already Monday where this device is set.
    sunday_evening = datetime(2026, 3, 2, 4, 0, tzinfo=UTC)
    state = FamilyState(family=family.family, clock=lambda: sunday_evening, timezone="Pacific/Kiritimati")
    await state.load()
    assert state.zone(shared.share_id) == "America/Los_Angeles"
    assert state.start(shared.share_id) == date(2026, 2, 23)


async def test_details_scope_shows_titles_and_places_but_never_a_drug_test(
    clinic_server: ClinicServer, patient: CoreServices, family: CoreServices
) -> None:
    code = await invite(patient, ShareScope.DETAILS)
    await family.account.sign_up_family(clinic_server.url, code, "Pat", "pat-details", FAMILY_PASSWORD)
    (shared,) = await family.family.shared_patients()
    monday, sunday = this_week()
    week = await family.family.shared_week(
        shared.share_id, monday - timedelta(days=7), sunday + timedelta(days=7)
    )
    assert week
    assert all(i.title for i in week)
    assert SessionKind.DRUG_TEST not in {i.kind for i in week}
    tests = {
        i["id"] for i in clinic_server.schedule(clinic_server.patient_id("alex")) if i["kind"] == "drug_test"
    }
    assert tests
    assert not tests & {i.id for i in week}


async def test_codes_are_checked_and_a_failed_sign_in_leaves_nothing(
    clinic_server: ClinicServer, patient: CoreServices, family: CoreServices, tmp_path: Path
) -> None:
    with pytest.raises(SignInError) as bad:
        await family.account.sign_up_family(clinic_server.url, "AAA-BBB-CCC", "Pat", "pat-x", FAMILY_PASSWORD)
    assert bad.value.code == "auth.code_invalid"
    with pytest.raises(SignInError) as short:
        await family.account.sign_up_family(clinic_server.url, "AAA-BBB-CCC", "Pat", "pat-x", "short")
    assert short.value.code == "family.password_short"

    code = await invite(patient)
    await family.account.sign_up_family(clinic_server.url, code.lower(), "Pat", "pat-once", FAMILY_PASSWORD)
    await family.account.sign_out()
    with pytest.raises(SignInError) as used:
        await family.account.sign_up_family(clinic_server.url, code, "Pat", "pat-twice", FAMILY_PASSWORD)
    assert used.value.code == "auth.code_used"

    # An existing family account signs in with a new code; a wrong code signs it out again.
    with pytest.raises(SignInError) as wrong:
        await family.account.sign_in_family(clinic_server.url, "AAA-BBB-CCC", "pat-once", FAMILY_PASSWORD)
    assert wrong.value.code == "auth.code_invalid"
    assert await family.account.current_account() is None
    assert not (tmp_path / "family" / "store.db").exists()
    again = await invite(patient)
    account = await family.account.sign_in_family(clinic_server.url, again, "pat-once", FAMILY_PASSWORD)
    assert account.role is Role.FAMILY
    assert len(await family.family.shared_patients()) == 1

    other = CoreServices(tmp_path / "other", MemorySecretStore(), clock=utc_now, autosync=False)
    fresh = await invite(patient)
    try:
        with pytest.raises(SignInError) as taken:
            await other.account.sign_up_family(clinic_server.url, fresh, "P", "pat-once", FAMILY_PASSWORD)
    finally:
        await other.close()
    assert taken.value.code == "auth.username_taken"


async def test_a_patient_account_cannot_take_an_invitation(
    clinic_server: ClinicServer, patient: CoreServices, family: CoreServices
) -> None:
    code = await invite(patient)
    with pytest.raises(SignInError) as refused:
        await family.account.sign_in_family(clinic_server.url, code, "morgan", "waypoint-demo-2")
    assert refused.value.code == "family.not_family_account"
    assert await family.account.current_account() is None


def sealed_blobs(path: Path) -> list[bytes]:
    conn = sqlite3.connect(path)
    try:
        return [bytes(r[0]) for r in conn.execute("SELECT sealed FROM records").fetchall()]
    finally:
        conn.close()


def all_bytes(data_dir: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in data_dir.rglob("*") if p.is_file()}


async def test_revocation_erases_every_byte_of_the_patient(
    clinic_server: ClinicServer, patient: CoreServices, family: CoreServices, tmp_path: Path
) -> None:
    code = await invite(patient, ShareScope.DETAILS)
    await family.account.sign_up_family(clinic_server.url, code, "Pat", "pat-erase", FAMILY_PASSWORD)
    (shared,) = await family.family.shared_patients()
    data_dir = tmp_path / "family"
    blobs = sealed_blobs(data_dir / "store.db")
    assert len(blobs) > 5
    schedule = clinic_server.schedule(clinic_server.patient_id("alex"))
    words = {
        "Alex",
        "Rivera",
        *(i["title"] for i in schedule if i["title"]),
        *(i["location"] for i in schedule if i["location"]),
    }

    (mine,) = await patient.sharing.shares()
    await patient.sharing.revoke_share(mine.id)
    assert await patient.sharing.shares() == ()
    status = await family.sync.sync_now()

    assert status.problem == "share.revoked"
    assert await family.family.shared_patients() == ()
    assert await family.family.shared_week(shared.share_id, date(2000, 1, 1), date(2100, 1, 1)) == ()
    (ended,) = await family.family.ended_shares()
    assert (ended.share_id, ended.reason) == (shared.share_id, "revoked")
    files = all_bytes(data_dir)
    assert "store.db" in files
    for name, content in files.items():
        for word in words:
            assert word.encode() not in content, f"{word!r} in {name}"
        for blob in blobs:
            assert blob[:24] not in content, f"a sealed record of the patient is still in {name}"
    await family.family.dismiss_ended()
    assert await family.family.ended_shares() == ()


async def test_one_share_ends_while_another_lives(
    clinic_server: ClinicServer, patient: CoreServices, family: CoreServices, tmp_path: Path
) -> None:
    second = CoreServices(tmp_path / "morgan", MemorySecretStore(), clock=utc_now, autosync=False)
    try:
        await second.account.sign_in_with_password(clinic_server.url, "morgan", "waypoint-demo-2")
        await family.account.sign_up_family(
            clinic_server.url, await invite(patient), "Pat", "pat-two", FAMILY_PASSWORD
        )
        morgan_code = await invite(second)
        accepted = await family.family.accept_invitation(morgan_code)
        assert {p.share_id for p in await family.family.shared_patients()} == {
            accepted.share_id,
            *(s.id for s in await patient.sharing.shares()),
        }
        (alex_share,) = await patient.sharing.shares()
        await patient.sharing.revoke_share(alex_share.id)
        status = await family.sync.sync_now()
    finally:
        await second.close()

    assert status.problem is None  # a share is still live: the tombstone path, not a 403
    assert [p.share_id for p in await family.family.shared_patients()] == [accepted.share_id]
    far = (date(2000, 1, 1), date(2100, 1, 1))
    assert await family.family.shared_week(alex_share.id, *far) == ()
    assert [e.share_id for e in await family.family.ended_shares()] == [alex_share.id]
    content = (tmp_path / "family" / "store.db").read_bytes()
    assert b"Alex" not in content
    assert b"Rivera" not in content


async def test_expiry_ends_access_on_the_next_sync(
    clinic_server: ClinicServer, patient: CoreServices, family: CoreServices
) -> None:
    code = await invite(patient, lasts=timedelta(seconds=4))
    await family.account.sign_up_family(clinic_server.url, code, "Pat", "pat-expiry", FAMILY_PASSWORD)
    assert len(await family.family.shared_patients()) == 1
    await asyncio.sleep(4.5)
    status = await family.sync.sync_now()
    assert status.problem == "share.expired"
    assert await family.family.shared_patients() == ()
    assert [e.reason for e in await family.family.ended_shares()] == ["expired"]
    with pytest.raises(ServiceError) as again:
        await family.family.accept_invitation(code)
    assert again.value.code.startswith("auth.code_")  # an ended share's code is dead
