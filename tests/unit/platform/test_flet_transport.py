"""The web transport sends the same bytes, without turning each message into text for a log that is off."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import Any

import pytest
from flet.messaging.protocol import Message, MessageAction
from flet_web.fastapi import flet_app  # type: ignore[import-untyped]

from app.platform import flet_transport

FletApp = flet_app.FletApp
PATCH = MessageAction.PATCH_CONTROL

FLETS_OWN = FletApp.__dict__["send_message"]  # as imported, before any test installs the replacement


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
