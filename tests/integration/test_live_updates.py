"""Live updates through the app core against the real clinic: while a view is open the app holds
`GET /v1/stream` and pulls when told, so staff actions show within 2 s with the periodic sync set
to an hour; when the clinic is back after an outage, the stream's return sends what waited at once;
closing the last view or signing out ends the stream."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest

from app.domain.model import AlertState, RsvpResponse, ShareScope
from app.secrets.memory import MemorySecretStore
from app.services.patient import CoreServices
from app.sync.backoff import Backoff
from app.sync.live import LiveUpdates
from tests.support.clinic_server import ClinicServer
from tests.support.polling import eventually

TZ = ZoneInfo("America/New_York")


async def within(check: Callable[[], Awaitable[bool]], timeout: float, message: str) -> float:
    """Seconds until `check()` holds, asked every 50 ms; AssertionError after `timeout`."""
    start = time.monotonic()
    while not await check():
        if time.monotonic() - start > timeout:
            raise AssertionError(message)
        await asyncio.sleep(0.05)
    return time.monotonic() - start


def this_and_next_week() -> tuple[date, date]:
    today = datetime.now(TZ).date()
    monday = today - timedelta(days=today.weekday())
    return monday, monday + timedelta(days=13)


def move_session(clinic: ClinicServer, item_id: str, minutes: int) -> datetime:
    """Staff move a session (as the console does); its new start."""
    item = next(i for i in clinic.schedule(clinic.patient_id("alex")) if i["id"] == item_id)
    starts = datetime.fromisoformat(item["starts_at"]) + timedelta(minutes=minutes)
    ends = datetime.fromisoformat(item["ends_at"]) + timedelta(minutes=minutes)
    response = httpx.patch(
        f"{clinic.url}/v1/staff/schedule/{item_id}",
        json={"starts_at": starts.isoformat(), "ends_at": ends.isoformat()},
        headers={"Authorization": f"Bearer {clinic.staff_token()}"},
        timeout=10,
    )
    assert response.status_code == 200, response.text
    return starts


def upcoming_shared(clinic: ClinicServer) -> str:
    """A session of Alex's, this week or next, after now, that family may see."""
    start, end = this_and_next_week()
    now = datetime.now(UTC) + timedelta(hours=1)
    for item in clinic.schedule(clinic.patient_id("alex")):
        at = datetime.fromisoformat(item["starts_at"])
        if at > now and start <= at.astimezone(TZ).date() <= end and item["kind"] != "drug_test":
            return str(item["id"])
    raise LookupError("no upcoming session")


def live_of(services: CoreServices) -> LiveUpdates | None:
    session = services.core.session
    return None if session is None else session.live


@contextlib.asynccontextmanager
async def viewing(services: CoreServices, clinic: ClinicServer) -> AsyncIterator[LiveUpdates]:
    """Alex signed in with a screen open, so the app holds the live stream; yields it connected."""
    await services.account.sign_in_with_password(clinic.url, "alex", "waypoint-demo")
    close_view = services.sync.on_change(lambda: None)
    try:
        live = live_of(services)
        assert live is not None
        await eventually(lambda: live.connected, 10)
        yield live
    finally:
        close_view()


async def test_an_acknowledgement_shows_within_two_seconds_without_the_periodic_sync(
    services: CoreServices, clinic_server: ClinicServer
) -> None:
    async with viewing(services, clinic_server):
        alert = await services.support.raise_support_alert()
        await eventually(lambda: any(a["id"] == alert.id for a in clinic_server.support_alerts()), 10)
        clinic_server.staff_token()

        async def seen() -> bool:
            alerts = (await services.support.support_info()).alerts
            return any(a.id == alert.id and a.state is AlertState.SEEN for a in alerts)

        clinic_server.ack_alert(alert.id)
        took = await within(seen, 2.0, "the acknowledgement did not show within 2 s")
        assert took < 2.0
        (shown,) = [a for a in (await services.support.support_info()).alerts if a.id == alert.id]
        assert shown.acknowledged_by == "Sam Ortiz"


