"""Bench: bytes on the wire for a no-change sync against the real demo clinic, vs the first full sync.

Starts `python -m clinic serve --seed demo` on a free loopback port, signs in as the demo patient,
and counts every byte of request and response (start line, headers, body) the app exchanges.
Run: .venv/bin/python -m bench.sync_wire
"""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from app.domain.clock import utc_now
from app.secrets.memory import MemorySecretStore
from app.services.patient import CoreServices

REPO = Path(__file__).resolve().parents[1]


class CountingTransport(httpx.AsyncBaseTransport):
    def __init__(self) -> None:
        self._inner = httpx.AsyncHTTPTransport()
        self.sent = self.received = self.requests = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        body = await request.aread()
        head = f"{request.method} {request.url.raw_path.decode()} HTTP/1.1\r\n"
        self.sent += len(head) + sum(len(k) + len(v) + 4 for k, v in request.headers.raw) + 2 + len(body)
        response = await self._inner.handle_async_request(request)
        content = b"".join([chunk async for chunk in response.stream])  # type: ignore[union-attr]
        self.received += 17 + sum(len(k) + len(v) + 4 for k, v in response.headers.raw) + 2 + len(content)
        self.requests += 1
        return httpx.Response(response.status_code, headers=response.headers, content=content)

    def take(self) -> tuple[int, int, int]:
        counts = (self.requests, self.sent, self.received)
        self.sent = self.received = self.requests = 0
        return counts

    async def aclose(self) -> None:
        await self._inner.aclose()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_healthy(url: str) -> None:
    for _ in range(600):
        try:
            if httpx.get(f"{url}/v1/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    raise TimeoutError("clinic did not start")


async def measure(url: str, data_dir: Path) -> None:
    transport = CountingTransport()
    services = CoreServices(data_dir, MemorySecretStore(), transport=transport, clock=utc_now, autosync=False)
    await services.account.sign_in_with_password(url, "alex", "waypoint-demo")  # includes the first full sync
    first = transport.take()
    await services.sync.sync_now()
    idle = transport.take()
    await services.close()
    await transport.aclose()
    print(f"sign-in + first full sync: {first[0]} requests, {first[1]} B sent, {first[2]} B received")
    print(f"no-change sync:            {idle[0]} requests, {idle[1]} B sent, {idle[2]} B received")
    print(f"ratio no-change/full (bytes both ways): {(idle[1] + idle[2]) / (first[1] + first[2]):.4f}")


def main() -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [
            sys.executable,
            "-m",
            "clinic",
            "serve",
            "--port",
            str(port),
            "--db",
            f"{tmp}/clinic.db",
            "--seed",
            "demo",
            "--log-level",
            "warning",
        ]
        server = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_healthy(url)
            asyncio.run(measure(url, Path(tmp) / "app"))
        finally:
            server.terminate()
            server.wait(10)


if __name__ == "__main__":
    main()
