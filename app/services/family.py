"""Family use cases: sign up or sign in with an invitation code, accept another, see which shares ended."""

from __future__ import annotations

from datetime import datetime

from app.api import errors as api_errors
from app.api.client import ClinicClient
from app.api.models import FamilySignup, TokenResponse
from app.domain.model import Role, SharedPatient
from app.services import mapping
from app.services.accounts import DEVICE_NAME, AccountKeeper
from app.services.ports import Account, EndedShare, ServiceError, SignInError
from app.store.models import RecordChange
from app.sync import family as ended_notes

MIN_USERNAME = 3
MIN_PASSWORD = 8
# Problem codes the clinic answers with a 400 that the app shows as they are.
_OWN_CODES = ("auth.username_taken", "auth.code_invalid", "auth.code_expired", "auth.code_used")


def normalise_code(code: str) -> str:
    """Codes are read aloud and typed: ignore case, spaces; keep the dashes the clinic prints."""
    return "".join(code.split()).upper()


def check_sign_up(invitation_code: str, display_name: str, username: str, password: str) -> None:
    """Catch what the clinic would refuse before the network, with a message the family member can act on."""
    if not normalise_code(invitation_code):
        raise SignInError("family.code_missing")
    if not display_name.strip():
        raise SignInError("family.name_missing")
    if len(username.strip()) < MIN_USERNAME:
        raise SignInError("family.username_short")
    if len(password) < MIN_PASSWORD:
        raise SignInError("family.password_short")


class FamilyAccounts(AccountKeeper):
    """The family member's side of sharing, on top of the account keeper's sign-in and wipe."""

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
                if exc.problem_code in _OWN_CODES:
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
            await self.accept_invitation(invitation_code)
        except ServiceError as exc:
            await self.sign_out()
            raise SignInError(exc.code) from exc
        return account

    async def accept_invitation(self, invitation_code: str) -> SharedPatient:
        """Accept one more invitation; the schedule it shares is pulled before this returns."""
        session = await self._require_session()
        store = await self._require_store()
        if session.account.role is not Role.FAMILY:
            raise ServiceError("auth.forbidden")
        code = normalise_code(invitation_code)
        if not code:
            raise ServiceError("family.code_missing")
        try:
            change = await session.client.accept_invitation(code)
        except api_errors.ProblemError as exc:
            raise ServiceError(exc.problem_code if exc.problem_code in _OWN_CODES else exc.code) from exc
        except api_errors.ApiError as exc:
            raise ServiceError(exc.code) from exc
        if change.data is None:
            raise ServiceError("api.bad_response")
        await store.apply(RecordChange(change.type, change.id, change.version, change.deleted, change.data))
        await ended_notes.clear_ended(store, change.id)
        await session.engine.sync()
        self.board.notify()
        return mapping.shared_patient(change.id, change.data, None)

    async def ended_shares(self) -> tuple[EndedShare, ...]:
        store = await self._require_store()
        found = []
        for note in await ended_notes.ended(store):
            at = note.get("at")
            moment = datetime.fromisoformat(at) if isinstance(at, str) else None
            found.append(EndedShare(note["share_id"], str(note.get("reason", "revoked")), moment))
        return tuple(found)

    async def dismiss_ended(self) -> None:
        await ended_notes.clear_ended(await self._require_store())
        self.board.notify()
