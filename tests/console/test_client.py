"""Every staff-API call the console's screens make, against the real clinic, read as the console reads it."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from console.api import StaffClient
from console.models import QueueItem
from console.state import ConsoleSession
from tests.clinic.helpers import latest, raise_alert, sync_all
from tests.clinic.test_escalation import FAST, SECRET, policy, set_policy
from tests.clinic.webhook_receiver import WebhookReceiver
from tests.console.helpers import raise_flag
from tests.support.clinic_server import DEMO_STAFF, ClinicServer
from tests.support.polling import eventually


async def staff(clinic: ClinicServer) -> StaffClient:
    client = StaffClient(clinic.url)
    await client.sign_in(*DEMO_STAFF)
    return client


async def test_caseload_and_a_patients_detail_read_as_the_screens_show_them(clinic: ClinicServer) -> None:
    client = await staff(clinic)
    try:
        patients = {p.display_name: p for p in await client.patients()}
        alex = patients["Alex Rivera"]
        assert alex.enrolment is not None
        assert alex.enrolment.current_week == 5
        schedule = await client.schedule(alex.id)
        assert schedule == sorted(schedule, key=lambda i: i.starts_at)
        assert {r.schedule_item_id for r in await client.rsvps(alex.id)} <= {i.id for i in schedule}
        assert {a.title for a in await client.assignments(alex.id)} >= {"Trigger log"}
        checkins = await client.checkins(alex.id)
        assert checkins  # the demo's four weeks of daily check-ins
        assert all(c.craving is not None for c in checkins)
        trend = await client.trends(alex.id, weeks=2)
        assert trend is not None
        assert len(trend) == 2
        assert trend[0].week_start < trend[1].week_start  # oldest first: last week, then this one
        assert trend[0].checkins >= 1
        assert trend[0].craving is not None
        actions = {e.action for e in await client.audit(alex.id)}
        assert {"staff.schedule.read", "staff.checkins.read"} <= actions  # the console's reads are audited
    finally:
        await client.logout()
        await client.aclose()


async def test_moving_and_cancelling_a_session_reach_the_patient(clinic: ClinicServer) -> None:
    client = await staff(clinic)
    try:
        alex = clinic.patient_id("alex")
        first, second = (await client.schedule(alex))[-2:]
        moved = await client.move_item(
            first.id,
            (first.starts_at + timedelta(hours=1)).isoformat(),
            (first.ends_at + timedelta(hours=1)).isoformat(),
        )
        assert (moved.status, moved.starts_at) == ("moved", first.starts_at + timedelta(hours=1))
        cancelled = await client.cancel_item(second.id, "Room closed")
        assert (cancelled.status, cancelled.note) == ("cancelled", "Room closed")
        changes, _ = sync_all(clinic, clinic.patient_token())
        records = latest(changes)
        assert records[("schedule_item", first.id)]["data"]["status"] == "moved"
        assert records[("schedule_item", second.id)]["data"]["status"] == "cancelled"
    finally:
        await client.logout()
        await client.aclose()


async def test_marking_a_past_session_attended_or_absent_reaches_the_patient(clinic: ClinicServer) -> None:
    client = await staff(clinic)
    try:
        alex = clinic.patient_id("alex")
        now = datetime.now(UTC)
        past = [i for i in await client.schedule(alex) if i.ends_at < now and i.status != "cancelled"]
        item = past[-1]
        assert (await client.set_attendance(item.id, "absent")) == "absent"
        assert (await client.set_attendance(item.id, "attended")) == "attended"  # a correction
        shown = {i.id: i.attendance for i in await client.schedule(alex)}
        assert shown[item.id] == "attended"
        changes, _ = sync_all(clinic, clinic.patient_token())
        assert latest(changes)[("attendance", item.id)]["data"]["status"] == "attended"
    finally:
        await client.logout()
        await client.aclose()


async def test_a_new_assignment_from_one_of_the_clinics_templates(clinic: ClinicServer) -> None:
    client = await staff(clinic)
    try:
        templates = await client.assignment_templates()
        assert [t.title for t in templates][:2] == ["Trigger log", "Decisional balance"]
        chosen = templates[1]
        made = await client.add_assignment(
            clinic.patient_id("alex"), chosen.title, chosen.modality, chosen.instructions
        )
        assert (made.title, made.modality) == ("Decisional balance", "Motivational interviewing")
    finally:
        await client.logout()
        await client.aclose()


async def test_assignments_feedback_enrolment_code_and_device_revocation(clinic: ClinicServer) -> None:
    client = await staff(clinic)
    try:
        alex = clinic.patient_id("alex")
        made = await client.add_assignment(alex, "Urge surfing", "practice", "Ten minutes, twice.")
        assert (made.title, made.done) == ("Urge surfing", False)
        answered = await client.feedback(made.id, "Good start.")
        assert (answered.feedback, answered.feedback_by) == ("Good start.", "Sam Ortiz")
        code = await client.enrolment_code(alex)
        assert code.code not in repr(code)  # a live code never lands in a log line
        signed_in = clinic.sign_in("alex", "waypoint-demo", device_name="phone to revoke")
        token, device_id = signed_in["access_token"], signed_in["device_id"]
        device = next(d for d in await client.devices(alex) if d.id == device_id)
        assert (device.name, device.revoked) == ("phone to revoke", False)
        await client.revoke_device(device.id)
        assert next(d for d in await client.devices(alex) if d.id == device.id).revoked
        assert (
            httpx.get(f"{clinic.url}/v1/sync", headers={"Authorization": f"Bearer {token}"}).status_code
            == 401
        )
    finally:
        await client.logout()
        await client.aclose()


async def test_a_flag_is_acknowledged_with_its_note(clinic: ClinicServer) -> None:
    session = ConsoleSession(clinic.url)
    await session.sign_in(*DEMO_STAFF)
    try:
        raise_flag(clinic)

        def open_flag() -> QueueItem | None:
            return next((i for i in session.items() if i.kind == "flag" and i.open), None)

        flag = await eventually(open_flag, 5)  # live, over the stream
        assert (flag.patient_name, set(flag.reasons), flag.severity) == (
            "Alex Rivera",
            {"craving", "contact"},
            "high",
        )
        assert session.items()[0].key == flag.key  # the only unanswered item: on top
        done = await session.acknowledge(flag, "other", "Spoke with Alex")
        assert (done.open, done.note, done.acknowledged_by) == (False, "Spoke with Alex", "Sam Ortiz")
        assert session.queue[flag.key] == done
    finally:
        await session.sign_out()


async def test_the_queue_shows_each_escalation_step_as_it_fires(tmp_path: Path) -> None:
    with (
        WebhookReceiver(SECRET) as pager,
        ClinicServer(tmp_path / "clinic", env=FAST) as clinic,
    ):
        set_policy(clinic, policy(pager, first=1.0, second=60.0))
        session = ConsoleSession(clinic.url)
        await session.sign_in(*DEMO_STAFF)
        try:
            alert_id = str(uuid.uuid4())
            assert raise_alert(clinic, clinic.patient_token(), alert_id).status_code == 201

            def escalated() -> QueueItem | None:
                shown = session.queue.get(f"alert-{alert_id}")
                return shown if shown is not None and shown.escalation_step == 1 else None

            item = await eventually(escalated, 10)
            assert item.escalated_to == "On-call group"
        finally:
            await session.sign_out()
