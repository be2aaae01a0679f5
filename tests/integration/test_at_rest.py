"""What is left on disk: no PHI or tokens in any file the app wrote; a flipped byte is repaired."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

from app.domain.model import RsvpResponse, SessionKind
from app.services.factory import build_services
from app.services.patient import CoreServices
from tests.integration.conftest import keychain_items
from tests.integration.test_vertical_path import this_week
from tests.support.clinic_server import ClinicServer

# The demo patient's names, their care team, their clinic and session titles: none may be on disk.
DEMO_PHI = ["Alex Rivera", "Rivera", "Jordan Lee", "Baystate", "Morning check-in", "Process group",
            "Recovery education", "Trigger log", "Being there for my daughter", "My sister Dana",
            "413-555", "running late - bus"]  # fmt: skip


def written_bytes(data_dir: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in data_dir.rglob("*") if p.is_file()}


async def test_no_phi_or_token_in_any_file_the_app_wrote(
    services: CoreServices, clinic_server: ClinicServer, data_dir: Path
) -> None:
    await services.account.sign_in_with_password(clinic_server.url, "alex", "waypoint-demo")
    monday, sunday = this_week()
    week = await services.schedule.overview(monday, sunday + timedelta(days=7))
    future = [s for s in week.sessions if s.kind is SessionKind.PROCESS_GROUP][-1]
    await services.schedule.set_rsvp(future.id, RsvpResponse.LATE, "running late - bus")
    await services.support.raise_support_alert()
    await services.sync.sync_now()
    tokens = [await services.core.secrets.get(n) for n in ("access-token", "refresh-token", "data-key")]
    files = written_bytes(data_dir)
    assert "store.db" in files
    for secret in [*DEMO_PHI, *(t for t in tokens if t)]:
        for name, content in files.items():
            assert secret.encode() not in content, f"{secret[:4]}… found in {name}"
            assert secret.lower().encode() not in content.lower()
    assert all("alex" not in name.lower() for name in files)  # file names are neutral too


async def test_one_flipped_byte_is_detected_and_repaired_by_the_next_sync(
    services: CoreServices, clinic_server: ClinicServer, data_dir: Path
) -> None:
    await services.account.sign_in_with_password(clinic_server.url, "alex", "waypoint-demo")
    monday, sunday = this_week()
    before = await services.schedule.overview(monday, sunday)
    victim = before.sessions[0]
    await services.close()  # checkpoints the WAL: the records are in store.db itself

    path = data_dir / "store.db"
    with sqlite3.connect(path) as conn:
        (blob,) = conn.execute("SELECT sealed FROM records WHERE id = ?", (victim.id,)).fetchone()
    conn.close()
    raw = bytearray(path.read_bytes())
    at = raw.find(blob) + len(blob) // 2
    raw[at] ^= 0x01
    path.write_bytes(bytes(raw))

    reopened = build_services(data_dir, sync_interval=3600)
    assert isinstance(reopened, CoreServices)
    seen: list[str | None] = []
    reopened.sync.on_change(lambda: seen.append(reopened.sync.status().problem))
    try:
        damaged = await reopened.schedule.overview(monday, sunday)
        assert victim.id not in {s.id for s in damaged.sessions}
        status = await reopened.sync.sync_now()
        assert "store.record_repaired" in seen or status.problem == "store.record_repaired"
        repaired = await reopened.schedule.overview(monday, sunday)
        assert repaired.sessions == before.sessions
        assert (await reopened.sync.sync_now()).problem is None  # calm again once repaired
    finally:
        await reopened.close()


async def test_a_revoked_device_wipes_itself_on_the_next_sync(
    services: CoreServices, clinic_server: ClinicServer, data_dir: Path
) -> None:
    account = await services.account.sign_in_with_password(clinic_server.url, "alex", "waypoint-demo")
    devices = clinic_server._staff("GET", f"/v1/staff/patients/{account.account_id}/devices")
    mine = [d for d in devices if d["name"] == "Waypoint app" and d["revoked_at"] is None]
    assert len(mine) == 1
    clinic_server._staff("POST", f"/v1/staff/devices/{mine[0]['id']}/revoke")
    status = await services.sync.sync_now()
    assert status.problem == "auth.device_revoked"
    assert await services.account.current_account() is None
    assert not data_dir.exists() or list(data_dir.iterdir()) == []
    assert keychain_items(data_dir) == []
