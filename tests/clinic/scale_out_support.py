"""Test tools for scale-out: a round-robin TCP proxy on loopback and an exact SSE event recorder."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import socket
import threading
import time
from collections import Counter
from typing import Any

import httpx

from tests.clinic.helpers import auth


class RoundRobinProxy:
    """One loopback address in front of several servers: each new connection goes to the next one."""

    def __init__(self, ports: list[int]) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.2)
        self.port = int(self._listener.getsockname()[1])
        self.url = f"http://127.0.0.1:{self.port}"
        self._next = itertools.cycle(ports)
        self.connections: Counter[int] = Counter()  # backend port → connections sent to it
        self._open: list[socket.socket] = []
        self._closing = threading.Event()
        self._thread = threading.Thread(target=self._accept, name="rr-proxy", daemon=True)

    def __enter__(self) -> RoundRobinProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._closing.set()
        self._thread.join(5)
        self._listener.close()
        for sock in self._open:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def _accept(self) -> None:
        while not self._closing.is_set():
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            port = next(self._next)
            self.connections[port] += 1
            upstream = socket.create_connection(("127.0.0.1", port), timeout=5)
            upstream.settimeout(None)
            client.settimeout(None)
            self._open += [client, upstream]
            for src, dst in ((client, upstream), (upstream, client)):
                threading.Thread(target=_pump, args=(src, dst), daemon=True).start()


def _pump(src: socket.socket, dst: socket.socket) -> None:
    with contextlib.suppress(OSError):
        while data := src.recv(65536):
            dst.sendall(data)
        dst.shutdown(socket.SHUT_WR)


class SseReader:
    """One staff alert-stream connection, every event kept with its arrival time.

    Unlike `AlertStream` it neither reconnects nor drops repeated ids, so a test can assert
    that an alert arrived exactly once.
    """

    def __init__(
        self, client: httpx.AsyncClient, base_url: str, token: str, last_event_id: str | None = None
    ) -> None:
        self._client = client
        self._url = f"{base_url}/v1/staff/support-alerts/stream"
        self._headers = {**auth(token), "Accept": "text/event-stream"}
        if last_event_id is not None:
            self._headers["Last-Event-ID"] = last_event_id
        self.events: list[tuple[float, dict[str, Any]]] = []
        self._changed = asyncio.Event()
        self._connected = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def __aenter__(self) -> SseReader:
        self._task = asyncio.create_task(self._read())
        await asyncio.wait_for(self._connected.wait(), 10)
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._task is not None
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task

    async def _read(self) -> None:
        async with self._client.stream("GET", self._url, headers=self._headers, timeout=None) as response:
            response.raise_for_status()
            self._connected.set()
            event: dict[str, Any] = {}
            async for line in response.aiter_lines():
                if line == "" and "data" in event:
                    self.events.append((time.monotonic(), event))
                    self._changed.set()
                if line == "":
                    event = {}
                elif line.startswith("id:"):
                    event["id"] = line[3:].strip()
                elif line.startswith("data:"):
                    event["data"] = json.loads(line[5:])

    def count(self, alert_id: str) -> int:
        return sum(1 for _, e in self.events if e["data"]["id"] == alert_id)

    def last_id(self, alert_id: str) -> str:
        return str([e for _, e in self.events if e["data"]["id"] == alert_id][-1]["id"])

    def ids(self) -> list[str]:
        return [str(e["id"]) for _, e in self.events]

    async def wait_for(self, alert_id: str, timeout: float) -> float:
        """The arrival time (time.monotonic()) of the first event about `alert_id`."""
        deadline = time.monotonic() + timeout
        while True:
            for arrived, event in self.events:
                if event["data"]["id"] == alert_id:
                    return arrived
            assert self._task is not None
            if self._task.done():
                self._task.result()  # the stream ended: raise why
                raise AssertionError("the stream ended")
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"no event for the alert within {timeout}s")
            self._changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), remaining)
