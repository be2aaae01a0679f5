"""Network faults between app and clinic: sync converges, status is right at each step, no duplicates."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from app.domain.model import RsvpResponse, SessionKind
from app.services.patient import CoreServices
from tests.integration.fault_proxy import FaultProxy
from tests.integration.test_vertical_path import this_week
from tests.support.clinic_server import ClinicServer


@pytest.fixture
async def proxy(clinic_server: ClinicServer) -> AsyncIterator[FaultProxy]:
    started = await FaultProxy(clinic_server.port).start()
    yield started
    await started.close()


@pytest.mark.parametrize("fault", ["drop", "truncate", "reset"])
async def test_sync_through_a_faulty_link_converges_without_duplicates(
    services: CoreServices, clinic_server: ClinicServer, proxy: FaultProxy, fault: str
) -> None:
    account = await services.account.sign_in_with_password(proxy.url, "alex", "waypoint-demo")
    baseline = clinic_server.audit_actions(account.account_id)
    monday, sunday = this_week()
    week = await services.schedule.overview(monday + timedelta(days=7), sunday + timedelta(days=7))
    group = next(s for s in week.sessions if s.kind is SessionKind.PROCESS_GROUP)

    proxy.set_mode(fault)
    await services.schedule.set_rsvp(group.id, RsvpResponse.CANNOT, "")
    alert = await services.support.raise_support_alert()
    for _ in range(3):  # the app keeps trying; every try breaks the same way
        status = await services.sync.sync_now()
        assert status.online is False
        assert status.problem == "sync.connection_lost"
        assert status.pending == 2
        assert not status.syncing
    before = status.last_synced

    proxy.set_mode("delay")  # slow but working: it goes through
    status = await services.sync.sync_now()
    assert (status.online, status.pending, status.problem) == (True, 0, None)
    assert status.last_synced is not None
    assert before is None or status.last_synced > before

    proxy.set_mode("pass")
    await services.sync.sync_now()
    alerts = Counter(a["id"] for a in clinic_server.support_alerts())
    assert alerts == Counter({alert.id: 1})
    actions = clinic_server.audit_actions(account.account_id) - baseline
    assert actions["rsvp.set"] == 1
    assert {r["schedule_item_id"]: r["response"] for r in clinic_server.rsvps(account.account_id)}[
        group.id
    ] == ("cannot")
    local = await services.schedule.overview(monday + timedelta(days=7), sunday + timedelta(days=7))
    assert local.rsvps[group.id].response is RsvpResponse.CANNOT
    assert not local.rsvps[group.id].pending


async def test_a_clinic_that_is_down_reads_as_offline_and_recovers(
    services: CoreServices, clinic_server: ClinicServer, proxy: FaultProxy
) -> None:
    await services.account.sign_in_with_password(proxy.url, "alex", "waypoint-demo")
    await proxy.close()  # nothing listens any more: connection refused
    status = await services.sync.sync_now()
    assert (status.online, status.problem) == (False, "sync.offline")
