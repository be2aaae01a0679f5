"""Signing in and out: patients with an enrolment code or a password, family members with an invitation.

A sign-in makes a fresh device key pair (its public key rides in the token request) and installs the
session in the Core; a sign-out, or another sign-in, hands undelivered alerts over and wipes first.
The device's states and what moves it between them are drawn in app/services/core.py.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Awaitable, Callable
from datetime import datetime

from app.api import errors as api_errors
from app.api.client import ClinicClient, check_server_url
from app.api.models import FamilySignup, TokenResponse
from app.api.mutations import SupportAlertRaise
from app.domain.model import Role
from app.secrets.errors import SecretsError
from app.services.core import ACCOUNT, KEY_REGISTERED, Core
from app.services.family import OWN_CODES, check_sign_up, normalise_code
from app.services.lock import PREFERENCES, save_preferences
from app.services.ports import Account, FamilyView, ServiceError, SignInError
from app.store.encrypted import EncryptedStore
from app.store.models import OutboxEntry

DEVICE_NAME = "Waypoint app"  # neutral: the clinic's device list must not reveal more
NETWORK_GRACE = 5.0  # seconds sign-out waits for the clinic before wiping anyway
KeyedCall = Callable[[ClinicClient, str], Awaitable[TokenResponse]]


def sign_in_problem(exc: api_errors.ApiError) -> str:
    """The message key for a failed sign-in. An answer no Waypoint clinic gives (a web page, another
    API's JSON, a 4xx without a problem code) means the address is not a clinic's: saying "something
    went wrong at your clinic" would send the person to wait for a clinic that is not there. A 5xx
    without a code stays a server error (a proxy in front of a real clinic that is down)."""
    if isinstance(exc, api_errors.ResponseFormatError):
        return "auth.not_a_clinic"
    if isinstance(exc, api_errors.ProblemError) and not exc.problem_code and exc.status < 500:
        return "auth.not_a_clinic"
    return exc.code


class AccountKeeper:
    """The Accounts service: who is signed in on this device, and the ways in and out."""

    def __init__(self, core: Core, family: FamilyView) -> None:
        self._core = core
        self._family = family  # signing in with an invitation accepts it

    async def current_account(self) -> Account | None:
        await self._core.ensure_started()
        return None if self._core.session is None else self._core.session.account

    async def sign_in_with_password(self, server_url: str, username: str, password: str) -> Account:
        return await self._sign_in(
            server_url, keyed=lambda c, key: c.sign_in(username, password, DEVICE_NAME, key)
        )

    async def sign_in_with_code(self, server_url: str, code: str) -> Account:
        return await self._sign_in(
            server_url, keyed=lambda c, key: c.enrol(code.strip().upper(), DEVICE_NAME, key)
        )

    async def sign_up_family(
        self, server_url: str, invitation_code: str, display_name: str, username: str, password: str
    ) -> Account:
        check_sign_up(invitation_code, display_name, username, password)
        signup = FamilySignup(
            normalise_code(invitation_code), username.strip(), password, display_name.strip(), DEVICE_NAME
        )

        async def call(client: ClinicClient) -> TokenResponse:
            try:
                return await client.family_signup(signup)
            except api_errors.ProblemError as exc:
                if exc.problem_code in OWN_CODES:
                    raise SignInError(exc.problem_code) from exc
                raise

        return await self._sign_in(server_url, call)

    async def sign_in_family(
        self, server_url: str, invitation_code: str, username: str, password: str
    ) -> Account:
        """Sign in to an existing family account and accept the code; all or nothing."""
        if not normalise_code(invitation_code):
            raise SignInError("family.code_missing")
        account = await self.sign_in_with_password(server_url, username, password)
        if account.role is not Role.FAMILY:
            await self.sign_out()  # a patient's account cannot receive a share
            raise SignInError("family.not_family_account")
        try:
            await self._family.accept_invitation(invitation_code)
        except ServiceError as exc:
            await self.sign_out()
            raise SignInError(exc.code) from exc
        return account

    async def _sign_in(
        self,
        server_url: str,
        call: Callable[[ClinicClient], Awaitable[TokenResponse]] | None = None,
        *,
        keyed: KeyedCall | None = None,
    ) -> Account:
        core = self._core
        await core.ensure_started()
        try:
            url = check_server_url(server_url.strip())
        except api_errors.InsecureServerError as exc:
            raise SignInError(exc.code) from exc
        async with core.life:
            if core.session is not None:
                await core.wipe_locked(None)  # a new sign-in never sees the last account's data
            client = core.client(url)
            public_key: str | None = None
            try:
                if keyed is not None:
                    public_key = await core.keys.create()  # after the wipe: the old one was handed over
                    answer = await keyed(client, public_key)
                else:
                    assert call is not None
                    answer = await call(client)
                if answer.role not in ("patient", "family"):
                    await core.tokens.clear()
                    await core.keys.delete()
                    raise SignInError("auth.forbidden")
            except api_errors.InvalidCodeError as exc:
                await self._abandon(client)
                raise SignInError(exc.problem_code) from exc
            except api_errors.ApiError as exc:
                await self._abandon(client)
                raise SignInError(sign_in_problem(exc)) from exc
            except BaseException:
                await self._abandon(client)
                raise
            store = await core.open_store_locked()
            account = Account(Role(answer.role), answer.account_id, answer.display_name, url)
            await store.set_value(ACCOUNT, dataclasses.asdict(account))
            if public_key is not None and answer.device_id is not None:
                await store.set_value(KEY_REGISTERED, public_key)
            if await store.get_value(PREFERENCES) is None:
                await save_preferences(store, core.loose_prefs)
            await self._adopt_kept(store, account)
            session = core.new_session(account, store, client)
            core.session = session
        core.board.update(problem=None)
        await session.engine.load_status()
        await session.engine.sync()  # the week is on screen right after sign-in
        if core.autosync:
            session.engine.start(sync_first=False)
        return account

    async def _abandon(self, client: ClinicClient) -> None:
        """A sign-in that failed leaves no key behind (kept alerts hold their own copy)."""
        await client.aclose()
        with contextlib.suppress(SecretsError):
            await self._core.keys.delete()

    async def _adopt_kept(self, store: EncryptedStore, account: Account) -> None:
        """Kept alerts of this same patient: back into the outbox, sent and shown by this session."""
        for alert_id, created_at in await self._core.courier.take_for(account.server_url, account.account_id):
            alert = SupportAlertRaise(datetime.fromisoformat(created_at))
            entry = OutboxEntry(
                id=alert_id, type=alert.TYPE, payload=alert.to_json(), base_version=None,
                created_at=alert.created_at, target_type="support_alert", target_id="",
            )  # fmt: skip
            if all(e.id != alert_id for e in await store.outbox()):
                await store.enqueue(entry)

    async def sign_out(self) -> None:
        core = self._core
        await core.ensure_started()
        async with core.life:
            session = core.session
            if session is not None:
                await session.flush(NETWORK_GRACE)  # last chance for queued changes
                await session.logout(NETWORK_GRACE)
            await core.wipe_locked(None)
