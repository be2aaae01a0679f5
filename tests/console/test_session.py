"""One ConsoleSession per browser session: its own sign-in, queue, live stream and idle timeout."""

from __future__ import annotations

import uuid
from pathlib import Path

import httpx
import pytest

from console.api import ProblemError, SessionEndedError, StaffClient
from console.models import QueueItem
from console.state import ConsoleSession
from tests.clinic.helpers import raise_alert
from tests.support.clinic_server import DEMO_PATIENT, DEMO_STAFF, ClinicServer
from tests.support.polling import eventually

STAFF_USER, STAFF_PASSWORD = DEMO_STAFF
# Live delivery takes milliseconds here; the bound is loose so two busy cores running the suite in
# parallel do not fail it. The 2 s is asserted, timed, in Chromium (tests/e2e/test_console.py).
LIVE = 5.0


def new_alert(clinic: ClinicServer) -> str:
    alert_id = str(uuid.uuid4())
    assert raise_alert(clinic, clinic.patient_token(), alert_id).status_code == 201
    return alert_id


def alert_in(session: ConsoleSession, alert_id: str) -> QueueItem | None:
    return session.queue.get(f"alert-{alert_id}")


async def signed_in(clinic: ClinicServer) -> ConsoleSession:
    session = ConsoleSession(clinic.url)
    await session.sign_in(STAFF_USER, STAFF_PASSWORD)
    return session


async def test_two_sessions_see_an_alert_live_and_each_others_acknowledgement(clinic: ClinicServer) -> None:
    first, second = await signed_in(clinic), await signed_in(clinic)
    try:
        assert first.client is not None
        assert second.client is not None
        assert first.client.tokens != second.client.tokens  # two sign-ins, nothing shared
        await eventually(lambda: first.link == "live" and second.link == "live", 5)
        alert_id = new_alert(clinic)
        await eventually(lambda: alert_in(first, alert_id) and alert_in(second, alert_id), LIVE)
        assert (first.new_alerts, second.new_alerts) == (1, 1)  # the cue
        item = alert_in(first, alert_id)
        assert item is not None
        assert item.open
        assert item.authenticated_by == "session"
        assert first.items()[0].key == item.key  # newest unanswered alert on top
        await first.acknowledge(item, "no_answer", "Left a voicemail")

        def acknowledged() -> QueueItem | None:
            shown = alert_in(second, alert_id)
            return shown if shown is not None and not shown.open else None

        seen = await eventually(acknowledged, LIVE)
        assert (seen.acknowledged_by, seen.outcome, seen.note) == (
            "Sam Ortiz",
            "no_answer",
            "Left a voicemail",
        )
        second.seen()
        assert second.new_alerts == 0
    finally:
        await first.sign_out()
        await second.sign_out()


