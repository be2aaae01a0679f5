"""Signing in and out, and the lifetime of the store and the sync session behind the services."""

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
from app.domain.model import Role
from app.secrets.base import SecretStore
from app.services.lock import PIN, load_preferences
from app.services.ports import Account, Preferences, ServiceError, SignInError
from app.services.session import Session
from app.services.tokens import SecretTokenStore
from app.store.crypto import KEY_SECRET_NAME
from app.store.database import STORE_FILE
from app.store.encrypted import EncryptedStore, remove_files
from app.sync.engine import SyncEngine
from app.sync.status import StatusBoard

log = logging.getLogger(__name__)

ACCOUNT = "account"
DEVICE_NAME = "Waypoint app"  # neutral: the clinic's device list must not reveal more
NETWORK_GRACE = 5.0  # seconds sign-out waits for the clinic before wiping anyway


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
        self.board = StatusBoard()
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

    def _new_session(
        self, account: Account, store: EncryptedStore, client: ClinicClient | None = None
    ) -> Session:
        client = client or ClinicClient(account.server_url, tokens=self._tokens, transport=self._transport)
        engine = SyncEngine(
            store, client, clock=self._clock, board=self.board, interval=self._interval,
            on_auth_lost=lambda code: self._auth_lost(session, code),
        )  # fmt: skip
        session = Session(account, client, engine)
        return session

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
        return await self._sign_in(server_url, lambda c: c.sign_in(username, password, DEVICE_NAME))

    async def sign_in_with_code(self, server_url: str, code: str) -> Account:
        return await self._sign_in(server_url, lambda c: c.enrol(code.strip().upper(), DEVICE_NAME))

    async def _sign_in(
        self, server_url: str, call: Callable[[ClinicClient], Awaitable[TokenResponse]]
    ) -> Account:
        await self._ensure_started()
        try:
            url = check_server_url(server_url.strip())
        except api_errors.InsecureServerError as exc:
            raise SignInError(exc.code) from exc
        async with self._life:
            if self._session is not None:
                await self._wipe_locked(None)  # a new sign-in never sees the last account's data
            client = ClinicClient(url, tokens=self._tokens, transport=self._transport)
            try:
                answer = await call(client)
                if answer.role not in ("patient", "family"):
                    await self._tokens.clear()
                    raise SignInError("auth.forbidden")
            except api_errors.InvalidCodeError as exc:
                await client.aclose()
                raise SignInError(exc.problem_code) from exc
            except api_errors.ApiError as exc:
                await client.aclose()
                raise SignInError(exc.code) from exc
            except BaseException:
                await client.aclose()
                raise
            store = await self._open_store_locked()
            account = Account(Role(answer.role), answer.account_id, answer.display_name, url)
            await store.set_value(ACCOUNT, dataclasses.asdict(account))
            await self._seed_preferences(store)
            session = self._new_session(account, store, client)
            self._session = session
        self.board.update(problem=None)
        await session.engine.load_status()
        await session.engine.sync()  # the week is on screen right after sign-in
        if self._autosync:
            session.engine.start(sync_first=False)
        return account

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
        """Delete the store file, the data key and the tokens; keep only neutral preferences."""
        session, self._session = self._session, None
        if session is not None:
            await session.close()
        store, self._store = self._store, None
        if store is not None:
            prefs = await load_preferences(store)
            self._loose_prefs = dataclasses.replace(prefs, lock_enabled=False)
            await store.delete_value(PIN)
            await store.wipe()
        remove_files(self._data_dir / STORE_FILE)
        await self._secrets.delete(KEY_SECRET_NAME)
        await self._tokens.clear()
        log.info("signed out: local data wiped (%s)", problem or "by the user")
        self.board.update(online=False, syncing=False, pending=0, last_synced=None, problem=problem)
        self.board.notify()

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
