"""A server's side of a failure, in the test's report: CI keeps nothing but what pytest prints."""

from __future__ import annotations

from pathlib import Path

LOG_TAIL_LINES = 40


def note_log_tail(exc: BaseException, whose: str, path: Path) -> None:
    """Add the last lines of `path` (a server's log) to `exc`'s report."""
    if not path.exists():
        return
    tail = path.read_text(errors="replace").splitlines()[-LOG_TAIL_LINES:]
    exc.add_note(f"{whose} log ({path}), last {len(tail)} lines:\n" + "\n".join(tail))