async def test_sign_out_logs_out_on_the_clinic_and_ends_the_stream(clinic: ClinicServer) -> None:
    session = await signed_in(clinic)
    assert session.client is not None
    assert session.client.tokens is not None
    token = session.client.tokens.access_token
    await eventually(lambda: session.link == "live", 5)
    await session.sign_out()
    assert not session.streaming
    assert not session.signed_in
    assert session.queue == {}
    answer = httpx.get(f"{clinic.url}/v1/staff/support-alerts", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 401


async def test_a_session_idle_too_long_is_signed_out(clinic: ClinicServer) -> None:
    now = [1000.0]
    session = ConsoleSession(clinic.url, idle_timeout=60, monotonic=lambda: now[0])
    await session.sign_in(STAFF_USER, STAFF_PASSWORD)
    now[0] += 59
    assert not await session.check_idle()
    session.touch()
    now[0] += 59
    assert not await session.check_idle()
    now[0] += 1
    assert await session.check_idle()
    assert not session.signed_in
    assert session.signed_out_reason == "idle"
    assert not session.streaming


async def test_a_clinic_side_logout_sends_the_session_back_to_sign_in(clinic: ClinicServer) -> None:
    session = await signed_in(clinic)
    assert session.client is not None
    assert session.client.tokens is not None
    await eventually(lambda: session.link == "live", 5)
    # The same staff credential ended elsewhere (an administrator, a revoked device): the stream
    # ends with auth_lapsed and the session signs out.
    answer = httpx.post(
        f"{clinic.url}/v1/auth/logout",
        headers={"Authorization": f"Bearer {session.client.tokens.access_token}"},
    )
    assert answer.status_code == 204
    await eventually(lambda: session.signed_out_reason == "lapsed", 5)
    assert not session.signed_in
    assert session.client is None


async def test_the_stream_resumes_after_the_last_event_id(clinic: ClinicServer) -> None:
    session = await signed_in(clinic)
    try:
        first = new_alert(clinic)
        await eventually(lambda: alert_in(session, first), LIVE)
        assert session.last_event_id is not None
        await session.stop_stream()
        missed = new_alert(clinic)  # raised while this session's stream was closed
        session.start_stream()
        await eventually(lambda: alert_in(session, missed), LIVE)
    finally:
        await session.sign_out()


async def test_patients_and_family_cannot_use_the_console(clinic: ClinicServer) -> None:
    client = StaffClient(clinic.url)
    try:
        with pytest.raises(ProblemError) as refused:
            await client.sign_in(*DEMO_PATIENT)
        assert refused.value.code == "console.not_staff"
        assert client.tokens is None
        with pytest.raises(ProblemError) as wrong:
            await client.sign_in(STAFF_USER, "not-the-password")
        assert wrong.value.code == "auth.invalid_credentials"
        with pytest.raises(SessionEndedError):
            await client.alerts()
    finally:
        await client.aclose()


async def test_an_expired_access_token_is_refreshed_and_the_stream_goes_on(tmp_path: Path) -> None:
    # 3 s: each access token lapses several times in this test, and the stream opens with one that
    # has at least half its life left (StaffClient.fresh_for), so it delivers before it lapses.
    with ClinicServer(tmp_path, extra_args=["--access-ttl-seconds", "3"]) as clinic:
        session = await signed_in(clinic)
        try:
            assert session.client is not None
            assert session.client.tokens is not None
            before = session.client.tokens.access_token
            await eventually(lambda: session.client and session.client.tokens.access_token != before, 15)  # type: ignore[union-attr]
            alert_id = new_alert(clinic)
            await eventually(lambda: alert_in(session, alert_id), LIVE)
            assert session.signed_in
            assert len(await session.client.patients()) >= 1
        finally:
            await session.sign_out()


async def test_an_event_that_does_not_fit_the_contract_is_skipped(clinic: ClinicServer) -> None:
    session = ConsoleSession(clinic.url)
    session._apply("support_alert", "7", {"id": "x"})  # no patient, no times
    session._apply("flag", "8", {"id": "y", "reasons": "used"})
    assert session.queue == {}
    assert session.last_event_id is None


async def test_the_stream_comes_back_after_the_clinic_restarts_and_delivers_what_came_meanwhile(
    tmp_path: Path,
) -> None:
    with ClinicServer(tmp_path) as clinic:
        session = await signed_in(clinic)
        try:
            await eventually(lambda: session.link == "live", 5)
            clinic.stop()
            await eventually(lambda: session.link == "connecting", 5)
            clinic.start()
            alert_id = new_alert(clinic)
            await eventually(lambda: alert_in(session, alert_id), 15)  # backoff tops out at 10 s
            assert session.link == "live"
            assert session.signed_in
        finally:
            await session.sign_out()


async def test_the_chime_is_decided_once_per_new_alert_never_for_replays_flags_or_while_muted(
    clinic: ClinicServer,
) -> None:
    already_open = new_alert(clinic)
    session = await signed_in(clinic)
    try:
        await eventually(lambda: session.link == "live", 5)
        assert alert_in(session, already_open) is not None
        assert session.chimes == 0  # what was open at sign-in (and the stream's replay of it) is not new
        alert_id = new_alert(clinic)
        await eventually(lambda: alert_in(session, alert_id), LIVE)
        assert session.chimes == 1
        item = alert_in(session, alert_id)
        assert item is not None
        await session.acknowledge(item, "safe")
        # The acknowledged copy comes back on the stream; a reconnect replays after the last id.
        await session.stop_stream()
        session.start_stream()
        await eventually(lambda: session.link == "live", 5)
        flag = {
            "id": str(uuid.uuid4()),
            "patient_id": "p",
            "patient_name": "Alex Rivera",
            "reasons": ["craving"],
            "severity": "high",
            "created_at": "2026-11-30T03:00:00Z",
            "status": "open",
            "version": 1,
        }
        session._apply("flag", None, flag)  # flags are amber in the queue, silent
        assert session.chimes == 1
        session.toggle_mute()
        assert session.muted
        muted_alert = new_alert(clinic)
        await eventually(lambda: alert_in(session, muted_alert), LIVE)
        assert session.chimes == 1  # muted: the visible cue still counts it
        assert session.new_alerts == 2
        session.toggle_mute()
        loud = new_alert(clinic)
        await eventually(lambda: alert_in(session, loud), LIVE)
        assert session.chimes == 2
    finally:
        await session.sign_out()
