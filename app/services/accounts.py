"""Signing in and out, and the lifetime of the store and the sync session behind the services.

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
from collections.abc import Awaitable, Callable, Coroutine
from datetime import datetime
from pathlib import Path
from typing import Any

from app.api import errors as api_errors
from app.api.client import ClinicClient, check_server_url
from app.api.models import TokenResponse
from app.domain.model import Role, SupportAlert
from app.secrets.base import SecretStore
from app.secrets.device_key import DeviceKeys
from app.secrets.errors import SecretsError
from app.services.courier import AlertCourier, Parcel
from app.services.lock import PIN, load_preferences
from app.services.ports import Account, Preferences, ServiceError, SignInError
from app.services.session import Session
from app.services.tokens import SecretTokenStore
from app.store.crypto import KEY_SECRET_NAME
from app.store.database import STORE_FILE
from app.store.encrypted import EncryptedStore, remove_files
from app.store.models import OutboxEntry
from app.sync.engine import SyncEngine
from app.sync.status import StatusBoard

log = logging.getLogger(__name__)

ACCOUNT = "account"
DEVICE_NAME = "Waypoint app"  # neutral: the clinic's device list must not reveal more
NETWORK_GRACE = 5.0  # seconds sign-out waits for the clinic before wiping anyway
KEY_REGISTERED = "device_key_registered"  # store value: the public key the clinic has
KeyedCall = Callable[[ClinicClient, str], Awaitable[TokenResponse]]


class AccountKeeper:
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
        self._data_dir = data_dir
        self._secrets = secrets
        self._transport = transport
        self._clock = clock
        self._interval = sync_interval
        self._autosync = autosync  # False: sync only on demand (deterministic tests, harnesses)
        self._tokens = SecretTokenStore(secrets)
        self._keys = DeviceKeys(secrets)
        self.board = StatusBoard()
        self.courier = AlertCourier(secrets, transport=transport, clock=clock, board=self.board)
        self._courier_task: asyncio.Task[None] | None = None
        self._store: EncryptedStore | None = None
        self._session: Session | None = None
        self._started = False
        self._life = asyncio.Lock()
        self._loose_prefs = Preferences()  # kept in memory across a sign-out wipe
        self._tasks: set[asyncio.Task[None]] = set()

    def _spawn(self, coro: Coroutine[Any, Any, None]) -> None:
        """Run a background job this object owns and cancels on close."""
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    # -- store and session lifetime ------------------------------------------------------------

    async def _ensure_started(self) -> None:
        if self._started:
            return
        async with self._life:
            if self._started:
                return
            self._started = True
            self._start_courier()  # alerts kept from an earlier session go out, signed in or not
            if not (self._data_dir / STORE_FILE).exists():
                return
            store = await self._open_store_locked()
            raw = await store.get_value(ACCOUNT)
            if not isinstance(raw, dict):
                return
            if await self._tokens.load() is None:
                await self._wipe_locked("auth.session_ended")  # the keychain lost the tokens
                return
            account = Account(Role(raw["role"]), raw["account_id"], raw["display_name"], raw["server_url"])
            session = self._new_session(account, store)
            self._session = session
            await session.engine.load_status()
        if self._autosync:
            session.engine.start()
            if account.role is Role.PATIENT:
                self._spawn(self._register_quietly())

    def _new_session(
        self, account: Account, store: EncryptedStore, client: ClinicClient | None = None
    ) -> Session:
        client = client or self._client(account.server_url)
        engine = SyncEngine(
            store, client, clock=self._clock, board=self.board, interval=self._interval,
            on_auth_lost=lambda code: self._auth_lost(session, code),
        )  # fmt: skip
        session = Session(account, client, engine)
        return session

    def _client(self, url: str) -> ClinicClient:
        return ClinicClient(
            url, tokens=self._tokens, transport=self._transport, signer=self._keys, clock=self._clock
        )

    async def _open_store_locked(self) -> EncryptedStore:
        if self._store is None:
            self._store = await EncryptedStore.open(self._data_dir, self._secrets)
        return self._store

    async def _open_store(self) -> EncryptedStore:
        await self._ensure_started()
        async with self._life:
            return await self._open_store_locked()

    async def _existing_store(self) -> EncryptedStore | None:
        await self._ensure_started()
        return self._store

    async def _require_store(self) -> EncryptedStore:
        store = await self._existing_store()
        if store is None or self._session is None:
            raise ServiceError("auth.signed_out")
        return store

    async def _require_session(self) -> Session:
        await self._ensure_started()
        if self._session is None:
            raise ServiceError("auth.signed_out")
        return self._session

    # -- sign in and out ---------------------------------------------------------------------

    async def current_account(self) -> Account | None:
        await self._ensure_started()
        return None if self._session is None else self._session.account

    async def sign_in_with_password(self, server_url: str, username: str, password: str) -> Account:
        return await self._sign_in(
            server_url, keyed=lambda c, key: c.sign_in(username, password, DEVICE_NAME, key)
        )

    async def sign_in_with_code(self, server_url: str, code: str) -> Account:
        return await self._sign_in(
            server_url, keyed=lambda c, key: c.enrol(code.strip().upper(), DEVICE_NAME, key)
        )

    async def _sign_in(
        self,
        server_url: str,
        call: Callable[[ClinicClient], Awaitable[TokenResponse]] | None = None,
        *,
        keyed: KeyedCall | None = None,
    ) -> Account:
        await self._ensure_started()
        try:
            url = check_server_url(server_url.strip())
        except api_errors.InsecureServerError as exc:
            raise SignInError(exc.code) from exc
        async with self._life:
            if self._session is not None:
                await self._wipe_locked(None)  # a new sign-in never sees the last account's data
            client = self._client(url)
            public_key: str | None = None
            try:
                if keyed is not None:
                    public_key = await self._keys.create()  # after the wipe: the old one was handed over
                    answer = await keyed(client, public_key)
                else:
                    assert call is not None
                    answer = await call(client)
                if answer.role not in ("patient", "family"):
                    await self._tokens.clear()
                    await self._keys.delete()
                    raise SignInError("auth.forbidden")
            except api_errors.InvalidCodeError as exc:
                await self._abandon(client)
                raise SignInError(exc.problem_code) from exc
            except api_errors.ApiError as exc:
                await self._abandon(client)
                raise SignInError(exc.code) from exc
            except BaseException:
                await self._abandon(client)
                raise
            store = await self._open_store_locked()
            account = Account(Role(answer.role), answer.account_id, answer.display_name, url)
            await store.set_value(ACCOUNT, dataclasses.asdict(account))
            if public_key is not None and answer.device_id is not None:
                await store.set_value(KEY_REGISTERED, public_key)
            await self._seed_preferences(store)
            await self._adopt_kept(store, account)
            session = self._new_session(account, store, client)
            self._session = session
        self.board.update(problem=None)
        await session.engine.load_status()
        await session.engine.sync()  # the week is on screen right after sign-in
        if self._autosync:
            session.engine.start(sync_first=False)
        return account

    async def _abandon(self, client: ClinicClient) -> None:
        """A sign-in that failed leaves no key behind (kept alerts hold their own copy)."""
        await client.aclose()
        with contextlib.suppress(SecretsError):
            await self._keys.delete()

    async def _adopt_kept(self, store: EncryptedStore, account: Account) -> None:
        """Kept alerts of this same patient: back into the outbox, sent and shown by this session."""
        for alert_id, created_at in await self.courier.take_for(account.server_url, account.account_id):
            entry = OutboxEntry(
                id=alert_id, type="support_alert.raise", payload={"created_at": created_at},
                base_version=None, created_at=datetime.fromisoformat(created_at),
                target_type="support_alert", target_id="",
            )  # fmt: skip
            if all(e.id != alert_id for e in await store.outbox()):
                await store.enqueue(entry)

    async def register_device_key(self) -> bool:
        """A device signed in before keys existed registers one; True once the clinic has it.

        The key is kept before the request, so a lost reply is answered by sending the same key
        again (204 from the clinic); a different key already registered (409) leaves it unsigned.
        """
        session = await self._require_session()
        store = await self._require_store()
        public = await self._keys.public_key()
        if public is not None and await store.get_value(KEY_REGISTERED) == public:
            return True
        if public is None:
            public = await self._keys.create()
        try:
            await session.client.register_device_key(public)
            if await self._keys.device_id() is None:
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
        if self._autosync and (self._courier_task is None or self._courier_task.done()):
            task = asyncio.get_running_loop().create_task(self.courier.run(), name="alert-courier")
            self._courier_task = task
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        self.courier.kick()

    async def kept_alerts(self) -> tuple[SupportAlert, ...]:
        """Alerts of an ended session not delivered yet (and those delivered since), newest first."""
        return await self.courier.alerts()

    async def deliver_kept(self) -> bool:
        """Try the kept alerts now; True when none that can be signed is left."""
        return await self.courier.deliver()

    async def _seed_preferences(self, store: EncryptedStore) -> None:
        from app.services.lock import save_preferences

        if await store.get_value("preferences") is None:
            await save_preferences(store, self._loose_prefs)

    async def sign_out(self) -> None:
        await self._ensure_started()
        async with self._life:
            session = self._session
            if session is not None:
                await session.flush(NETWORK_GRACE)  # last chance for queued changes
                await session.logout(NETWORK_GRACE)
            await self._wipe_locked(None)

    async def _auth_lost(self, session: Session, code: str) -> None:
        if self._life.locked():
            # Inside sign-in/out (which wipe anyway) or another wipe: do it once that is done.
            self._spawn(self._auth_lost(session, code))
            return
        async with self._life:
            if self._session is session:
                await self._wipe_locked(code)

    async def _wipe_locked(self, problem: str | None) -> None:
        """Hand undelivered alerts to the courier, then delete the store file, the data key, the
        tokens and the device key; keep only neutral preferences (state machine: module docstring)."""
        session, self._session = self._session, None
        if session is not None:
            await session.close()
        store, self._store = self._store, None
        if store is not None and not await self._hand_over(store, session):
            await store.close()  # nothing is wiped: the next start hands over again
            await self._tokens.clear()
            self.board.update(online=False, syncing=False, problem=problem)
            self.board.notify()
            return
        if store is not None:
            prefs = await load_preferences(store)
            self._loose_prefs = dataclasses.replace(prefs, lock_enabled=False)
            await store.delete_value(PIN)
            await store.wipe()
        remove_files(self._data_dir / STORE_FILE)
        await self._secrets.delete(KEY_SECRET_NAME)
        await self._tokens.clear()
        await self._keys.delete()
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
                server_url, account_id, await self._keys.device_id(), await self._keys.private_key(),
                tuple((e.id, str(e.payload["created_at"])) for e in alerts),
            )  # fmt: skip
            await self.courier.keep(parcel)
        except SecretsError as exc:
            log.warning("sign-out: could not keep undelivered alerts (%s); local data kept", exc.code)
            return False
        log.info("sign-out: %d undelivered alert(s) kept for signed delivery", len(alerts))
        return True

    async def _close_all(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        for task in list(self._tasks):
            with contextlib.suppress(asyncio.CancelledError):
                await task
        async with self._life:
            session, self._session = self._session, None
            if session is not None:
                await session.close()
            store, self._store = self._store, None
            if store is not None:
                await store.close()
