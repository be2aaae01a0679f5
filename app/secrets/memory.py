"""An in-memory SecretStore twin for tests where secrets are not the subject."""

from __future__ import annotations


class MemorySecretStore:
    """Holds secrets in a dict; forgets them with the process."""

    def __init__(self) -> None:
        self.values: dict[str, str] = {}

    async def get(self, name: str) -> str | None:
        return self.values.get(name)

    async def set(self, name: str, value: str) -> None:
        self.values[name] = value

    async def delete(self, name: str) -> None:
        self.values.pop(name, None)
