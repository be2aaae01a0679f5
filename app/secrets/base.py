"""The SecretStore seam: small named secrets (keys, tokens) held outside the data directory."""

from __future__ import annotations

import base64
from typing import Protocol


class SecretStore(Protocol):
    """Async key/value store for secrets; names are short ASCII identifiers."""

    async def get(self, name: str) -> str | None: ...
    async def set(self, name: str, value: str) -> None: ...
    async def delete(self, name: str) -> None: ...  # no error when absent


async def get_bytes(store: SecretStore, name: str) -> bytes | None:
    """Read a binary secret stored with `set_bytes`."""
    value = await store.get(name)
    return None if value is None else base64.b64decode(value.encode("ascii"), validate=True)


async def set_bytes(store: SecretStore, name: str, value: bytes) -> None:
    """Store a binary secret (base64 inside, since keychains hold text)."""
    await store.set(name, base64.b64encode(value).decode("ascii"))
