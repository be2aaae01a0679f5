"""AppState in the background: it stops listening (so the services let the live stream go) and,
back in front, listens again once and re-reads."""

from __future__ import annotations

from datetime import UTC, datetime

from app.state.session import AppState
from tests.support.memory_services import MemoryPatientServices


async def test_hidden_stops_listening_and_shown_listens_again_once_and_rereads() -> None:
    services = MemoryPatientServices(signed_in=True)
    app = AppState(services=services, clock=lambda: datetime.now(UTC))
    heard: list[int] = []
    await app.start(lambda: heard.append(1))
    assert len(services.demo.listeners) == 1
    app.stop()  # hidden
    assert services.demo.listeners == []
    revision = app.revision
    await app.resume(lambda: heard.append(1))  # shown
    await app.resume(lambda: heard.append(1))  # shown again without a hide: not a second listener
    assert len(services.demo.listeners) == 1
    assert app.revision == revision + 2
    services.demo.notify()
    assert heard == [1]
