"""Family use cases: the shared schedules, accepting another invitation, which shares ended; code checks."""

from __future__ import annotations

from datetime import date, datetime

from app.api import errors as api_errors
from app.api.records import SharedPatientRecord
from app.domain.model import Role, ScheduleItem, SharedPatient
from app.services import mapping
from app.services.core import Core
from app.services.ports import EndedShare, ServiceError, SignInError
from app.sync import family as ended_notes
from app.sync.push import to_record

MIN_USERNAME = 3
MIN_PASSWORD = 8
# Problem codes the clinic answers with a 400 that the app shows as they are.
OWN_CODES = ("auth.username_taken", "auth.code_invalid", "auth.code_expired", "auth.code_used")


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


class FamilyShares:
    """The FamilyView service: what is shared with this family member, read from the local store."""

    def __init__(self, core: Core) -> None:
        self._core = core

    async def shared_patients(self) -> tuple[SharedPatient, ...]:
        return await (await self._core.reads()).shared_patients()

    async def shared_week(self, share_id: str, start: date, end: date) -> tuple[ScheduleItem, ...]:
        return await (await self._core.reads()).shared_week(share_id, start, end)

    async def accept_invitation(self, invitation_code: str) -> SharedPatient:
        """Accept one more invitation; the schedule it shares is pulled before this returns."""
        session = await self._core.require_session()
        store = await self._core.require_store()
        if session.account.role is not Role.FAMILY:
            raise ServiceError("auth.forbidden")
        code = normalise_code(invitation_code)
        if not code:
            raise ServiceError("family.code_missing")
        try:
            change = await session.client.accept_invitation(code)
        except api_errors.ProblemError as exc:
            raise ServiceError(exc.problem_code if exc.problem_code in OWN_CODES else exc.code) from exc
        except api_errors.ApiError as exc:
            raise ServiceError(exc.code) from exc
        if not isinstance(change.data, SharedPatientRecord):
            raise ServiceError("api.bad_response")
        await store.apply(to_record(change))
        await ended_notes.clear_ended(store, change.id)
        await session.engine.sync()
        self._core.board.notify()
        return mapping.shared_patient(change.id, change.data, None)

    async def ended_shares(self) -> tuple[EndedShare, ...]:
        store = await self._core.require_store()
        found = []
        for note in await ended_notes.ended(store):
            at = note.get("at")
            moment = datetime.fromisoformat(at) if isinstance(at, str) else None
            found.append(EndedShare(note["share_id"], str(note.get("reason", "revoked")), moment))
        return tuple(found)

    async def dismiss_ended(self) -> None:
        await ended_notes.clear_ended(await self._core.require_store())
        self._core.board.notify()
