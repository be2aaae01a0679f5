"""Access and refresh tokens kept only in the SecretStore (the keychain), never on disk."""

from __future__ import annotations

from app.api.models import Tokens
from app.secrets.base import SecretStore

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
        return Tokens(access, refresh)

    async def save(self, tokens: Tokens) -> None:
        # Refresh first: a crash between the two writes leaves a working refresh token.
        await self._secrets.set(REFRESH, tokens.refresh_token)
        await self._secrets.set(ACCESS, tokens.access_token)

    async def clear(self) -> None:
        await self._secrets.delete(ACCESS)
        await self._secrets.delete(REFRESH)
