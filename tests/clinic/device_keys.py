"""Test helpers for device-signed support alerts and for reading a staff SSE stream to its end."""

from __future__ import annotations

import base64
import hashlib
import json
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from tests.support.clinic_server import ClinicServer


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


@dataclass
class DeviceKey:
    """An Ed25519 key pair as the app keeps one: private in the keychain, public registered."""

    private: Ed25519PrivateKey = field(default_factory=Ed25519PrivateKey.generate)

    @property
    def public(self) -> str:
        raw = self.private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        return b64url(raw)

    def sign(self, device_id: str, alert_id: str, signed_at: str, body: bytes) -> str:
        message = "\n".join(
            ["waypoint-support-alert-v1", device_id, alert_id, signed_at, hashlib.sha256(body).hexdigest()]
        )
        return b64url(self.private.sign(message.encode()))


def stamp(when: datetime | None = None) -> str:
    return (when or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")


def alert_body(created_at: datetime | None = None) -> bytes:
    return json.dumps({"created_at": (created_at or datetime.now(UTC)).isoformat()}).encode()


def signed_alert(
    server: ClinicServer,
    key: DeviceKey,
    device_id: str,
    *,
    alert_id: str | None = None,
    token: str | None = None,
    body: bytes | None = None,
    signed_body: bytes | None = None,
    signed_at: str | None = None,
    signed_id: str | None = None,
) -> httpx.Response:
    """POST /v1/support-alerts the way the app does; the signed_* overrides forge one part."""
    alert_id = alert_id or str(uuid.uuid4())
    body = body if body is not None else alert_body()
    signed_at = signed_at or stamp()
    signature = key.sign(
        device_id, signed_id or alert_id, signed_at, signed_body if signed_body is not None else body
    )
    headers = {
        "Content-Type": "application/json",
        "Idempotency-Key": alert_id,
        "Waypoint-Device-Id": device_id,
        "Waypoint-Signed-At": signed_at,
        "Waypoint-Signature": signature,
    }
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return httpx.post(f"{server.url}/v1/support-alerts", content=body, headers=headers, timeout=30)


def sign_in_with_key(
    server: ClinicServer, username: str, password: str, key: DeviceKey, device_name: str = "phone"
) -> dict[str, Any]:
    body = {"username": username, "password": password, "device_name": device_name, "device_key": key.public}
    response = httpx.post(f"{server.url}/v1/auth/token", json=body, timeout=10)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


class StreamReader:
    """One staff SSE connection, read to its end by a thread (no reconnecting): every event, timed."""

    def __init__(self, url: str, token: str, headers: dict[str, str] | None = None) -> None:
        self.url = f"{url}/v1/staff/support-alerts/stream"
        self.headers = {"Authorization": f"Bearer {token}", "Accept": "text/event-stream", **(headers or {})}
        self.status: int | None = None
        self.events: list[dict[str, Any]] = []
        self.times: list[float] = []
        self.ended_at: float | None = None
        self._opened = threading.Event()
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._client = httpx.Client(timeout=httpx.Timeout(5.0, read=30.0))

    def start(self) -> StreamReader:
        self._thread.start()
        assert self._opened.wait(10), "the stream did not open"
        return self

    def _run(self) -> None:
        try:
            with self._client.stream("GET", self.url, headers=self.headers) as response:
                self.status = response.status_code
                self._opened.set()
                event: dict[str, Any] = {}
                for line in response.iter_lines():
                    if line == "":
                        if "data" in event:
                            self.events.append(event)
                            self.times.append(time.monotonic())
                        event = {}
                    elif line.startswith(("id:", "event:")):
                        name, _, value = line.partition(":")
                        event[name] = value.strip()
                    elif line.startswith("data:"):
                        event["data"] = json.loads(line[5:].strip())
        except Exception:  # noqa: S110 — close() from the test thread ends the read
            pass
        finally:
            self.ended_at = time.monotonic()
            self._opened.set()
            self._done.set()

    def wait_end(self, timeout: float) -> bool:
        return self._done.wait(timeout)

    def close(self) -> None:
        self._client.close()
        self._thread.join(timeout=5)
