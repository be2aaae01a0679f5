"""The app's WebSocket as Playwright routes it: what the app sends, counted and kept; the browser's
route reports held back when a test says so (tests/e2e/test_support_tap.py, test_checkin_tap.py,
test_week_first_frame.py, test_today_first_frame.py)."""

from __future__ import annotations

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

    def route(self, ws: WebSocketRoute) -> None:
        server = ws.connect_to_server()

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
            ws.send(message)

        ws.on_message(to_app)
        server.on_message(to_page)


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
