"""Sharing the schedule with family: the only use cases that need the network to answer."""

from __future__ import annotations

from datetime import datetime

from app.api import errors
from app.api.client import ClinicClient
from app.api.models import ShareRequest
from app.domain.model import Share, ShareScope
from app.services import mapping
from app.services.ports import ServiceError
from app.store.encrypted import EncryptedStore
from app.store.models import RecordChange


class Sharing:
    """Create and revoke shares; the answer is stored locally so the list reads offline."""

    def __init__(self, client: ClinicClient, store: EncryptedStore) -> None:
        self._client = client
        self._store = store

    async def create(
        self, recipient_name: str, relationship: str, scope: ShareScope, purpose: str, expires_at: datetime
    ) -> Share:
        if expires_at.tzinfo is None:
            raise ServiceError("share.expiry_invalid")
        request = ShareRequest(recipient_name, relationship, scope.value, purpose, expires_at.isoformat())
        try:
            created = await self._client.create_share(request)
        except errors.ApiError as exc:
            raise ServiceError(exc.code) from exc
        c = created.share
        await self._store.apply(RecordChange(c.type, c.id, c.version, c.deleted, c.data))
        data = {**(c.data or {}), "invitation_expires_at": created.invitation_expires_at}
        return mapping.share(c.id, data, None, code=created.invitation_code)

    async def revoke(self, share_id: str) -> None:
        try:
            await self._client.revoke_share(share_id)
        except errors.NotFoundError:
            pass  # already gone: the outcome the patient asked for
        except errors.ApiError as exc:
            raise ServiceError(exc.code) from exc
        record = await self._store.get("share", share_id)
        version = 0 if record is None else record.version
        await self._store.apply(RecordChange("share", share_id, version + 1, deleted=True))
