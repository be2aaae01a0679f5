"""An httpx transport around the real one that loses, repeats or delays the *replies* of chosen calls.

Unlike the TCP fault proxy (which breaks connections), this one lets the clinic act and then
throws its answer away, which is what a lost packet on the way back does: the server rotated the
token / applied the mutation / stored the alert, and the app never heard.

    transport = FaultTransport(rng=random.Random(seed))
    transport.rates = {"refresh": 0.3, "mutations": 0.3, "alerts": 0.3}    # chance a call is hit
    transport.script["refresh"] = ["drop_reply"]                             # the next refresh, exactly
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter

import httpx

FAULTS = ("drop_reply", "duplicate", "delay", "unreachable")
KINDS = {
    "/v1/auth/refresh": "refresh",
    "/v1/mutations": "mutations",
    "/v1/support-alerts": "alerts",
    "/v1/sync": "pull",
}


class FaultTransport(httpx.AsyncBaseTransport):
    """Forwards to the real transport; per call kind, a scripted or random fault."""

    def __init__(self, *, rng: random.Random | None = None, max_delay: float = 0.2) -> None:
        self._inner = httpx.AsyncHTTPTransport()
        self.rng = rng or random.Random(0)
        self.max_delay = max_delay
        self.rates: dict[str, float] = {}
        self.script: dict[str, list[str]] = {}
        self.offline = False  # every call fails to connect (the clinic is unreachable)
        self.injected: Counter[tuple[str, str]] = Counter()  # (kind, fault) → how many
        self.calls: Counter[str] = Counter()

    def _fault(self, kind: str | None) -> str | None:
        if kind is None:
            return None
        scripted = self.script.get(kind)
        if scripted:
            return scripted.pop(0)
        if self.rng.random() < self.rates.get(kind, 0.0):
            return self.rng.choice(FAULTS)
        return None

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        kind = KINDS.get(request.url.path)
        self.calls[kind or request.url.path] += 1
        if self.offline:
            raise httpx.ConnectError("injected: the clinic is unreachable", request=request)
        fault = self._fault(kind)
        if fault is None or kind is None:
            return await self._inner.handle_async_request(request)
        self.injected[(kind, fault)] += 1
        if fault == "unreachable":
            raise httpx.ConnectError("injected: request lost on the way", request=request)
        if fault == "duplicate":  # the network delivers the request twice; the app hears the second
            await self._forward(request)
            return await self._forward(request)
        response = await self._forward(request)
        if fault == "delay":
            await asyncio.sleep(self.rng.uniform(0, self.max_delay))
            return response
        raise httpx.ReadError("injected: the reply was lost", request=request)  # drop_reply

    async def _forward(self, request: httpx.Request) -> httpx.Response:
        copy = httpx.Request(request.method, request.url, headers=request.headers, content=request.content)
        response = await self._inner.handle_async_request(copy)
        try:
            content = b"".join([chunk async for chunk in response.aiter_raw()])  # still encoded
        finally:
            await response.aclose()
        return httpx.Response(response.status_code, headers=response.headers, content=content)

    async def aclose(self) -> None:
        """Every client the app makes closes its transport; this one outlives them (see shutdown)."""

    async def shutdown(self) -> None:
        await self._inner.aclose()
