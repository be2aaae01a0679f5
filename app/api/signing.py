"""Device-signed support alerts (docs/api.md): the message, the headers, and the signer seam.

The client never holds a private key: it builds the exact bytes the clinic verifies and asks a
`DeviceSigner` (app.secrets.device_key, over the keychain) to sign them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Protocol

DEVICE_ID_HEADER = "Waypoint-Device-Id"
SIGNED_AT_HEADER = "Waypoint-Signed-At"
SIGNATURE_HEADER = "Waypoint-Signature"
CONTEXT = "waypoint-support-alert-v1"


# Who signs: the clinic's id of this device, and a function returning an unpadded base64url
# Ed25519 signature of the message (a plain tuple, so app.secrets implements it without importing us).
DeviceIdentity = tuple[str, Callable[[bytes], str]]


class DeviceSigner(Protocol):
    """Where the device's identity comes from; None when this device has no key or id."""

    async def identity(self) -> DeviceIdentity | None: ...


def signed_at(now: datetime) -> str:
    """UTC, RFC 3339 with `Z`, seconds precision."""
    return now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def alert_message(device_id: str, alert_id: str, at: str, body: bytes) -> bytes:
    """The bytes the signature covers: context, device, alert, time and the body's SHA-256."""
    digest = hashlib.sha256(body).hexdigest()
    return "\n".join([CONTEXT, device_id, alert_id, at, digest]).encode("utf-8")


def alert_headers(identity: DeviceIdentity, alert_id: str, now: datetime, body: bytes) -> dict[str, str]:
    device_id, sign = identity
    at = signed_at(now)
    signature = sign(alert_message(device_id, alert_id, at, body))
    return {DEVICE_ID_HEADER: device_id, SIGNED_AT_HEADER: at, SIGNATURE_HEADER: signature}
