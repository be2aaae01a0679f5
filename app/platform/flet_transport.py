"""Flet's web transport without the debug line that formats every outgoing message (Flet 1.0.5).

`FletApp.send_message` builds `f"send_message: {message}"` for a debug log before the logger can
say it is off, so every message is turned into text first. A message that adds a screen holds every
control of it: a session's first frame (~320 controls) is ~0.9 MB of text, 30-90 ms of the one event
loop all sessions share, before the frame leaves. `install()` puts in the same method with the
line formatted only when that logger is on. It replaces only the exact method it was written
against (checked by the hash of its source): after a Flet upgrade that changes it, it leaves Flet
alone and says so in the log.
"""

from __future__ import annotations

import hashlib
import inspect
import logging
from typing import Any

from flet_web.fastapi import flet_app  # type: ignore[import-untyped]

log = logging.getLogger(__name__)

# sha256 of the source of flet_web.fastapi.flet_app.FletApp.send_message in flet-web 1.0.5
KNOWN_SOURCE = "47399d973ee706f08b9d343906c55dd28aa8aabda2f55513c29d98f3d932466e"


def send_message(self: Any, message: Any) -> None:
    """FletApp.send_message of flet-web 1.0.5, its debug line formatted only when it is logged."""
    if flet_app.transport_log.isEnabledFor(logging.DEBUG):
        flet_app.transport_log.debug("send_message: %s", message)
    body = flet_app.msgpack.packb(
        [message.action, message.body],
        default=flet_app.configure_encode_object_for_msgpack(flet_app.BaseControl),
    )
    self._FletApp__send_queue.put_nowait(b"\x00" + body)


def source_hash(method: Any) -> str:
    return hashlib.sha256(inspect.getsource(method).encode("utf-8")).hexdigest()


def install() -> bool:
    """Replace FletApp.send_message if it is the one this was written for; True once in place."""
    current = flet_app.FletApp.send_message
    if current is send_message:
        return True
    if source_hash(current) != KNOWN_SOURCE:
        log.warning("flet transport: send_message is not flet-web 1.0.5's; left as it is")
        return False
    flet_app.FletApp.send_message = send_message
    return True
