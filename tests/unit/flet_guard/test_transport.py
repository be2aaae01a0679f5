"""The web transport sends the same bytes, without turning each message into text for a log that is off."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import Any

import pytest
from flet.messaging.protocol import Message, MessageAction
from flet_web.fastapi import flet_app  # type: ignore[import-untyped]

from flet_guard import transport as flet_transport

FletApp = flet_app.FletApp
PATCH = MessageAction.PATCH_CONTROL

FLETS_OWN = FletApp.__dict__["send_message"]  # as imported, before any test installs the replacement
FLETS_OWN_SEND_LOOP = FletApp.__dict__["_FletApp__send_loop"]


@dataclass
class Body:
    """A message body that counts how often it is turned into text."""

    controls: list[str] = field(default_factory=lambda: ["a", "b"])
    shown: list[int] = field(default_factory=list)

    def __repr__(self) -> str:
        self.shown.append(1)
        return "Body(...)"


def sent(send: Any, message: Message) -> bytes:
    app = object.__new__(FletApp)  # only its send queue is used
    queue: asyncio.Queue[bytes] = asyncio.Queue()
    app._FletApp__send_queue = queue
    send(app, message)
    return queue.get_nowait()


@pytest.fixture
def transport_log_off() -> None:
    logging.getLogger("flet_transport").setLevel(logging.INFO)


@pytest.mark.usefixtures("transport_log_off")
def test_a_message_is_sent_without_being_formatted_for_a_log_that_is_off() -> None:
    assert flet_transport.install()
    body = Body()
    frame = sent(FletApp.send_message, Message(PATCH, body))
    assert body.shown == []  # Flet 1.0.5's own method formats every message (repr of every control)
    assert frame[:1] == b"\x00"
    assert flet_app.msgpack.unpackb(frame[1:]) == [PATCH.value, {"controls": ["a", "b"]}]  # no empty fields


@pytest.mark.usefixtures("transport_log_off")
def test_the_bytes_on_the_wire_are_flets_own() -> None:
    assert FLETS_OWN is not flet_transport.send_message
    message = Message(PATCH, {"id": 1, "patch": [[0], [0, 0, "title", "Waypoint"]]})
    assert sent(flet_transport.send_message, message) == sent(FLETS_OWN, message)


def test_it_leaves_a_changed_flet_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    def other(self: Any, message: Message) -> None: ...

    monkeypatch.setattr(FletApp, "send_message", other)
    assert not flet_transport.install()
    assert FletApp.send_message is other


def test_when_the_transport_log_is_on_it_still_logs(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG, logger="flet_transport"):
        sent(flet_transport.send_message, Message(PATCH, Body()))
    assert "body=Body(...)" in caplog.text


class GoneBrowser:
    """A WebSocket whose browser has gone: every send raises what Starlette raises then."""

    def __init__(self) -> None:
        self.tries = 0

    async def send_bytes(self, _data: bytes) -> None:
        self.tries += 1
        raise flet_app.WebSocketDisconnect(code=1006)


async def run_send_loop(loop: Any) -> GoneBrowser:
    app = object.__new__(FletApp)
    browser = GoneBrowser()
    queue: asyncio.Queue[bytes | None] = asyncio.Queue()
    app._FletApp__websocket = browser
    app._FletApp__send_queue = queue
    for message in (b"\x00one", b"\x00two", None):  # None: the receive loop saw the disconnect
        queue.put_nowait(message)
    await loop(app)
    assert app._FletApp__send_queue is None  # ended as Flet's own loop ends
    return browser


def test_a_browser_gone_mid_send_ends_the_connection_quietly() -> None:
    """Before: the loop raised, uvicorn logged "Exception in ASGI application" with a traceback, and
    the connection's handler never reached Flet's `disconnect_session`."""
    with pytest.raises(flet_app.WebSocketDisconnect):
        asyncio.run(run_send_loop(FLETS_OWN_SEND_LOOP))  # Flet 1.0.5's own
    assert flet_transport.install()
    browser = asyncio.run(run_send_loop(FletApp._FletApp__send_loop))
    assert browser.tries == 1  # what was left for the gone browser is dropped, not tried again
