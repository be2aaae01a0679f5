"""Server-sent-event streams that hold their credential: re-checked on every batch and on a timer.

Every stream endpoint wraps its event source in `authorized_stream`. The caller's bearer is
authenticated again before each chunk goes out and at least every `Settings.stream_recheck`
while the source is quiet; when it no longer passes (logged out, expired, device revoked) the
stream sends one final `event: auth_lapsed` whose `data` is the problem+json body of the 401 the
same request would get now, and ends. Nothing from the source is sent after the lapse is seen.
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

Recheck = Callable[[], Awaitable[ApiError | None]]

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


def authorized_stream(svc: Services, token: str | None, source: AsyncIterator[str]) -> StreamingResponse:
    """A text/event-stream response of `source` that ends as soon as `token` stops authenticating."""

    async def recheck() -> ApiError | None:
        try:
            await asyncio.to_thread(svc.auth.authenticate, token)
        except ApiError as error:
            return error
        return None

    interval = svc.settings.stream_recheck.total_seconds()
    return StreamingResponse(
        guarded(source, recheck, interval),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )
