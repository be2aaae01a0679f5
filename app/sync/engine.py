"""SyncEngine: the one entry point that keeps the local store and the clinic in agreement."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from app.api import errors
from app.api.client import ClinicClient
from app.domain.model import OFFLINE_PROBLEMS, MutationType, SyncStatus
from app.secrets.errors import SecretAccessError
from app.store.encrypted import EncryptedStore
from app.sync import family
from app.sync.backoff import Backoff
from app.sync.push import Pusher, to_record
from app.sync.status import StatusBoard

log = logging.getLogger(__name__)

MAX_PAGES = 10_000
LAST_SYNCED = "last_synced"
# Problems that pass by themselves: the loop retries them on the backoff.
RETRIED = (
    *OFFLINE_PROBLEMS,
    "sync.rate_limited",
    "sync.server_error",
    "api.bad_response",
    SecretAccessError.code,
)
AuthLost = Callable[[str], Awaitable[None]]  # called with "auth.device_revoked" or "auth.session_ended"


class SyncEngine:
    """Push the outbox (alerts first), pull until `has_more` is false; on start, timer, demand, reconnect.

    Offline is a result, not an exception: `sync()` always returns the new SyncStatus.
    """

    def __init__(
        self,
        store: EncryptedStore,
        client: ClinicClient,
        *,
        clock: Callable[[], datetime],
        board: StatusBoard | None = None,
        on_auth_lost: AuthLost | None = None,
        interval: float = 300.0,
        backoff: Backoff | None = None,
        page_size: int = 200,
        urgent_retry: float = 5.0,
    ) -> None:
        self._store = store
        self._client = client
        self._clock = clock
        self.board = board if board is not None else StatusBoard()
        self._on_auth_lost = on_auth_lost
        self._interval = interval
        self._backoff = backoff if backoff is not None else Backoff()
        self._page_size = page_size
        # A queued support alert must go out the moment the clinic is reachable again, so while one
        # waits the loop probes at least this often instead of following the long backoff.
        self._urgent_retry = urgent_retry
        self._pusher = Pusher(store, client, clock)
        self._lock = asyncio.Lock()
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._closed = False
        self._auth_lost = False
        self._retry_after: float | None = None  # from the last 429/503, for the backoff

    @property
    def status(self) -> SyncStatus:
        return self.board.current

    async def load_status(self) -> SyncStatus:
        """Fill the status from the store (pending count, last synced) without the network."""
        last = await self._store.get_value(LAST_SYNCED)
        return self.board.update(
            pending=await self._store.outbox_count(),
            last_synced=datetime.fromisoformat(last) if isinstance(last, str) else self.status.last_synced,
        )

    def start(self, *, sync_first: bool = True) -> None:
        """Run the background loop: sync now, then on every kick, timer tick and backoff retry."""
        if self._task is None and not self._closed:
            self._task = asyncio.create_task(self._run(sync_first), name="sync-engine")

    def kick(self) -> None:
        """Ask the loop to sync as soon as it can (a new change, the app came to the foreground)."""
        self._wake.set()

    async def close(self) -> None:
        self._closed = True
        task, self._task = self._task, None
        if task is not None and task is not asyncio.current_task():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _run(self, sync_first: bool) -> None:
        # Started just after a round of its owner's (sign-in's): the first wait follows how that
        # round went. A sign-in whose first sync lost its reply retries on the backoff, not after
        # the whole interval with "not synced yet" and an empty week on screen.
        status = None if sync_first else self.status
        while not self._closed and not self._auth_lost:
            if status is None:
                self._wake.clear()
                status = await self.sync()
            delay = await self._wait_after(status)
            status = None
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=delay)

    async def _wait_after(self, status: SyncStatus) -> float:
        """Seconds until the next round: the interval after a good one, the backoff after a failure."""
        if status.problem not in RETRIED:
            self._backoff.reset()
            self.board.update(next_try=None)
            return self._interval
        delay = self._backoff.next_delay(self._retry_after)
        if self._retry_after is None and await self._urgent_waiting():
            delay = min(delay, self._urgent_retry)
        # The support screen says when the next try is (a patient must not keep tapping).
        self.board.update(next_try=self._clock() + timedelta(seconds=delay))
        return delay

    async def _urgent_waiting(self) -> bool:
        """A help alert or a check-in waits: retried on the short cadence, not the long backoff
        (a check-in may ask the team to call today, or say the patient used)."""
        return any(
            entry.is_alert or entry.type == MutationType.CHECKIN_SUBMIT
            for entry in await self._store.outbox()
        )

    async def sync(self) -> SyncStatus:
        """One full round; concurrent callers queue behind it and run their own round after."""
        async with self._lock:
            if self._auth_lost:
                return self.status
            self.board.update(syncing=True)
            self._retry_after = None
            problem: str | None = None
            try:
                await self._round()
            except errors.DeviceRevokedError as exc:
                problem = await self._lose_auth(exc.code)
            except errors.SessionEndedError:
                problem = await self._lose_auth("auth.session_ended")
            except errors.NetworkError as exc:
                problem = exc.code
                if self.status.problem != problem:  # once as a spell begins, not every retry
                    log.warning("sync: %s (%s)", problem, type(exc.__cause__ or exc).__name__)
            except errors.ShareEndedError as exc:
                problem = await self._share_ended(exc.problem_code)
            except errors.ProblemError as exc:
                self._retry_after = exc.retry_after
                problem = exc.code
                log.warning("sync: the server answered %s %s", exc.status, exc.problem_code)
            except errors.ApiError as exc:
                problem = exc.code
            except SecretAccessError as exc:
                # The keychain refused or was out of reach (locked, no browser tab holding it): a
                # transient problem like being offline; the loop must keep running and retry.
                problem = exc.code
            problem = problem or next(iter(self._store.problems.take()), None)
            online = problem not in OFFLINE_PROBLEMS
            pending = await self._store.outbox_count() if not self._auth_lost else 0
            changes: dict[str, object] = {
                "syncing": False,
                "online": online,
                "problem": problem,
                "pending": pending,
            }
            if problem is None:
                now = self._clock()
                changes["last_synced"] = now
                await self._store.set_value(LAST_SYNCED, now.isoformat())
            return self.board.update(**changes)

    async def send_alerts(self) -> None:
        """Deliver queued support alerts now, without waiting behind the rest of the outbox."""
        async with self._lock:
            with contextlib.suppress(errors.ApiError):
                if await self._pusher.send_alerts():
                    self.board.update(pending=await self._store.outbox_count(), online=True)
                    self.board.notify()

    async def _round(self) -> None:
        await self._pusher.send_alerts()
        await self._pusher.push_all()
        self.board.update(pending=await self._store.outbox_count(), online=True)
        if await self._pull():
            self.board.notify()  # data changed: views re-read the store

    async def _pull(self) -> bool:
        cursor = await self._store.cursor()
        shares_before = await family.live_shares(self._store)  # empty unless this is a family device
        changed = False
        snapshot = False
        for _ in range(MAX_PAGES):
            try:
                page = await self._client.pull(cursor, self._page_size)
            except errors.CursorInvalidError:
                if cursor is None:
                    raise
                cursor = None  # the server no longer understands it: start from a snapshot
                continue
            # No cursor means a full snapshot: what we do not receive no longer exists. The later
            # pages of a snapshot continue it and must not drop what its first page brought.
            reset = (page.reset or cursor is None) and not snapshot
            snapshot = snapshot or reset
            await self._store.apply_page(
                [to_record(c) for c in page.changes], cursor=page.cursor, reset=reset
            )
            changed = changed or bool(page.changes) or page.reset
            cursor = page.cursor
            if not page.has_more:
                break
        if await family.forget_missing(self._store, shares_before, self._clock):
            changed = True
        return changed

    async def _share_ended(self, code: str) -> str:
        """403 share.revoked/expired: no share is live; erase what they disclosed, tell the views."""
        if await family.forget_all(self._store, code, self._clock):
            self.board.notify()
        return code

    async def _lose_auth(self, code: str) -> str:
        self._auth_lost = True
        log.warning("sync: %s", code)
        # Before anything is wiped: queued alerts go out on the device signature alone (no bearer,
        # so no refresh is tried again). What cannot go now is handed over by on_auth_lost.
        with contextlib.suppress(errors.ApiError, SecretAccessError):
            await self._pusher.send_alerts(session=False)
        if self._on_auth_lost is not None:
            await self._on_auth_lost(code)
        return code
