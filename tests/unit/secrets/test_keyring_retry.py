"""A keychain call that meets a restarting Secret Service is tried again, and never leaks a raw D-Bus error.

A full CI run met it: gnome-keyring restarted between secretstorage opening its session and storing
the item, and `org.freedesktop.Secret.Error.NoSession` came out of the app's sign-in as a
jeepney exception (not a SecretAccessError the app handles).
"""

from __future__ import annotations

import pytest
from keyring.backend import KeyringBackend

from app.secrets import KeyringSecretStore
from app.secrets.errors import SecretAccessError


class DBusErrorResponse(Exception):  # shaped like jeepney's: the module is what marks it as the bus's
    __module__ = "jeepney.wrappers"


class RestartingKeychain(KeyringBackend):
    """Fails its first `failures` calls the way a Secret Service restarting under the call does."""

    priority = 5.0

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.items: dict[tuple[str, str], str] = {}

    def _maybe_fail(self) -> None:
        if self.failures:
            self.failures -= 1
            raise DBusErrorResponse("[org.freedesktop.Secret.Error.NoSession] the session does not exist")

    def get_password(self, service: str, username: str) -> str | None:
        self._maybe_fail()
        return self.items.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self._maybe_fail()
        self.items[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self._maybe_fail()
        self.items.pop((service, username), None)


async def test_a_call_that_meets_a_restart_is_tried_again() -> None:
    backend = RestartingKeychain(failures=1)
    store = KeyringSecretStore("org.waypoint.app/test", backend=backend)
    await store.set("device-key", "k")
    assert backend.items == {("org.waypoint.app/test", "device-key"): "k"}


async def test_a_keychain_that_keeps_failing_is_a_secret_access_error_not_a_raw_bus_error() -> None:
    store = KeyringSecretStore("org.waypoint.app/test", backend=RestartingKeychain(failures=10))
    with pytest.raises(SecretAccessError) as caught:
        await store.get("device-key")
    assert "DBusErrorResponse" in str(caught.value)
    assert "NoSession" not in str(caught.value)  # the text may name things; only the type is said
