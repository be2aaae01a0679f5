"""Composition root: parse the command line, build the services once per process, serve the app (web)."""

from __future__ import annotations

import argparse
import gc
import importlib
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, cast

import flet as ft

import flet_guard
from app.domain.clock import utc_now
from app.secrets.errors import SecretBackendUnavailableError
from app.secrets.keyring_store import KeyringSecretStore, service_name
from app.services.ports import PatientServices
from app.state.first_frame import first_frame, read_first_frame
from app.store.database import private_dir
from app.ui.failure_notice import CRASH_MESSAGE
from app.ui.first_paint import dress_page
from app.ui.root import App

ASSETS = Path(__file__).resolve().parent.parent / "assets"
DEFAULT_FACTORY = "app.services.factory:build_services"
SECRETS_MODES = ("auto", "keyring", "flet")

log = logging.getLogger(__name__)


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m app.main", description="Run the Waypoint patient app.")
    parser.add_argument("--data-dir", type=Path, default=Path(os.environ.get("WAYPOINT_DATA_DIR", "var/app")))
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8550)
    parser.add_argument("--clinic-url", default="", help="pre-fills the clinic address on the sign-in screen")
    parser.add_argument("--lock-after", type=int, default=None, help="auto-lock after N idle seconds")
    parser.add_argument("--sync-interval", type=float, default=None, help="seconds between background syncs")
    parser.add_argument("--services", default=DEFAULT_FACTORY, help="module:function building services")
    parser.add_argument("--open", action="store_true", help="also open the app in the default browser")
    parser.add_argument(
        "--secrets",
        choices=SECRETS_MODES,
        default="auto",
        help="where keys and tokens live: the keychain, the client's secure storage, or auto",
    )
    return parser.parse_args(argv)


def flet_storage_available() -> bool:
    try:
        importlib.import_module("flet_secure_storage")
    except ImportError:
        return False
    return True


def choose_secrets(
    mode: str,
    data_dir: Path,
    *,
    keyring_check: Callable[[Path], object] = KeyringSecretStore.for_data_dir,
    flet_available: Callable[[], bool] = flet_storage_available,
) -> str:
    """The one selection rule: "keyring" when its backend keeps secrets encrypted, else "flet".

    Raises SecretBackendUnavailableError when neither exists; never a plaintext fallback.
    """
    if mode == "keyring":
        return "keyring"  # build_services checks the backend and raises as it always has
    keyring_problem = "not tried (--secrets flet)"
    if mode == "auto":
        try:
            keyring_check(data_dir)
            return "keyring"
        except SecretBackendUnavailableError as exc:
            keyring_problem = str(exc)
    if flet_available():
        return "flet"
    raise SecretBackendUnavailableError(
        f"no encrypted place for keys and tokens: keychain: {keyring_problem}; "
        "flet-secure-storage: not installed — Waypoint never stores keys or tokens in plaintext"
    )


def load_factory(spec: str) -> Callable[..., Any]:
    module_name, _, attr = spec.partition(":")
    return cast(Callable[..., Any], getattr(importlib.import_module(module_name), attr))


def freeze_start_up_objects() -> None:
    """Keep what start-up built (modules, Flet, the services: ~75,000 objects) out of every later
    garbage collection: a full collection walks every tracked object while holding the GIL, 20-40 ms
    here, landing in whichever session's first frame or tap allocated last (the clinic does the
    same, clinic/cli.py). Garbage is collected first, so nothing unreachable is kept for good."""
    gc.collect()
    gc.freeze()


def run(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    private_dir(args.data_dir)  # 0700 whatever the umask; the store makes its files 0600
    options: dict[str, Any] = {} if args.sync_interval is None else {"sync_interval": args.sync_interval}
    factory = load_factory(args.services)
    built: list[PatientServices] = []
    flet_store = None
    try:
        if choose_secrets(args.secrets, args.data_dir) == "keyring":
            # One PatientServices per process: every browser session of this device shares it.
            built.append(cast(PatientServices, factory(args.data_dir, **options)))
        else:
            from app.platform.secure_storage import FletSecretStore

            flet_store = FletSecretStore(service_name(args.data_dir))
    except SecretBackendUnavailableError as exc:
        print(f"Waypoint cannot start: {exc}", file=sys.stderr)
        return 1
    if not args.open:
        os.environ.setdefault("FLET_FORCE_WEB_SERVER", "1")  # serve only; never spawn a browser

    def services_for_session() -> PatientServices:
        if flet_store is not None:
            # Secrets live on the client: bind this session's storage, build services on the
            # first connect. One device per app process (as on mobile); see app/platform/secure_storage.py.
            from app.platform.secure_storage import new_session_storage

            flet_store.bind(new_session_storage())
            if not built:
                built.append(
                    cast(PatientServices, factory(args.data_dir, secret_store=flet_store, **options))
                )
        return built[0]

    async def main(page: ft.Page) -> None:
        services = services_for_session()
        frame = None
        if flet_store is None:  # client-held secrets are read through the session, once it renders
            try:
                frame = await read_first_frame(services, utc_now, page.route or "/")
            except Exception:  # the session reads for itself, as it would without this
                log.exception("first frame: reading local data ahead of the first render failed")
        if frame is None:
            page.title = "Waypoint"
        else:
            dress_page(page, frame)
        with first_frame(frame):
            page.render(App, services, utc_now, args.clinic_url, args.lock_after)

    # A bug in one handler or screen part: the session goes on; no text copy of every message sent.
    flet_guard.install(CRASH_MESSAGE)
    freeze_start_up_objects()
    print(f"Waypoint app: http://{args.host}:{args.port}/", flush=True)
    ft.run(
        main, view=ft.AppView.WEB_BROWSER, host=args.host, port=args.port, no_cdn=True, assets_dir=str(ASSETS)
    )
    return 0


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
