"""Composition root of the staff console: parse the command line, serve the Flet web app.

Many staff at once: every browser session builds its own ConsoleSession (console/ui/root.py) and
signs in on its own; tokens stay in this process's memory for that session only.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import flet as ft

import flet_guard
from console.api import check_url
from console.i18n import SUPPORTED
from console.state import DEFAULT_IDLE_TIMEOUT
from console.ui.root import ConsoleApp, Settings

ASSETS = Path(__file__).resolve().parent.parent / "assets"


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m console", description="Run the Waypoint staff console.")
    parser.add_argument(
        "--clinic-url", required=True, help="the clinic's address (https, or http on loopback)"
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8560)
    parser.add_argument(
        "--idle-timeout",
        type=float,
        default=DEFAULT_IDLE_TIMEOUT,
        help="sign a session out after N idle seconds",
    )
    parser.add_argument(
        "--disconnect-grace",
        type=float,
        default=60.0,
        help="sign a session out N seconds after its browser tab went away (unless it comes back)",
    )
    parser.add_argument("--language", choices=SUPPORTED, default="en")
    return parser.parse_args(argv)


# Flet's crash screen, when a session fails before it can go on (its first render). Not through the
# translator (it may be what failed): in each of the console's languages, on one line, since Flet
# 1.0.5's crash screen shows only the first line of its message.
CRASH_MESSAGE = " — ".join(
    (
        "The staff console could not open this screen. Reload the page.",
        "La consola del personal no pudo abrir esta pantalla. Vuelve a cargar la página.",
        "O console da equipe não conseguiu abrir esta tela. Recarregue a página.",
    )
)


def run(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        clinic_url = check_url(args.clinic_url)
    except ValueError:
        print("Waypoint console: --clinic-url must be https://…, or http:// on loopback", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # httpx logs every request line at INFO, and a staff URL names a patient: keep those out.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    os.environ.setdefault("FLET_FORCE_WEB_SERVER", "1")  # serve only; never spawn a browser
    settings = Settings(clinic_url, args.idle_timeout, args.disconnect_grace, args.language)

    def main(page: ft.Page) -> None:
        page.title = "Waypoint staff console"
        page.render(ConsoleApp, settings)

    # A bug in one handler or screen part: a notice, and the session goes on; no exception text in
    # the log (a staff session's exceptions may name patients).
    flet_guard.install(CRASH_MESSAGE)  # as the app: a bug in one part leaves the queue; a closed tab is quiet
    print(f"Waypoint console: http://{args.host}:{args.port}/", flush=True)
    ft.run(
        main, view=ft.AppView.WEB_BROWSER, host=args.host, port=args.port, no_cdn=True, assets_dir=str(ASSETS)
    )
    return 0


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
