"""The opaque sync cursor: this server's epoch and a version, base64url encoded."""

from __future__ import annotations

import base64
import binascii

from clinic.errors import BadRequest

PREFIX = "wp1"


def encode(epoch: str, version: int, key: str = "") -> str:
    raw = f"{PREFIX}:{epoch}:{version}:{key}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(cursor: str) -> tuple[str, int, str]:
    """(epoch, version, tie-break key); 400 sync.cursor_invalid for anything else."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        raw = base64.urlsafe_b64decode(padded.encode("ascii")).decode("ascii")
        prefix, epoch, version, key = raw.split(":", 3)
        value = int(version)
    except (ValueError, UnicodeError, binascii.Error) as exc:
        raise _invalid() from exc
    if prefix != PREFIX or not 0 <= value <= 2**62 or not epoch or len(cursor) > 200:
        raise _invalid()
    return epoch, value, key


def _invalid() -> BadRequest:
    return BadRequest(
        "sync.cursor_invalid", "Invalid cursor", "The sync cursor is not valid; sync from the start."
    )
