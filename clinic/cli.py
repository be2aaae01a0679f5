"""Command line: `python -m clinic serve ...` and `python -m clinic admin ...` for clinic admins."""

from __future__ import annotations

import argparse
import gc
import logging
import sys
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from clinic.config import TEST_ONLY_FAST_PASSWORD_HASHING, Settings
from clinic.database import Database, sqlite_url


def _database_url(args: argparse.Namespace) -> str:
    if args.database_url:
        return str(args.database_url)
    return sqlite_url(Path(args.db))


def _add_db_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", default="clinic.sqlite3", help="SQLite file (default: ./clinic.sqlite3)")
    parser.add_argument("--database-url", help="SQLAlchemy URL instead, e.g. postgresql+psycopg://…")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m clinic", description="Waypoint reference clinic backend")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run the Clinic Sync API server")
    _add_db_args(serve)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8765)
    serve.add_argument("--seed", choices=["demo"], help="create the demo clinic if it is missing")
    serve.add_argument("--log-level", default="info")
    serve.add_argument(
        "--access-ttl-seconds",
        type=int,
        default=900,
        choices=range(1, 901),
        metavar="1..900",
        help="access token lifetime (at most 15 minutes)",
    )
    serve.add_argument(
        "--tombstone-retention-seconds",
        type=int,
        default=30 * 86400,
        help="how long deletions are kept for incremental sync (older cursors get reset: true)",
    )
    admin = sub.add_parser("admin", help="clinic administration")
    _add_db_args(admin)
    from clinic.admin_cli import add_commands

    add_commands(admin.add_subparsers(dest="admin_command", required=True))
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    settings = Settings(database_url=_database_url(args))
    if args.command == "serve":
        settings = replace(
            settings,
            access_ttl=timedelta(seconds=args.access_ttl_seconds),
            tombstone_retention=timedelta(seconds=max(1, args.tombstone_retention_seconds)),
        )
    if args.command == "serve":
        return serve(args, settings)
    from clinic.admin_cli import run

    return run(args, settings)


KEEP_ALIVE_SECONDS = 75  # longer than the app's 60 s between syncs (nginx's default is 75 s too)


def freeze_start_up_objects() -> None:
    """Keep what start-up built (modules, the app, its routes and schemas: ~145,000 objects) out of
    every later garbage collection. A full collection walked all of them and held every request
    for its duration — 180-270 ms measured under load, a few of the slowest requests of each
    capacity step (docs/PERFORMANCE.md, "Clinic capacity"). Garbage is collected first, so
    nothing unreachable is kept for good."""
    gc.collect()
    gc.freeze()


def serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from clinic.app import create_app
    from clinic.container import Services
    from clinic.security import Passwords
    from clinic.seed import enrolment_code_for, seed_demo

    passwords = Passwords(fast=settings.fast_password_hashing)
    if settings.fast_password_hashing:
        logging.getLogger("clinic").warning(
            "%s is set: passwords hashed with test-only cheap parameters", TEST_ONLY_FAST_PASSWORD_HASHING
        )
    db = Database(settings.database_url)
    db.migrate()
    if args.seed == "demo":
        seed_demo(db, settings, passwords)
        print("Demo clinic ready.")
        print("Demo accounts: alex (patient), morgan (patient), staff (staff); passwords in clinic/seed.py")
        # A live enrolment code is a credential: shown on a terminal, never into a file or pipe
        # (scripts/demo and the test harness send this output to a log file).
        if sys.stdout.isatty():
            code, expires = enrolment_code_for(db, settings, "alex")
            print(f"Enrolment code for alex: {code} (valid until {expires:%Y-%m-%d %H:%M} UTC)")
        else:
            print("For an enrolment code: python -m clinic admin [--db FILE] enrolment-code alex")
    db.dispose()
    print(f"Clinic Sync API on http://{args.host}:{args.port}", flush=True)
    sys.stdout.flush()
    app = create_app(Services.build(settings, passwords))
    freeze_start_up_objects()
    uvicorn.run(
        app,
        host=args.host,
        port=args.port,
        log_level=args.log_level,
        access_log=False,
        # An open app syncs every 60 s: past uvicorn's default of 5 s each periodic sync paid a new
        # connection, and those were the slowest requests of the capacity bench (docs/PERFORMANCE.md).
        timeout_keep_alive=KEEP_ALIVE_SECONDS,
        # Open live streams never end by themselves: past the grace they are cancelled, so SIGTERM
        # still stops the server cleanly (pages in flight recorded) instead of waiting to be killed.
        timeout_graceful_shutdown=max(1, round(settings.shutdown_grace.total_seconds())),
    )
    return 0
