"""build_services: the one place the real adapters are put together for the composition root."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from app.domain.clock import utc_now
from app.secrets.base import SecretStore
from app.secrets.keyring_store import KeyringSecretStore
from app.services.patient import CoreServices
from app.services.ports import PatientServices


def build_services(
    data_dir: Path,
    *,
    secret_store: SecretStore | None = None,
    transport: Any = None,
    clock: Callable[[], datetime] | None = None,
    sync_interval: float = 300.0,
) -> PatientServices:
    """One instance per app process (every Flet session shares it).

    Raises app.secrets.SecretBackendUnavailableError when no encrypted keychain exists: the
    app refuses to keep keys or tokens in plaintext. `transport` is an httpx transport for tests.
    """
    secrets = secret_store if secret_store is not None else KeyringSecretStore.for_data_dir(data_dir)
    return CoreServices(
        data_dir, secrets, transport=transport, clock=clock or utc_now, sync_interval=sync_interval
    )
