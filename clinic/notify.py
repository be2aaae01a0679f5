"""Wake server-sent-event streams when a support alert changes (in process; PostgreSQL adds NOTIFY)."""

from __future__ import annotations

import asyncio
import contextlib


class AlertHub:
    """Streams wait on the hub; writers (in worker threads) fire it after their commit."""

    def __init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._event: asyncio.Event | None = None

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._event = asyncio.Event()

    def fire(self) -> None:
        """Safe from any thread."""
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        with contextlib.suppress(RuntimeError):
            loop.call_soon_threadsafe(self._set)

    def _set(self) -> None:
        if self._event is not None:
            self._event.set()
            self._event = asyncio.Event()

    async def wait(self, seconds: float) -> None:
        """Return when fired or after `seconds` (streams also poll, for other processes)."""
        event = self._event
        if event is None:
            await asyncio.sleep(seconds)
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(event.wait(), seconds)
