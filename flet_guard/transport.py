"""Flet's web transport without the debug line that formats every outgoing message, and with a send
loop that lets a browser go mid-send quietly (Flet 1.0.5).

`FletApp.send_message` builds `f"send_message: {message}"` for a debug log before the logger can
say it is off, so every message is turned into text first. A message that adds a screen holds every
control of it: a session's first frame (~320 controls) is ~0.9 MB of text, 30-90 ms of the one event
loop all sessions share, before the frame leaves. `install()` puts in the same method with the
line formatted only when that logger is on. It replaces only the exact method it was written
against (checked by the hash of its source): after a Flet upgrade that changes it, it leaves Flet
alone and says so in the log.
"""

from __future__ import annotations

import logging
from typing import Any

from flet_web.fastapi import flet_app  # type: ignore[import-untyped]

from flet_guard.session import source_hash

log = logging.getLogger(__name__)

# sha256 of the source of flet_web.fastapi.flet_app.FletApp.send_message in flet-web 1.0.5
KNOWN_SOURCE = "47399d973ee706f08b9d343906c55dd28aa8aabda2f55513c29d98f3d932466e"
# and of FletApp.__send_loop
KNOWN_SEND_LOOP = "6bdcfa9a5e2a2c6d8b636ef82e58f1a3a035f60afac80f303f0f2b22c910b115"


def send_message(self: Any, message: Any) -> None:
    """FletApp.send_message of flet-web 1.0.5, its debug line formatted only when it is logged."""
    if flet_app.transport_log.isEnabledFor(logging.DEBUG):
        flet_app.transport_log.debug("send_message: %s", message)
    body = flet_app.msgpack.packb(
        [message.action, message.body],
        default=flet_app.configure_encode_object_for_msgpack(flet_app.BaseControl),
    )
    self._FletApp__send_queue.put_nowait(b"\x00" + body)


async def send_loop(self: Any) -> None:
    """FletApp.__send_loop of flet-web 1.0.5, which ends its connection with an exception when the
    browser has gone mid-send (a reload, a closed tab, a lost network): uvicorn then logs a
    traceback, and the session is never handed back to Flet's session manager. Here the messages
    left for a gone browser are dropped until the receive loop, which sees the same disconnect, ends
    this loop as Flet's own does."""
    assert self._FletApp__websocket
    assert self._FletApp__send_queue
    gone = False
    while True:
        message = await self._FletApp__send_queue.get()
        if message is None:
            break
        if gone:
            continue
        try:
            await self._FletApp__websocket.send_bytes(message)
        except flet_app.WebSocketDisconnect:
            gone = True
    self._FletApp__websocket = None
    self._FletApp__send_queue = None


def install() -> bool:
    """Replace FletApp.send_message and its send loop if they are the ones this was written for;
    True once both are in place."""
    loop = flet_app.FletApp._FletApp__send_loop
    if loop is not send_loop:
        if source_hash(loop) == KNOWN_SEND_LOOP:
            flet_app.FletApp._FletApp__send_loop = send_loop
        else:
            log.warning("flet transport: the send loop is not flet-web 1.0.5's; left as it is")
    current = flet_app.FletApp.send_message
    if current is send_message:
        return flet_app.FletApp._FletApp__send_loop is send_loop
    if source_hash(current) != KNOWN_SOURCE:
        log.warning("flet transport: send_message is not flet-web 1.0.5's; left as it is")
        return False
    flet_app.FletApp.send_message = send_message
    return flet_app.FletApp._FletApp__send_loop is send_loop
