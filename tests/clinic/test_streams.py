"""The stream guard every SSE endpoint uses: chunks only while the credential holds, then auth_lapsed."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncGenerator, AsyncIterator
from typing import cast

from clinic.errors import ApiError, Unauthorized
from clinic.routers.streams import guarded


class Source:
    """An event source that yields when told to and records whether it was closed."""

    def __init__(self) -> None:
        self.pending: asyncio.Queue[str] = asyncio.Queue()
        self.closed = False

    async def events(self) -> AsyncIterator[str]:
        try:
            while True:
                yield await self.pending.get()
        finally:
            self.closed = True


class Credential:
    def __init__(self) -> None:
        self.lapsed: ApiError | None = None
        self.checks = 0

    async def recheck(self) -> ApiError | None:
        self.checks += 1
        return self.lapsed


async def test_chunks_pass_while_the_credential_holds_and_a_lapse_ends_the_stream() -> None:
    source, credential = Source(), Credential()
    stream = guarded(source.events(), credential.recheck, interval=0.05)
    await source.pending.put("one\n\n")
    assert await anext(stream) == "one\n\n"
    credential.lapsed = Unauthorized("auth.token_expired", "Token expired", "The access token expired.")
    await source.pending.put("after the lapse\n\n")
    final = await asyncio.wait_for(anext(stream), 2)
    assert final.startswith("event: auth_lapsed\ndata: ")
    problem = json.loads(final.split("data: ", 1)[1])
    assert (problem["status"], problem["code"]) == (401, "auth.token_expired")
    assert [chunk async for chunk in stream] == []  # ended: nothing after the lapse
    assert source.closed


async def test_a_quiet_stream_is_rechecked_on_the_timer() -> None:
    source, credential = Source(), Credential()
    stream = guarded(source.events(), credential.recheck, interval=0.05)
    credential.lapsed = Unauthorized("auth.device_revoked", "Device signed out", "Signed out.")
    final = await asyncio.wait_for(anext(stream), 2)  # no chunk ever came: the timer found it
    assert "auth.device_revoked" in final
    await cast(AsyncGenerator[str, None], stream).aclose()  # guarded() is an async generator
    assert source.closed


async def test_a_source_that_ends_ends_the_stream() -> None:
    async def two() -> AsyncIterator[str]:
        yield "a"
        yield "b"

    credential = Credential()
    assert [c async for c in guarded(two(), credential.recheck, interval=1.0)] == ["a", "b"]
    assert credential.checks >= 2  # every chunk was checked before it went out
