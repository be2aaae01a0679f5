"""LiveUpdates: while the app is open, hold the clinic's live stream and pull when it says so.

The stream (`GET /v1/stream`) carries no data, only "something of yours changed"; each event
calls `on_change` (the engine's kick: one pull however many events arrive while it syncs). It
reconnects with backoff after a drop, resuming from the last position it heard, and asks for a
sync when it is back (the outbox need not wait for the engine's backoff); the periodic sync stays
the safety net. A clinic without the endpoint (404) is left alone: periodic sync only.
When the credential lapses the stream says so and this asks for a sync, which finds out why and
ends the session (whose close ends this).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

from app.api import errors
from app.api.client import ClinicClient
from app.secrets.errors import SecretAccessError
from app.sync.backoff import Backoff

log = logging.getLogger(__name__)


class LiveUpdates:
    """One live stream for one session; `start()` and `close()` from the owner of the session."""

    def __init__(
        self, client: ClinicClient, on_change: Callable[[], None], backoff: Backoff | None = None
    ) -> None:
        self._client = client
        self._on_change = on_change
        self._backoff = backoff if backoff is not None else Backoff(base=1.0, cap=60.0)
        self._task: asyncio.Task[None] | None = None
        self._last: str | None = None
        self.connected = False

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def start(self) -> None:
        if not self.running:
            self._task = asyncio.get_running_loop().create_task(self._run(), name="live-updates")

    async def close(self) -> None:
        task, self._task = self._task, None
        if task is not None and task is not asyncio.current_task():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self.connected = False

    async def _run(self) -> None:
        dropped = False  # a connection failed or ended since the last one that opened
        while True:
            retry_after: float | None = None
            try:
                async for event in self._client.live_events(self._last):
                    if event.kind == "open":
                        self.connected = True
                        self._backoff.reset()
                        if dropped:
                            # Back after a drop: the clinic answers again, so what waits in the
                            # outbox goes now, not at the engine's next backoff step (minutes,
                            # after a long outage), and the status stops saying "Offline".
                            dropped = False
                            self._on_change()
                    elif event.kind == "changed":
                        self._last = event.id or self._last
                        self._on_change()
                    elif event.kind == "auth_lapsed":
                        log.info("live: the stream's credential lapsed (%s)", event.code)
                        self._on_change()  # the engine's sync refreshes, or finds the session ended
                        break
            except errors.NotFoundError:
                log.info("live: this clinic has no live stream; periodic sync only")
                return
            except (errors.SessionEndedError, errors.DeviceRevokedError, errors.ShareEndedError):
                self._on_change()  # the engine handles it (sign-out, forgetting shares)
            except errors.ProblemError as exc:
                retry_after = exc.retry_after
                log.info("live: the clinic answered %s", exc.problem_code)
            except errors.ApiError as exc:
                log.info("live: %s", exc.code)
            except SecretAccessError as exc:  # the keychain out of reach for now: as if offline
                log.info("live: %s", exc.code)
            self.connected = False
            dropped = True
            await asyncio.sleep(self._backoff.next_delay(retry_after))