async def test_a_moved_session_changes_the_week_within_two_seconds(
    services: CoreServices, clinic_server: ClinicServer
) -> None:
    async with viewing(services, clinic_server):
        item_id = upcoming_shared(clinic_server)
        new_start = move_session(clinic_server, item_id, 90)

        async def moved() -> bool:
            week = await services.schedule.overview(*this_and_next_week())
            return any(s.id == item_id and s.starts_at == new_start for s in week.sessions)

        await within(moved, 2.0, "the moved session did not show within 2 s")


async def test_a_family_device_gets_the_moved_time_of_its_share_within_two_seconds(
    tmp_path: Path, clinic_server: ClinicServer, services: CoreServices
) -> None:
    patient = CoreServices(
        tmp_path / "patient",
        MemorySecretStore(),
        clock=lambda: datetime.now(UTC),
        sync_interval=3600,
        autosync=False,
    )
    try:
        await patient.account.sign_in_with_password(clinic_server.url, "alex", "waypoint-demo")
        share = await patient.sharing.create_share(
            "Pat Rivera", "spouse", ShareScope.TIMES, "Rides", datetime.now(UTC) + timedelta(days=30)
        )
        assert share.invitation_code
        family = services  # the real keychain and store: the family member's own device
        await family.account.sign_up_family(
            clinic_server.url, share.invitation_code, "Pat", "pat-live", "family-pass-1"
        )
        close_view = family.sync.on_change(lambda: None)
        try:
            live = live_of(family)
            assert live is not None
            await eventually(lambda: live.connected, 10)
            (shared,) = await family.family.shared_patients()
            item_id = upcoming_shared(clinic_server)
            new_start = move_session(clinic_server, item_id, 60)

            async def moved() -> bool:
                week = await family.family.shared_week(shared.share_id, *this_and_next_week())
                return any(i.id == item_id and i.starts_at == new_start for i in week)

            await within(moved, 2.0, "the family's week did not change within 2 s")
        finally:
            close_view()
    finally:
        await patient.close()


async def test_the_stream_is_held_only_while_a_view_is_open_and_ends_on_sign_out(
    services: CoreServices, clinic_server: ClinicServer
) -> None:
    await services.account.sign_in_with_password(clinic_server.url, "alex", "waypoint-demo")
    assert live_of(services) is None  # no view open: nothing held
    close_view = services.sync.on_change(lambda: None)
    first = live_of(services)
    assert first is not None
    await eventually(lambda: first.connected, 10)
    close_view()  # the last view closed (the tab, the app to the background)
    await eventually(lambda: not first.running, 5)
    assert live_of(services) is None

    close_view = services.sync.on_change(lambda: None)
    try:
        second = live_of(services)
        assert second is not None
        await eventually(lambda: second.connected, 10)
        await services.account.sign_out()
        assert not second.running
        assert live_of(services) is None
    finally:
        close_view()


class LongBackoff(Backoff):
    """The engine's backoff deep into a long outage: its next try is an hour away."""

    def next_delay(self, retry_after: float | None = None) -> float:
        return 3600.0


async def test_when_the_clinic_is_back_the_stream_sends_what_waited_without_the_engines_backoff(
    services: CoreServices, clinic_server: ClinicServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("app.sync.engine.Backoff", LongBackoff)  # the live stream keeps its own
    async with viewing(services, clinic_server):
        patient = clinic_server.patient_id("alex")
        item_id = upcoming_shared(clinic_server)
        clinic_server.stop()
        await services.schedule.set_rsvp(item_id, RsvpResponse.GOING, "")
        await eventually(lambda: services.sync.status().problem == "sync.offline", 10)
        assert services.sync.status().pending == 1
        clinic_server.start()  # the same address: the stream reconnects on its own backoff (≤ 4 s here)
        await eventually(
            lambda: any(r["schedule_item_id"] == item_id for r in clinic_server.rsvps(patient)),
            20,
            message="the RSVP waited for the engine's hour-long backoff",
        )
        await eventually(lambda: services.sync.status().pending == 0 and services.sync.status().online, 5)
