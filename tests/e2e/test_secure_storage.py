"""`--secrets flet` in Chromium: keys and tokens live in the browser's storage, not in files or the keyring.

The app runs against the real demo clinic through a loopback proxy that records the bytes, so the
test knows the real access and refresh tokens the app was given and can look for them everywhere.
"""

from __future__ import annotations

import re
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from app.secrets.keyring_store import service_name
from tests.e2e.conftest import TALL_LAPTOP, app_data_files, sign_in
from tests.e2e.test_patient_journey import assert_week_shows, this_week
from tests.support.app_server import AppServer
from tests.support.browser import AppPage
from tests.support.clinic_server import ClinicServer

pytestmark = pytest.mark.e2e
TOKEN_RE = re.compile(rb'Bearer ([A-Za-z0-9._~+/=-]{16,})|"(?:access|refresh)_token"\s*:\s*"([^"]{16,})"')
STORAGE_KEYS_JS = "() => Object.keys(localStorage)"
STORAGE_TEXT_JS = "() => Object.values(localStorage).join('\\n')"


class RecordingProxy:
    """A loopback TCP forwarder to the clinic that keeps every byte it passes (bounded: a few MB)."""

    LIMIT = 8 * 1024 * 1024

    def __init__(self, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        self.seen = bytearray()
        self._lock = threading.Lock()
        self._server = socket.create_server(("127.0.0.1", 0))
        self._sockets: list[socket.socket] = [self._server]
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.getsockname()[1]}"

    def tokens(self) -> set[str]:
        with self._lock:
            return {(a or b).decode() for a, b in TOKEN_RE.findall(bytes(self.seen))}

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._server.accept()
                upstream = socket.create_connection(("127.0.0.1", self.upstream_port), timeout=10)
            except OSError:
                return
            upstream.settimeout(None)
            self._sockets += [client, upstream]
            threading.Thread(target=self._pump, args=(client, upstream), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket) -> None:
        try:
            while chunk := source.recv(65536):
                with self._lock:
                    if len(self.seen) < self.LIMIT:
                        self.seen += chunk
                target.sendall(chunk)
        except OSError:
            pass
        finally:
            for sock in (source, target):
                sock.close()

    def close(self) -> None:
        for sock in self._sockets:
            sock.close()


class FletSecretsApp(AppServer):
    def command(self) -> list[str]:
        return [*super().command(), "--secrets", "flet"]


def keyring_items() -> list[tuple[dict[str, str], bytes]]:
    """Every item of the real Secret Service (the private one of scripts/with-keyring), with its secret."""
    import secretstorage
    from secretstorage.defines import SS_PREFIX
    from secretstorage.item import Item
    from secretstorage.util import DBusAddressWrapper

    conn = secretstorage.dbus_init()
    found: list[tuple[dict[str, str], bytes]] = []
    try:
        for collection in secretstorage.get_all_collections(conn):
            # Not collection.get_all_items(): its generator builds each Item as it goes, and an item
            # deleted meanwhile by a test on another xdist worker ends it with ItemNotFoundException.
            listing = DBusAddressWrapper(collection.collection_path, SS_PREFIX + "Collection", conn)
            for path in listing.get_property("Items"):
                try:
                    item = Item(conn, path, collection.session)
                    found.append((item.get_attributes(), item.get_secret()))
                except secretstorage.ItemNotFoundException:
                    continue  # deleted between listing and reading
        return found
    finally:
        conn.close()


@pytest.fixture(scope="module")
def clinic(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ClinicServer]:
    with ClinicServer(tmp_path_factory.mktemp("clinic") / "clinic") as server:
        yield server


def test_tokens_live_in_the_browser_not_in_files_or_the_keyring(
    tmp_path: Path, clinic: ClinicServer, browser: Browser
) -> None:
    port = int(clinic.url.rsplit(":", 1)[1].split("/")[0])
    proxy = RecordingProxy(port)
    app = FletSecretsApp(tmp_path / "app", clinic_url=proxy.url, sync_interval=2)
    try:
        with app:
            page = AppPage.open(browser, app.url, TALL_LAPTOP)
            try:
                expected = this_week(clinic.schedule(clinic.patient_id("alex")))
                sign_in(page)
                page.tap_until("nav-week", "week-next")
                assert_week_shows(page, expected)

                tokens = proxy.tokens()
                assert len(tokens) >= 2, "the app was given an access and a refresh token"
                # Where they went: the browser's storage for this app, encrypted there.
                prefix = service_name(app.data_dir)
                stored = page.page.evaluate(STORAGE_KEYS_JS)
                for name in ("access-token", "refresh-token", "data-key"):
                    assert any(key.endswith(f"{prefix}/{name}") for key in stored), (name, stored)
                browser_text = page.page.evaluate(STORAGE_TEXT_JS)
                assert not [t for t in tokens if t in browser_text], "stored in the clear in the browser"
                # Where they did not go: the app's files, its log, the keychain.
                for path in app_data_files(app):
                    raw = path.read_bytes()
                    assert not [t for t in tokens if t.encode() in raw], path.name
                assert not [t for t in tokens if t in app.log()]
                items = keyring_items()
                assert not [a for a, _ in items if a.get("service") == prefix]  # other apps' may be there
                assert not [t for t in tokens for _, secret in items if t.encode() in secret]

                # A reload reconnects to the same app; a restarted app reads the keys from the browser.
                page.reload()
                page.tap_until("nav-week", "week-next")
                assert_week_shows(page, expected)
                app.restart()
                page.reload()
                page.tap_until("nav-week", "week-next")
                assert_week_shows(page, expected)
                assert "Traceback" not in app.log()
            finally:
                page.close()
    finally:
        proxy.close()
