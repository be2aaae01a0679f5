"""The app core end to end against the real demo clinic: sign in, read the week, alert, go offline."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from app.domain.model import AlertState, RsvpResponse, SessionKind
from app.services.patient import CoreServices
from tests.integration.conftest import keychain_items
from tests.support.clinic_server import ClinicServer
from tests.support.polling import eventually

NEW_YORK = ZoneInfo("America/New_York")


def this_week() -> tuple[date, date]:
    today = datetime.now(NEW_YORK).date()
    monday = today - timedelta(days=today.weekday())
    return monday, monday + timedelta(days=6)


async def test_sign_in_then_the_week_is_local_in_the_clinic_timezone(
    services: CoreServices, clinic_server: ClinicServer, data_dir: Path
) -> None:
    account = await services.account.sign_in_with_password(clinic_server.url, "alex", "waypoint-demo")
    assert account.display_name == "Alex Rivera"
    assert keychain_items(data_dir) == [
        "access-token",
        "data-key",
        "device-id",
        "device-key",
        "refresh-token",
    ]
    monday, sunday = this_week()
    week = await services.schedule.overview(monday, sunday)
    assert week.clinic is not None
    assert week.clinic.timezone == "America/New_York"
    kinds = {s.kind for s in week.sessions}
    assert {SessionKind.CHECK_IN, SessionKind.PROCESS_GROUP, SessionKind.LUNCH} <= kinds
    for session in week.sessions:
        assert session.starts_at.tzinfo == NEW_YORK
        assert monday <= session.starts_at.date() <= sunday
        if session.kind is SessionKind.DRUG_TEST:
            assert session.ends_at <= datetime.now(UTC)  # never shown in advance
    check_ins = [s for s in week.sessions if s.kind is SessionKind.CHECK_IN]
    assert all((s.starts_at.hour, s.starts_at.minute) == (9, 0) for s in check_ins)

    clinic_server.stop()  # the clinic goes away: everything still reads from the encrypted store
    again = await services.schedule.overview(monday, sunday)
    assert again.sessions == week.sessions
    info = await services.support.support_info()
    assert info.clinic is not None
    assert info.coping_plan.reasons


async def test_support_alert_queued_offline_then_sent_then_seen(
    services: CoreServices, clinic_server: ClinicServer
) -> None:
    await services.account.sign_in_with_password(clinic_server.url, "alex", "waypoint-demo")
    clinic_server.stop()
    alert = await services.support.raise_support_alert()
    assert alert.state is AlertState.QUEUED
    status = await services.sync.sync_now()
    assert (status.online, status.pending, status.problem) == (False, 1, "sync.offline")
    assert (await services.support.support_info()).alerts[0].state is AlertState.QUEUED

    clinic_server.start()
    status = await services.sync.sync_now()
    assert (status.online, status.pending, status.problem) == (True, 0, None)
    assert [a["id"] for a in clinic_server.support_alerts()] == [alert.id]
    clinic_server.ack_alert(alert.id)
    await services.sync.sync_now()
    seen = (await services.support.support_info()).alerts[0]
    assert (seen.id, seen.state, seen.acknowledged_by) == (alert.id, AlertState.SEEN, "Sam Ortiz")


async def test_an_alert_goes_out_at_once_without_waiting_for_the_timer(
    services: CoreServices, clinic_server: ClinicServer
) -> None:
    await services.account.sign_in_with_password(clinic_server.url, "alex", "waypoint-demo")
    alert = await services.support.raise_support_alert()
    await eventually(lambda: any(a["id"] == alert.id for a in clinic_server.support_alerts()), 10.0)
    await eventually(lambda: services.sync.status().pending == 0, 10.0)


async def test_rsvp_round_trip_and_sign_out_leaves_nothing(
    services: CoreServices, clinic_server: ClinicServer, data_dir: Path
) -> None:
    account = await services.account.sign_in_with_password(clinic_server.url, "alex", "waypoint-demo")
    monday, sunday = this_week()
    week = await services.schedule.overview(monday + timedelta(days=7), sunday + timedelta(days=7))
    target = next(s for s in week.sessions if s.kind is SessionKind.PROCESS_GROUP)
    await services.schedule.set_rsvp(target.id, RsvpResponse.LATE, "bus")
    await services.sync.sync_now()
    server = {r["schedule_item_id"]: r for r in clinic_server.rsvps(account.account_id)}
    assert server[target.id]["response"] == "late"

    await services.account.sign_out()
    assert not data_dir.exists() or list(data_dir.iterdir()) == []
    assert keychain_items(data_dir) == []
    assert await services.account.current_account() is None
