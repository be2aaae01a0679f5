"""The Sharing service: the patient's shares with family; creating and revoking need the network."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from app.api import errors
from app.api.models import ShareRequest
from app.api.records import ShareRecord
from app.domain.model import Share, ShareScope
from app.services import mapping
from app.services.core import Core
from app.services.ports import ServiceError
from app.store.models import RecordChange
from app.sync.push import to_record


class ClinicSharing:
    """The list reads offline; create and revoke ask the clinic and store its answer locally."""

    def __init__(self, core: Core) -> None:
        self._core = core

    async def shares(self) -> tuple[Share, ...]:
        return await (await self._core.reads()).shares()

    async def create_share(
        self, recipient_name: str, relationship: str, scope: ShareScope, purpose: str, expires_at: datetime
    ) -> Share:
        session = await self._core.require_session()
        store = await self._core.require_store()
        if expires_at.tzinfo is None:
            raise ServiceError("share.expiry_invalid")
        request = ShareRequest(recipient_name, relationship, scope, purpose, expires_at)
        try:
            created = await session.client.create_share(request)
        except errors.ApiError as exc:
            raise ServiceError(exc.code) from exc
        c = created.share
        if not isinstance(c.data, ShareRecord):
            raise ServiceError(errors.ResponseFormatError.code)
        await store.apply(to_record(c))
        record = replace(c.data, invitation_expires_at=created.invitation_expires_at)
        return mapping.share(c.id, record, None, code=created.invitation_code)

    async def revoke_share(self, share_id: str) -> None:
        session = await self._core.require_session()
        store = await self._core.require_store()
        try:
            await session.client.revoke_share(share_id)
        except errors.NotFoundError:
            pass  # already gone: the outcome the patient asked for
        except errors.ApiError as exc:
            raise ServiceError(exc.code) from exc
        record = await store.get("share", share_id)
        version = 0 if record is None else record.version
        await store.apply(RecordChange("share", share_id, version + 1, deleted=True))
        self._core.board.notify()
