"""Core: the store, the signed-in session and the background work every feature service shares.

One per app process. The feature services (schedule, support, sharing, ...) each take the Core and
ask it for the open store or the session; sign-in and sign-out (app.services.accounts) install and
end the session through it. The Core itself answers the sync controls (sync now, status, changes).

The device's states, and what moves it between them:

    SIGNED OUT ──sign-in: a fresh device key pair; the public key rides in the token request──▶ SIGNED IN
        ▲                                                                                        │
        │  every kept alert delivered                     auth lost (revoked, session ended),    │
        │  (courier, signature only)                      sign-out, or another sign-in           │
        │                                                                                        ▼
    SIGNED OUT + KEPT ALERTS ◀──────────────────── HAND-OVER, then WIPE ◀─────────────────────────┘

SIGNED IN: store, data key, tokens, device key and device id in place. Support alerts carry the
    bearer and the device signature; a device signed in before keys existed registers one
    (PUT /v1/devices/current/key) once its session is back.
Auth lost: the engine first sends queued alerts on the signature alone (no bearer, no refresh).
HAND-OVER: alerts still in the outbox go to the AlertCourier as one keychain item holding the
    clinic address, account, device id and a copy of the device key. Only once that is written
    does the WIPE run: store file, data key, tokens, device key and id — exactly as before keys
    existed. If the keychain refuses the hand-over nothing is wiped: the store stays on disk, the
    tokens go, and the next start (tokens missing) tries the hand-over again.
SIGNED OUT + KEPT ALERTS: the courier sends them on the signature until the clinic answers 2xx
    (every few seconds while offline), then deletes the item, key copy included. The support
    screen lists them as not sent yet and puts the call buttons first. An alert that cannot be
    signed (no key or device id was known) stays listed. When the same patient signs in here
    again, their kept alerts join the new session's outbox (and its support screen).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import uuid
from collections.abc import Callable, Coroutine
from datetime import datetime
from pathlib import Path
from typing import Any

from app.api import errors as api_errors
from app.api.client import ClinicClient
from app.api.mutations import MutationPayload
from app.domain.model import Role, SyncStatus
from app.secrets.base import SecretStore
from app.secrets.device_key import DeviceKeys
from app.secrets.errors import SecretsError
from app.services.courier import AlertCourier, Parcel
from app.services.lock import PIN, load_preferences
from app.services.ports import Account, Preferences, ServiceError
from app.services.reads import LocalReads
from app.services.session import Session
from app.services.tokens import SecretTokenStore
from app.store.encrypted import EncryptedStore
from app.store.models import OutboxEntry
from app.sync.engine import SyncEngine
from app.sync.live import LiveUpdates
from app.sync.push import raised_at
from app.sync.status import StatusBoard

log = logging.getLogger(__name__)

ACCOUNT = "account"
KEY_REGISTERED = "device_key_registered"  # store value: the public key the clinic has


class Core:
    """Owns the store, the tokens and the signed-in session; the wipe lives here."""

    def __init__(
        self,
        data_dir: Path,
        secrets: SecretStore,
        *,
        transport: Any,
        clock: Callable[[], datetime],
        sync_interval: float,
        autosync: bool = True,
    ) -> None:
        self.data_dir = data_dir
        self.secrets = secrets
        self.clock = clock
        self.autosync = autosync  # False: sync only on demand (deterministic tests, harnesses)
        self._transport = transport
        self._interval = sync_interval
        self.tokens = SecretTokenStore(secrets)
        self.keys = DeviceKeys(secrets)
        self.board = StatusBoard()
        self.courier = AlertCourier(secrets, transport=transport, clock=clock, board=self.board)
        self._courier_task: asyncio.Task[None] | None = None
        self.store: EncryptedStore | None = None
        self._session: Session | None = None
        self._viewers = 0  # views subscribed to changes: while any is open the live stream is held
        self._loop: asyncio.AbstractEventLoop | None = None
        self._started = False
        self.life = asyncio.Lock()  # held while a session is installed or ended
        self.loose_prefs = Preferences()  # kept in memory across a sign-out wipe
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def session(self) -> Session | None:
        return self._session

    @session.setter
    def session(self, session: Session | None) -> None:
        """Install (or clear) the signed-in session; a new one holds the live stream if a view is open."""
        self._session = session
        self._follow_live()

    def _follow_live(self) -> None:
        """Hold the live stream while signed in, syncing in the background and some view is open."""
        session = self._session
        if session is None:
            return
        wanted = self.autosync and self._viewers > 0
        if wanted and session.live is None:
            self._loop = asyncio.get_running_loop()
            session.live = LiveUpdates(session.client, session.engine.kick)
            session.live.start()
        elif not wanted and session.live is not None:
            live, session.live = session.live, None
            try:
                self.spawn(live.close())
            except RuntimeError:  # a view closed from a worker thread: end it on the app's loop
                assert self._loop is not None  # set when it started
                self._loop.call_soon_threadsafe(lambda: self.spawn(live.close()))

    def spawn(self, coro: Coroutine[Any, Any, None]) -> None:
        """Run a background job this object owns and cancels on close."""
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    # -- store and session lifetime ------------------------------------------------------------

    async def ensure_started(self) -> None:
        if self._started:
            return
        async with self.life:
            if self._started:
                return
            self._started = True
            self._start_courier()  # alerts kept from an earlier session go out, signed in or not
            if not EncryptedStore.exists(self.data_dir):
                return
            store = await self.open_store_locked()
            raw = await store.get_value(ACCOUNT)
            if not isinstance(raw, dict):
                return
            if await self.tokens.load() is None:
                await self.wipe_locked("auth.session_ended")  # the keychain lost the tokens
                return
            account = Account(Role(raw["role"]), raw["account_id"], raw["display_name"], raw["server_url"])
            session = self.new_session(account, store)
            self.session = session
            await session.engine.load_status()
        if self.autosync:
            session.engine.start()
            if account.role is Role.PATIENT:
                self.spawn(self._register_quietly())

    def new_session(
        self, account: Account, store: EncryptedStore, client: ClinicClient | None = None
    ) -> Session:
        client = client or self.client(account.server_url)
        engine = SyncEngine(
            store, client, clock=self.clock, board=self.board, interval=self._interval,
            on_auth_lost=lambda code: self._auth_lost(session, code),
        )  # fmt: skip
        session = Session(account, client, engine)
        return session

    def client(self, url: str) -> ClinicClient:
        return ClinicClient(
            url, tokens=self.tokens, transport=self._transport, signer=self.keys, clock=self.clock
        )

    async def open_store_locked(self) -> EncryptedStore:
        if self.store is None:
            self.store = await EncryptedStore.open(self.data_dir, self.secrets)
        return self.store

    async def open_store(self) -> EncryptedStore:
        await self.ensure_started()
        async with self.life:
            return await self.open_store_locked()

    async def existing_store(self) -> EncryptedStore | None:
        await self.ensure_started()
        return self.store

    async def require_store(self) -> EncryptedStore:
        store = await self.existing_store()
        if store is None or self.session is None:
            raise ServiceError("auth.signed_out")
        return store

    async def require_session(self) -> Session:
        await self.ensure_started()
        if self.session is None:
            raise ServiceError("auth.signed_out")
        return self.session

    async def reads(self) -> LocalReads:
        return LocalReads(await self.require_store(), self.clock)

    async def enqueue(self, change: MutationPayload, target: tuple[str, str]) -> OutboxEntry:
        """Queue a change on disk, tell the status line, and wake the engine."""
        session = await self.require_session()
        store = await self.require_store()
        record = await store.get(*target)
        entry = OutboxEntry(
            id=str(uuid.uuid4()), type=change.TYPE, payload=change.to_json(),
            base_version=None if record is None else record.version, created_at=self.clock(),
            target_type=target[0], target_id=target[1],
        )  # fmt: skip
        await store.enqueue(entry)  # on disk before the UI hears "queued"
        self.board.update(pending=await store.outbox_count())
        self.board.notify()
        session.engine.kick()
        return entry

    # -- the device key ------------------------------------------------------------------------

    async def register_device_key(self) -> bool:
        """A device signed in before keys existed registers one; True once the clinic has it.

        The key is kept before the request, so a lost reply is answered by sending the same key
        again (204 from the clinic); a different key already registered (409) leaves it unsigned.
        """
        session = await self.require_session()
        store = await self.require_store()
        public = await self.keys.public_key()
        if public is not None and await store.get_value(KEY_REGISTERED) == public:
            return True
        if public is None:
            public = await self.keys.create()
        try:
            await session.client.register_device_key(public)
            if await self.keys.device_id() is None:
                await session.client.renew()  # the answer names this device (kept by the token store)
        except api_errors.DeviceKeyExistsError:
            log.warning("device key: the clinic holds another key for this device")
            return False
        await store.set_value(KEY_REGISTERED, public)
        return True

    async def _register_quietly(self) -> None:
        with contextlib.suppress(api_errors.ApiError, SecretsError, ServiceError):
            await self.register_device_key()

    def _start_courier(self) -> None:
        if self.autosync and (self._courier_task is None or self._courier_task.done()):
            task = asyncio.get_running_loop().create_task(self.courier.run(), name="alert-courier")
            self._courier_task = task
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        self.courier.kick()

    # -- the end of a session ------------------------------------------------------------------

    async def _auth_lost(self, session: Session, code: str) -> None:
        if self.life.locked():
            # Inside sign-in/out (which wipe anyway) or another wipe: do it once that is done.
            self.spawn(self._auth_lost(session, code))
            return
        async with self.life:
            if self.session is session:
                await self.wipe_locked(code)

    async def wipe_locked(self, problem: str | None) -> None:
        """Hand undelivered alerts to the courier, then delete the store file, the data key, the
        tokens and the device key; keep only neutral preferences (state machine: module docstring)."""
        session, self.session = self.session, None
        if session is not None:
            await session.close()
        store, self.store = self.store, None
        if store is not None and not await self._hand_over(store, session):
            await store.close()  # nothing is wiped: the next start hands over again
            await self.tokens.clear()
            self.board.update(online=False, syncing=False, problem=problem)
            self.board.notify()
            return
        if store is not None:
            prefs = await load_preferences(store)
            self.loose_prefs = dataclasses.replace(prefs, lock_enabled=False)
            await store.delete_value(PIN)
            await store.wipe()
        await EncryptedStore.destroy(self.data_dir, self.secrets)
        await self.tokens.clear()
        await self.keys.delete()
        log.info("signed out: local data wiped (%s)", problem or "by the user")
        self.board.update(online=False, syncing=False, pending=0, last_synced=None, problem=problem)
        self.board.notify()
        self._start_courier()

    async def _hand_over(self, store: EncryptedStore, session: Session | None) -> bool:
        """Put the outbox's alerts in the keychain with what signing them needs; False if refused."""
        try:
            alerts = [e for e in await store.outbox() if e.is_alert]
            if not alerts:
                return True
            raw = await store.get_value(ACCOUNT)
            if session is not None:
                server_url, account_id = session.account.server_url, session.account.account_id
            elif isinstance(raw, dict):
                server_url, account_id = str(raw["server_url"]), str(raw["account_id"])
            else:
                return True  # never signed in on this store: nobody to send them to
            parcel = Parcel(
                server_url, account_id, await self.keys.device_id(), await self.keys.private_key(),
                tuple((e.id, raised_at(e).isoformat()) for e in alerts),
            )  # fmt: skip
            await self.courier.keep(parcel)
        except SecretsError as exc:
            log.warning("sign-out: could not keep undelivered alerts (%s); local data kept", exc.code)
            return False
        log.info("sign-out: %d undelivered alert(s) kept for signed delivery", len(alerts))
        return True

    # -- sync controls (the SyncControl service) -------------------------------------------------

    async def sync_now(self) -> SyncStatus:
        await self.ensure_started()
        session = self.session
        if session is None:
            await self.courier.deliver()  # "try again now" on the support screen, signed out
            return self.board.current
        return await session.engine.sync()

    def status(self) -> SyncStatus:
        return self.board.current

    def on_change(self, listener: Callable[[], None]) -> Callable[[], None]:
        """Tell `listener` of every change; a subscribed view is an open app (the live stream is held)."""
        unsubscribe = self.board.subscribe(listener)
        self._viewers += 1
        self._follow_live()
        done = False

        def stop() -> None:
            nonlocal done
            unsubscribe()
            if not done:
                done = True
                self._viewers -= 1
                self._follow_live()

        return stop

    async def close(self) -> None:
        """Cancel every background task and close the store; the process is ending."""
        for task in list(self._tasks):
            task.cancel()
        for task in list(self._tasks):
            with contextlib.suppress(asyncio.CancelledError):
                await task
        async with self.life:
            session, self.session = self.session, None
            if session is not None:
                await session.close()
            store, self.store = self.store, None
            if store is not None:
                await store.close()
