"""Bench: bytes on the wire for a calendar app polling a feed that has not changed (If-None-Match → 304).

Starts `python -m clinic serve --seed demo` on a free loopback port, turns on the demo patient's
feed, reads it once (the full body and its ETag), then polls as a calendar app does, with
If-None-Match. Counts every byte of request and response (start line, headers, body).
Run: .venv/bin/python -m bench.feed_poll
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from dataclasses import dataclass

import httpx

from bench.sync_wire import REPO, free_port, wait_healthy


@dataclass(frozen=True, slots=True)
class Exchange:
    status: int
    sent: int
    received: int


class CountingTransport(httpx.BaseTransport):
    """Every byte of each request and response: start line, headers (with CRLFs), body."""

    def __init__(self) -> None:
        self._inner = httpx.HTTPTransport()
        self.exchanges: list[Exchange] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        body = request.read()
        head = f"{request.method} {request.url.raw_path.decode()} HTTP/1.1\r\n"
        sent = len(head) + sum(len(k) + len(v) + 4 for k, v in request.headers.raw) + 2 + len(body)
        response = self._inner.handle_request(request)
        content = response.read()
        status_line = len(f"HTTP/1.1 {response.status_code} {response.reason_phrase}\r\n")
        received = status_line + sum(len(k) + len(v) + 4 for k, v in response.headers.raw) + 2 + len(content)
        self.exchanges.append(Exchange(response.status_code, sent, received))
        return httpx.Response(response.status_code, headers=response.headers, content=content)

    def close(self) -> None:
        self._inner.close()


def measure(feed_url: str) -> tuple[Exchange, Exchange]:
    """(the first full read, a no-change poll with If-None-Match) of one feed URL."""
    transport = CountingTransport()
    # What a calendar app sends: a user agent, and the ETag it kept.
    with httpx.Client(transport=transport, headers={"User-Agent": "calendar-poll/1.0"}) as client:
        first = client.get(feed_url)
        first.raise_for_status()
        client.get(feed_url, headers={"If-None-Match": first.headers["etag"]})
    return transport.exchanges[0], transport.exchanges[1]


def main() -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, "-m", "clinic", "serve", "--port", str(port), "--db", f"{tmp}/clinic.db"]
        cmd += ["--seed", "demo", "--log-level", "warning"]
        server = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_healthy(url)
            signed_in = httpx.post(
                f"{url}/v1/auth/token", json={"username": "alex", "password": "waypoint-demo"}, timeout=10
            )
            token = signed_in.json()["access_token"]
            created = httpx.post(
                f"{url}/v1/calendar-feeds", json={}, headers={"Authorization": f"Bearer {token}"}, timeout=10
            )
            first, poll = measure(created.json()["url"])
        finally:
            server.terminate()
            server.wait(10)
    print(f"first read:      {first.status}, {first.sent} B sent, {first.received} B received")
    print(f"no-change poll:  {poll.status}, {poll.sent} B sent, {poll.received} B received")
    print(f"poll, both ways: {poll.sent + poll.received} B (goal: under 1024)")


if __name__ == "__main__":
    main()
