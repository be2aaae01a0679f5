"""Access and refresh tokens kept only in the SecretStore (the keychain), never on disk."""

from __future__ import annotations

from app.api.models import Tokens
from app.secrets.base import SecretStore
from app.secrets.device_key import DEVICE_ID

ACCESS = "access-token"
REFRESH = "refresh-token"


class SecretTokenStore:
    """The API client's TokenStore over a SecretStore."""

    def __init__(self, secrets: SecretStore) -> None:
        self._secrets = secrets

    async def load(self) -> Tokens | None:
        access = await self._secrets.get(ACCESS)
        refresh = await self._secrets.get(REFRESH)
        if access is None or refresh is None:
            return None
        return Tokens(access, refresh)  # the device id is read only when an alert is signed

    async def save(self, tokens: Tokens) -> None:
        # Refresh first: a crash between the two writes leaves a working refresh token.
        await self._secrets.set(REFRESH, tokens.refresh_token)
        await self._secrets.set(ACCESS, tokens.access_token)
        if tokens.device_id is not None and await self._secrets.get(DEVICE_ID) != tokens.device_id:
            await self._secrets.set(DEVICE_ID, tokens.device_id)  # signed alerts name this device

    async def clear(self) -> None:
        await self._secrets.delete(ACCESS)
        await self._secrets.delete(REFRESH)
