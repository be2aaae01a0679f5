"""One browser session's console state: its own sign-in, queue, live stream and idle timeout.

Nothing here is shared between sessions (each Flet session builds its own ConsoleSession); the only
thing two counsellors share is the clinic. No Flet here: the UI subscribes with `on_change`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from console.api import ConsoleError, OfflineError, ProblemError, SessionEndedError, StaffClient
from console.models import Outcome, QueueItem, queue_order

log = logging.getLogger("console")

DEFAULT_IDLE_TIMEOUT = 15 * 60.0  # seconds without a touch, then the session is signed out
RECONNECT_DELAYS = (0.5, 1.0, 2.0, 5.0, 10.0)
Link = Literal["offline", "connecting", "live"]


@dataclass
class ConsoleSession:
    clinic_url: str
    idle_timeout: float = DEFAULT_IDLE_TIMEOUT
    client_factory: Callable[[str], StaffClient] = StaffClient
    monotonic: Callable[[], float] = time.monotonic
    on_change: Callable[[], None] = lambda: None

    client: StaffClient | None = field(default=None, init=False)
    display_name: str = field(default="", init=False)
    queue: dict[str, QueueItem] = field(default_factory=dict, init=False)
    last_event_id: str | None = field(default=None, init=False)
    link: Link = field(default="offline", init=False)
    new_alerts: int = field(default=0, init=False)  # unseen new support alerts: the cue
    # The audible cue: how many chimes this session asked for (one per NEW support alert that came
    # on the stream while not muted; never for what was open at sign-in, a replay or a flag). The UI
    # plays one each time this grows. `muted` is this session's own (another counsellor's stays on).
    chimes: int = field(default=0, init=False)
    muted: bool = field(default=False, init=False)
    flags_available: bool = field(default=False, init=False)
    signed_out_reason: str | None = field(default=None, init=False)  # "idle" | "lapsed" | None
    _last_touch: float = field(default=0.0, init=False)
    _stream_task: asyncio.Task[None] | None = field(default=None, init=False, repr=False)
    _known: set[str] = field(default_factory=set, init=False, repr=False)

    # -- sign-in ----------------------------------------------------------------------------------

    @property
    def signed_in(self) -> bool:
        return self.client is not None and self.client.tokens is not None

    async def sign_in(self, username: str, password: str) -> None:
        client = self.client_factory(self.clinic_url)
        try:
            tokens = await client.sign_in(username, password)
        except BaseException:
            await client.aclose()
            raise
        self.client = client
        self.display_name = tokens.display_name
        self.signed_out_reason = None
        self.touch()
        self._changed()
        await self.load_queue()
        self.start_stream()

    async def sign_out(self, reason: str | None = None) -> None:
        """Stops the stream, logs out on the clinic, forgets everything this session held."""
        await self.stop_stream()
        client, self.client = self.client, None
        if client is not None:
            try:
                await client.logout()
            finally:
                await client.aclose()
        self.queue.clear()
        self._known.clear()
        self.last_event_id = None
        self.new_alerts = 0
        self.display_name = ""
        self.signed_out_reason = reason
        self._changed()

    # -- idle -------------------------------------------------------------------------------------

    def touch(self) -> None:
        self._last_touch = self.monotonic()

    def idle_expired(self) -> bool:
        return self.signed_in and self.monotonic() - self._last_touch >= self.idle_timeout

    async def check_idle(self) -> bool:
        """Signs the session out when it has been idle too long; True if it did."""
        if self.idle_expired():
            await self.sign_out("idle")
            return True
        return False

    # -- queue ------------------------------------------------------------------------------------

    def items(self) -> list[QueueItem]:
        return queue_order(list(self.queue.values()))

    def _put(self, item: QueueItem, *, announce: bool) -> None:
        current = self.queue.get(item.key)
        if current is not None and current.version > item.version:
            return  # an older copy (a list answer overtaken by the stream)
        self.queue[item.key] = item
        if item.key not in self._known:
            self._known.add(item.key)
            if announce and item.open and item.kind == "alert":
                self.new_alerts += 1
                if not self.muted:
                    self.chimes += 1

    async def load_queue(self) -> None:
        client = self._client()
        for alert in await client.alerts():
            self._put(alert, announce=False)
        flags = await client.flags()
        self.flags_available = flags is not None
        for flag in flags or []:
            self._put(flag, announce=False)
        self._changed()

    def seen(self) -> None:
        """The person looked at the queue: the new-alert cue goes off."""
        if self.new_alerts:
            self.new_alerts = 0
            self._changed()

    def toggle_mute(self) -> None:
        """This session's new-alert sound on or off (the visible cue stays either way)."""
        self.touch()
        self.muted = not self.muted
        self._changed()

    async def acknowledge(self, item: QueueItem, outcome: Outcome, note: str = "") -> QueueItem:
        self.touch()
        client = self._client()
        if item.kind == "alert":
            done = await client.ack_alert(item.id, outcome, note)
        else:
            done = await client.ack_flag(item.id, note)
        self._put(done, announce=False)
        self._changed()
        return done

    # -- the live stream --------------------------------------------------------------------------

    def start_stream(self) -> None:
        if self._stream_task is None or self._stream_task.done():
            self._stream_task = asyncio.create_task(self._follow())

    async def stop_stream(self) -> None:
        task, self._stream_task = self._stream_task, None
        if task is not None and not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if self.link != "offline":
            self.link = "offline"
            self._changed()

    @property
    def streaming(self) -> bool:
        return self._stream_task is not None and not self._stream_task.done()

    def _set_link(self, link: Link) -> None:
        if self.link != link:
            self.link = link
            self._changed()

    async def _follow(self) -> None:
        attempt = 0
        while self.signed_in:
            client = self._client()
            self._set_link("connecting")
            try:
                async for event in client.stream(self.last_event_id):
                    self._set_link("live")
                    attempt = 0
                    if event.event == "auth_lapsed":
                        code = event.data.get("code") if isinstance(event.data, dict) else None
                        if code == "auth.token_expired":
                            await client.refresh_after(client.tokens)
                            break  # reconnect with the fresh token and the last id
                        raise SessionEndedError(401, str(code or "auth.session_ended"), "stream lapsed")
                    self._apply(event.event, event.id, event.data)
            except SessionEndedError:
                asyncio.get_running_loop().call_soon(self._lapsed)
                return
            except ProblemError as exc:
                if exc.status == 401:
                    try:
                        await client.refresh_after(client.tokens)
                    except SessionEndedError:
                        asyncio.get_running_loop().call_soon(self._lapsed)
                        return
                    continue
                log.warning("console stream refused: %s", exc.code)
            except (OfflineError, ConsoleError) as exc:
                log.info("console stream interrupted: %s", type(exc).__name__)
            self._set_link("connecting")
            await asyncio.sleep(RECONNECT_DELAYS[min(attempt, len(RECONNECT_DELAYS) - 1)])
            attempt += 1
        if self.client is not None:  # the credential was dropped by a refused refresh elsewhere
            asyncio.get_running_loop().call_soon(self._lapsed)

    def _lapsed(self) -> None:
        self._stream_task = None
        asyncio.get_running_loop().create_task(self.sign_out("lapsed"))

    def _apply(self, event: str, event_id: str | None, data: object) -> None:
        try:
            if event == "support_alert":
                item = QueueItem.alert(data)
            elif event == "flag":
                item = QueueItem.flag(data)
                self.flags_available = True
            else:
                return
        except ValueError:
            log.warning("console stream: an event that does not fit the contract (%s)", event)
            return
        if event_id:
            self.last_event_id = event_id
        self._put(item, announce=True)
        self._changed()

    # -- helpers ----------------------------------------------------------------------------------

    def _client(self) -> StaffClient:
        if self.client is None:
            raise SessionEndedError(401, "auth.token_missing", "not signed in")
        return self.client

    def _changed(self) -> None:
        try:
            self.on_change()
        except Exception:  # a UI that went away must not break the stream
            log.exception("console: on_change failed")
