"""Server-sent-event streams that hold their credential: re-checked on every batch and every tick.

Every stream endpoint answers with `watched_stream`: the process's stream watcher
(services/watch.py) authenticates every open stream's bearer again every `Settings.stream_recheck`
(all in one query) and produces a stream's chunks only in a tick where its bearer passed; when it
no longer passes (logged out, expired, device revoked) the stream sends one final
`event: auth_lapsed` whose `data` is the problem+json body of the 401 the same request would get
now, and ends. Nothing is sent after the lapse is seen (`guarded`).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from fastapi.responses import StreamingResponse

from clinic.container import Services
from clinic.errors import ApiError
from clinic.services.watch import Refresh, Subscription, Wants

Recheck = Callable[[], Awaitable[ApiError | None]]
KEEPALIVE_SECONDS = 15.0  # a comment line on a quiet stream, so proxies and clients keep it open

_END = object()


def lapsed_event(error: ApiError) -> str:
    problem = {
        "type": "about:blank",
        "title": error.title,
        "status": error.status,
        "detail": error.detail,
        "code": error.code,
    }
    return f"event: auth_lapsed\ndata: {json.dumps(problem)}\n\n"


async def guarded(source: AsyncIterator[str], recheck: Recheck, interval: float) -> AsyncIterator[str]:
    """`source`'s chunks while `recheck()` returns None; then its error as a final event, and the end."""
    queue: asyncio.Queue[object] = asyncio.Queue(maxsize=1)

    async def pump() -> None:
        async for chunk in source:
            await queue.put(chunk)
        await queue.put(_END)

    producer = asyncio.create_task(pump())
    getter: asyncio.Future[object] | None = None
    try:
        while True:
            if getter is None:
                getter = asyncio.ensure_future(queue.get())
            waiting: set[asyncio.Future[Any]] = {getter, producer}
            done, _ = await asyncio.wait(waiting, timeout=interval, return_when=asyncio.FIRST_COMPLETED)
            chunk: object = None
            if getter in done:
                chunk, getter = getter.result(), None
            elif producer in done and producer.exception() is not None:
                raise producer.exception()  # type: ignore[misc]
            lapse = await recheck()
            if lapse is not None:
                yield lapsed_event(lapse)
                return
            if chunk is _END:
                return
            if isinstance(chunk, str):
                yield chunk
    finally:
        for task in (getter, producer):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
        aclose = getattr(source, "aclose", None)
        if aclose is not None:
            with contextlib.suppress(Exception):
                await aclose()


def watched_stream(
    svc: Services, token: str | None, wants: Wants, refresh: Refresh, opening: str
) -> StreamingResponse:
    """A text/event-stream response fed by the process's stream watcher (services/watch.py).

    The watcher calls `refresh` (on its own thread) for this stream's first read and whenever
    `wants` says a change moved its scope, and re-checks `token` every tick: the stream sends
    `refresh`'s chunks while the token holds, and `auth_lapsed` and the end as soon as it does
    not. `opening` goes out first; a comment line every `KEEPALIVE_SECONDS` of quiet.
    """
    sub = Subscription(token or "", wants, refresh)

    async def source() -> AsyncIterator[str]:
        yield opening
        while True:
            try:
                chunk = await asyncio.wait_for(sub.queue.get(), KEEPALIVE_SECONDS)
            except TimeoutError:
                yield ": keep-alive\n\n"
                continue
            if chunk is None:  # its credential lapsed: guarded() sends why
                return
            yield chunk

    async def recheck() -> ApiError | None:
        return sub.lapse  # the watcher's verdict of its latest tick

    async def body() -> AsyncIterator[str]:
        svc.watch.subscribe(sub)
        try:
            async for chunk in guarded(source(), recheck, KEEPALIVE_SECONDS):
                yield chunk
        finally:
            svc.watch.unsubscribe(sub)

    return StreamingResponse(
        body(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )
