"""Keys and tokens: the SecretStore seam, the keychain implementation and a memory twin."""

from __future__ import annotations

from app.secrets.base import SecretStore, get_bytes, set_bytes
from app.secrets.errors import SecretAccessError, SecretBackendUnavailableError, SecretsError
from app.secrets.keyring_store import KeyringSecretStore, check_backend, service_name
from app.secrets.memory import MemorySecretStore

__all__ = [
    "KeyringSecretStore",
    "MemorySecretStore",
    "SecretAccessError",
    "SecretBackendUnavailableError",
    "SecretStore",
    "SecretsError",
    "check_backend",
    "get_bytes",
    "service_name",
    "set_bytes",
]
