"""The app's WebSocket as Playwright routes it: what the app sends, counted and kept; the browser's
route reports held back when a test says so (tests/e2e/test_support_tap.py, test_checkin_tap.py,
test_week_first_frame.py, test_today_first_frame.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import msgpack  # type: ignore[import-untyped]
from flet.messaging.protocol import MessageAction
from playwright.sync_api import WebSocketRoute


class Wire:
    """Between the page and the app: counts (and keeps) the app's messages; holds back route
    reports when told."""

    def __init__(self) -> None:
        self.hold_route_reports = False
        self.held: list[str] = []
        self.received = 0  # bytes the app sent since the last reset
        self.largest = 0  # the largest message the app sent
        self.sent: list[bytes] = []  # every message the app sent, in order
        self._hold_from: Callable[[list[Any]], bool] | None = None
        self._held_for_page: list[str | bytes] = []
        self._page: WebSocketRoute | None = None

    def hold_from(self, first: Callable[[list[Any]], bool]) -> None:
        """Hold back the app's messages from the first update whose patch operations `first` picks
        (and every message after it, so order is kept) until `release`."""
        self._hold_from = first

    @property
    def holding(self) -> bool:
        return bool(self._held_for_page)

    def release(self) -> None:
        """Send the page what was held back, in order, and stop holding."""
        self._hold_from = None
        held, self._held_for_page = self._held_for_page, []
        for message in held:
            assert self._page is not None
            self._page.send(message)

    def route(self, ws: WebSocketRoute) -> None:
        server = ws.connect_to_server()
        self._page = ws

        def to_app(message: str | bytes) -> None:
            route = _route_report(message)
            if route is not None and self.hold_route_reports:
                self.held.append(route)
                return
            server.send(message)

        def to_page(message: str | bytes) -> None:
            self.received += len(message)
            self.largest = max(self.largest, len(message))
            self.sent.append(message if isinstance(message, bytes) else message.encode())
            if self._held_for_page or (self._hold_from is not None and self._hold_from(patch_ops(message))):
                self._held_for_page.append(message)
                return
            ws.send(message)

        ws.on_message(to_app)
        server.on_message(to_page)


def patch_ops(message: str | bytes) -> list[Any]:
    """The operations of an update the app sent (Flet's patch: [op, control, property, value], …), or
    [] for any other message."""
    if not isinstance(message, bytes) or not message or message[0] != 0:
        return []
    try:
        action, body = msgpack.unpackb(message[1:], strict_map_key=False)
    except Exception:  # not a protocol frame this test reads
        return []
    if action != MessageAction.PATCH_CONTROL.value or not isinstance(body, dict):
        return []
    ops = body.get("patch")
    return list(ops[1:]) if isinstance(ops, list) else []


def _route_report(message: str | bytes) -> str | None:
    """The route in a browser's `route_change` event, else None."""
    if not isinstance(message, bytes) or not message or message[0] != 0:
        return None
    try:
        action, body = msgpack.unpackb(message[1:], strict_map_key=False)
    except Exception:  # not a protocol frame this test reads: forwarded as is
        return None
    if action != MessageAction.CONTROL_EVENT.value or not isinstance(body, dict):
        return None
    if body.get("name") != "route_change":
        return None
    data: Any = body.get("data")
    return str(data.get("route")) if isinstance(data, dict) else str(data)
