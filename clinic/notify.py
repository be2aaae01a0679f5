"""Wake server-sent-event streams when a support alert changes (in process; PostgreSQL adds NOTIFY)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading

from sqlalchemy.engine import make_url

log = logging.getLogger("clinic.notify")

CHANNEL = "waypoint_alerts"


class AlertHub:
    """Streams wait on the hub; writers (in worker threads) fire it after their commit."""

    def __init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._event: asyncio.Event | None = None
        self.fired = 0  # how many times it was fired (the stream watcher sees a fire during its tick)

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
        self.fired += 1
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


class PgListener:
    """LISTEN on PostgreSQL in a thread: an alert committed by any server process fires the hub.

    Writers NOTIFY inside their transaction, and PostgreSQL delivers it only once that transaction
    has committed, so a woken stream always finds the alert when it re-reads. Notifications carry
    nothing: streams re-read every change after their last event id from the database, so a
    notification lost while this connection was down costs latency (the streams' 1 s poll), never
    an alert, and one fired twice sends nothing twice.
    """

    def __init__(self, database_url: str, hub: AlertHub) -> None:
        url = make_url(database_url).set(drivername="postgresql")
        self._dsn = url.render_as_string(hide_password=False)
        self._hub = hub
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="pg-listen", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        import psycopg

        while not self._stop.is_set():
            try:
                with psycopg.connect(self._dsn, autocommit=True) as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    self._hub.fire()  # anything committed while we were not listening
                    while not self._stop.is_set():
                        for _ in conn.notifies(timeout=1.0, stop_after=1):
                            self._hub.fire()
            except psycopg.Error as exc:  # the streams still poll; reconnect after a pause
                log.warning("LISTEN connection lost type=%s", type(exc).__name__)
                self._stop.wait(1.0)
