"""LiveUpdates over a scripted client: each `changed` asks for one pull, drops reconnect with backoff
from the last position, a clinic without the stream is left alone, and close() ends it."""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator
from typing import Any, cast

from app.api import errors
from app.api.client import ClinicClient
from app.api.models import LiveEvent
from app.secrets.errors import SecretAccessError
from app.sync.backoff import Backoff
from app.sync.live import LiveUpdates
from tests.support.polling import eventually

Script = list[LiveEvent] | Exception


class ScriptedClient:
    """live_events answers from a list: one entry per connection (events, or an error to raise)."""

    def __init__(self, *connections: Script) -> None:
        self.connections = list(connections)
        self.asked: list[str | None] = []  # the Last-Event-ID of every connection

    async def live_events(self, last_event_id: str | None = None) -> AsyncIterator[LiveEvent]:
        self.asked.append(last_event_id)
        script = self.connections.pop(0) if self.connections else []
        if isinstance(script, Exception):
            raise script
        for event in script:
            yield event
        if not self.connections:
            await asyncio.Event().wait()  # the last connection stays open


def live(client: ScriptedClient, kicks: list[int]) -> LiveUpdates:
    fast = Backoff(base=0.01, cap=0.05, rng=random.Random(1))
    return LiveUpdates(cast(ClinicClient, client), lambda: kicks.append(1), backoff=fast)


async def test_every_changed_event_asks_for_a_pull_and_a_drop_resumes_from_the_last_position() -> None:
    client = ScriptedClient(
        [LiveEvent("open"), LiveEvent("changed", id="10"), LiveEvent("changed", id="12")],  # then it drops
        errors.OfflineError("down"),
        [LiveEvent("open"), LiveEvent("changed", id="15")],
    )
    kicks: list[int] = []
    updates = live(client, kicks)
    updates.start()
    try:
        await eventually(lambda: len(kicks) == 4, 5)  # two changes, back after the drop, one change
        assert client.asked == [None, "12", "12"]
        assert updates.connected
    finally:
        await updates.close()
    assert not updates.running
    assert not updates.connected


async def test_a_lapsed_credential_asks_for_a_sync_and_reconnects() -> None:
    client = ScriptedClient(
        [LiveEvent("open"), LiveEvent("auth_lapsed", code="auth.token_expired")],
        [LiveEvent("open"), LiveEvent("changed", id="3")],
    )
    kicks: list[int] = []
    updates = live(client, kicks)
    updates.start()
    try:
        await eventually(lambda: len(kicks) == 3, 5)  # the lapse, back again, the change after it
        assert len(client.asked) == 2
    finally:
        await updates.close()


async def test_a_keychain_out_of_reach_is_retried_like_being_offline() -> None:
    client = ScriptedClient(SecretAccessError("locked"), [LiveEvent("open"), LiveEvent("changed", id="9")])
    kicks: list[int] = []
    updates = live(client, kicks)
    updates.start()
    try:
        await eventually(lambda: kicks == [1, 1], 5)  # back (a sync finds the keychain again), a change
        assert client.asked == [None, None]
    finally:
        await updates.close()


async def test_back_after_a_drop_it_asks_for_a_sync_at_once_but_not_on_the_first_connection() -> None:
    # The clinic answers again: what waits in the outbox goes now, not at the engine's next backoff
    # step, which after a long outage is minutes away. The first connection needs no sync: the
    # engine syncs as it starts.
    client = ScriptedClient([LiveEvent("open")], errors.ConnectionLostError("reset"), [LiveEvent("open")])
    kicks: list[int] = []
    updates = live(client, kicks)
    updates.start()
    try:
        await eventually(lambda: len(client.asked) == 3 and updates.connected, 5)
        await eventually(lambda: kicks == [1], 5)
        await asyncio.sleep(0.1)
        assert kicks == [1]  # once, for the return; none for the first connection
    finally:
        await updates.close()


async def test_a_clinic_without_the_stream_is_left_alone() -> None:
    client = ScriptedClient(errors.NotFoundError(404, "not_found"))
    kicks: list[int] = []
    updates = live(client, kicks)
    updates.start()
    await eventually(lambda: not updates.running, 5)
    assert client.asked == [None]
    assert kicks == []


async def test_a_revoked_device_asks_the_engine_to_find_out_and_keeps_trying_until_closed() -> None:
    client = ScriptedClient(
        errors.DeviceRevokedError(401, "auth.device_revoked"), errors.OfflineError("down")
    )
    kicks: list[int] = []
    updates = live(client, kicks)
    updates.start()
    await eventually(lambda: len(client.asked) >= 3, 5)
    assert kicks == [1]
    await updates.close()
    asked: Any = len(client.asked)
    await asyncio.sleep(0.1)  # closed: no further connection is tried
    assert len(client.asked) == asked
