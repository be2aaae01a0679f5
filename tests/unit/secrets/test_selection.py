"""Where keys and tokens go: the composition root's rule (keyring, else flet-secure-storage, else refuse)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import keyring.backends.fail
import keyring.backends.null
import pytest

from app.main import choose_secrets, flet_storage_available, parse_args
from app.secrets import KeyringSecretStore, SecretBackendUnavailableError

ROOT = Path(__file__).resolve().parents[3]


class PlaintextKeyring:
    """Shaped like a keyring backend that writes secrets to a file in the clear (keyrings.alt's).

    Deliberately not a KeyringBackend subclass: keyring registers every subclass it sees, and
    would then chain this one into the process's default keyring for the tests that follow."""

    priority = 1.0

    def get_password(self, service: str, username: str) -> str | None:
        raise AssertionError("never used")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise AssertionError("never used")

    def delete_password(self, service: str, username: str) -> None:
        raise AssertionError("never used")


UNSAFE = [keyring.backends.fail.Keyring(), keyring.backends.null.Keyring(), PlaintextKeyring()]


def keyring_with(backend: object) -> Callable[[Path], object]:
    return lambda data_dir: KeyringSecretStore.for_data_dir(data_dir, backend=backend)  # type: ignore[arg-type]


def no_keyring_probe(data_dir: Path) -> object:
    raise AssertionError("the keyring must not be consulted")


def test_auto_uses_the_real_keychain_when_it_is_there(tmp_path: Path) -> None:
    # Under scripts/with-keyring the default backend is the real Secret Service.
    assert choose_secrets("auto", tmp_path) == "keyring"
    assert parse_args([]).secrets == "auto"


@pytest.mark.parametrize("backend", UNSAFE)
def test_auto_falls_back_to_flet_storage_when_the_keyring_is_unsafe(tmp_path: Path, backend: object) -> None:
    assert choose_secrets("auto", tmp_path, keyring_check=keyring_with(backend)) == "flet"


@pytest.mark.parametrize("backend", UNSAFE)
def test_with_neither_the_app_refuses_clearly_rather_than_store_in_plaintext(
    tmp_path: Path, backend: object
) -> None:
    with pytest.raises(SecretBackendUnavailableError) as caught:
        choose_secrets("auto", tmp_path, keyring_check=keyring_with(backend), flet_available=lambda: False)
    message = str(caught.value)
    assert "keychain" in message
    assert "flet-secure-storage: not installed" in message
    assert "never stores keys or tokens in plaintext" in message
    assert caught.value.code == "secrets.no_backend"


def test_flet_mode_never_touches_the_keyring(tmp_path: Path) -> None:
    assert choose_secrets("flet", tmp_path, keyring_check=no_keyring_probe) == "flet"
    with pytest.raises(SecretBackendUnavailableError, match="plaintext"):
        choose_secrets("flet", tmp_path, keyring_check=no_keyring_probe, flet_available=lambda: False)


def test_keyring_mode_is_the_keyring_whatever_else_is_installed(tmp_path: Path) -> None:
    # Its backend is checked by build_services, exactly as before the flag existed.
    assert choose_secrets("keyring", tmp_path, keyring_check=no_keyring_probe) == "keyring"


def test_flet_secure_storage_is_installed() -> None:
    assert flet_storage_available()


def run_app(tmp_path: Path, *args: str, hide_flet_storage: bool) -> subprocess.CompletedProcess[str]:
    hide = "sys.modules['flet_secure_storage'] = None; " if hide_flet_storage else ""
    code = f"import sys; {hide}from app.main import run; sys.exit(run(sys.argv[1:]))"
    env = {"PATH": "/usr/bin:/bin", "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    return subprocess.run(
        [sys.executable, "-c", code, "--data-dir", str(tmp_path / "data"), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(("mode", "hide"), [("auto", True), ("keyring", False), ("flet", True)])
def test_the_app_will_not_start_without_an_encrypted_place(tmp_path: Path, mode: str, hide: bool) -> None:
    done = run_app(tmp_path, "--secrets", mode, hide_flet_storage=hide)
    assert done.returncode == 1, done.stderr
    assert "Waypoint cannot start" in done.stderr
    assert "never stores keys or tokens in plaintext" in done.stderr
    assert not [p for p in (tmp_path / "data").rglob("*") if p.is_file()]


async def test_flet_store_with_no_connected_window_fails_clearly() -> None:
    from app.platform.secure_storage import FletSecretStore
    from app.secrets import SecretAccessError

    store = FletSecretStore("org.waypoint.app/test", timeout=0.5)
    with pytest.raises(SecretAccessError, match="no app window is connected"):
        await store.get("access-token")
    with pytest.raises(SecretAccessError):
        await store.set("access-token", "value")
