"""One watcher per server process for every open stream (patient, family, staff queue).

Each open stream used to poll by itself every second: re-authenticate its bearer and re-read its
position, two database reads and two thread-pool hops per open app per second whether anything
changed or not — 1,000 idle apps kept a process at 89-113 % of a core (docs/PERFORMANCE.md). Now
one task per process does, once per tick (`Settings.stream_recheck`, and at once when the hub is
fired: a commit in this process, or NOTIFY from another):

1. in one read transaction: every open stream's credential in one query (`AuthService.lapses_in`)
   — a stream whose bearer was logged out, revoked or expired gets its 401 and ends, whatever
   else happens; whether a share is past its expiry (then marked expired, and the tick runs
   again: a change the family member's stream must hear of); and "what changed": the version
   counter and, only when it moved, which patients and clinics the new versions belong to, plus
   hidden records whose time came;
2. re-reads, for the streams whose scope moved (and each new stream once), what they send.

All of it runs on the watcher's own thread, never in the shared default executor, so a pool busy
with slow work (waiting writers, a slow pager) cannot delay a logout from ending a stream. A
stream's chunks are produced only after its credential passed in the same tick.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime

from clinic.config import Settings
from clinic.database import Database
from clinic.errors import ApiError
from clinic.notify import AlertHub
from clinic.repository import changes
from clinic.repository import shares as shares_repo
from clinic.repository.changes import NOTHING_MOVED, Moved
from clinic.services.auth import AuthService
from clinic.services.sharing import expire_due

log = logging.getLogger("clinic.watch")

MAX_BACKLOG = 64  # chunks waiting for a slow reader: past this its re-reads wait until it drains

# What a stream sends when its scope moved: (chunks, whether to read again next tick regardless).
Refresh = Callable[[], tuple[list[str], bool]]
Wants = Callable[[Moved], bool]


@dataclass(eq=False)
class Subscription:
    """One open stream: its bearer, what moves it, how it reads; the watcher fills its queue."""

    token: str
    wants: Wants
    refresh: Refresh
    queue: asyncio.Queue[str | None] = field(default_factory=asyncio.Queue)
    lapse: ApiError | None = None  # set once its credential failed; the stream then ends
    dirty: bool = True  # read at the next tick (a new stream reads once at once)


class StreamWatch:
    def __init__(self, db: Database, settings: Settings, auth: AuthService, hub: AlertHub) -> None:
        self.db = db
        self.settings = settings
        self.auth = auth
        self.hub = hub
        self._subs: set[Subscription] = set()
        self._nudge: asyncio.Event | None = None
        self._executor: ThreadPoolExecutor | None = None
        self._top: int | None = None  # the version counter at the last tick
        self._shown_at: datetime | None = None  # the last tick's clock (hidden records shown since)
        self.ticks = 0
        self.again = False  # the tick wrote changes of its own (expiries): look again at once

    # -- the streams' side (event loop) ------------------------------------------------------------

    def subscribe(self, sub: Subscription) -> None:
        self._subs.add(sub)
        if self._nudge is not None:
            self._nudge.set()

    def unsubscribe(self, sub: Subscription) -> None:
        self._subs.discard(sub)

    @property
    def open_streams(self) -> int:
        return len(self._subs)

    # -- the watcher task ---------------------------------------------------------------------------

    async def run(self) -> None:
        """Until cancelled (the app's lifespan starts and stops it)."""
        self._nudge = asyncio.Event()
        self._executor = ThreadPoolExecutor(1, thread_name_prefix="stream-watch")
        loop = asyncio.get_running_loop()
        interval = self.settings.stream_recheck.total_seconds()
        try:
            while True:
                fired = self.hub.fired
                subs = [s for s in self._subs if s.lapse is None]
                if subs:
                    try:
                        results = await loop.run_in_executor(self._executor, self._tick, subs)
                    except Exception as exc:  # a failed tick must not stop the streams; the next retries
                        log.warning("stream watch tick failed type=%s", type(exc).__name__)
                        results = []
                    self._deliver(results)
                if self.hub.fired != fired or self._nudge.is_set() or self.again:
                    self._nudge.clear()
                    self.again = False
                    continue  # fired or a new stream during the tick: look again now
                await self._wait(interval)
        finally:
            self._executor.shutdown(wait=False, cancel_futures=True)

    async def _wait(self, seconds: float) -> None:
        assert self._nudge is not None
        nudged = asyncio.ensure_future(self._nudge.wait())
        fired = asyncio.ensure_future(self.hub.wait(seconds))
        try:
            await asyncio.wait({nudged, fired}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (nudged, fired):
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        self._nudge.clear()

    def _deliver(self, results: list[tuple[Subscription, ApiError | None, list[str]]]) -> None:
        for sub, lapse, chunks in results:
            if sub not in self._subs:
                continue  # closed meanwhile
            if lapse is not None:
                sub.lapse = lapse
                self._subs.discard(sub)
                sub.queue.put_nowait(None)  # the stream sends auth_lapsed and ends
                continue
            for chunk in chunks:
                sub.queue.put_nowait(chunk)

    # -- one tick (the watcher's thread) -------------------------------------------------------------

    def _tick(self, subs: list[Subscription]) -> list[tuple[Subscription, ApiError | None, list[str]]]:
        self.ticks += 1
        now = self.settings.clock()
        with self.db.read() as conn:  # one snapshot: credentials, expiries due, what changed
            verdicts = self.auth.lapses_in(conn, {s.token for s in subs})
            expiring = bool(shares_repo.due_to_expire(conn, now))
            top = changes.counter_value(conn)
            moved = NOTHING_MOVED
            if self._top is not None and self._shown_at is not None:
                moved = changes.moved_since(
                    conn, self._top if top != self._top else None, self._shown_at, now
                )
        self._top, self._shown_at = top, now
        if expiring:  # an expiry is a change the family member's stream must hear of: the next tick
            expire_due(self.db, now)  # sees its new versions, and comes at once
            self.again = True
        results: list[tuple[Subscription, ApiError | None, list[str]]] = []
        for sub in subs:
            lapse = verdicts.get(sub.token)
            if lapse is not None:
                results.append((sub, lapse, []))
                continue
            if not sub.dirty and not (moved.any and sub.wants(moved)):
                continue
            if sub.queue.qsize() >= MAX_BACKLOG:  # a reader that does not read: catch up later
                sub.dirty = True
                continue
            try:
                chunks, sub.dirty = sub.refresh()
            except Exception as exc:  # one stream's failed read must not stop the others
                log.warning("stream read failed type=%s", type(exc).__name__)
                sub.dirty = True
                continue
            if chunks:
                results.append((sub, None, chunks))
        return results
