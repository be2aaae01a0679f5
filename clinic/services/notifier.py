"""The Notifier port, and its adapter: a signed webhook the clinic points at its paging/SMS provider.

Every request is a JSON POST with these headers (docs/api.md, "Escalation webhook"):

    Waypoint-Timestamp   Unix seconds when this attempt was signed
    Waypoint-Signature   v1=<hex HMAC-SHA256(secret, timestamp + "." + body)>
    Idempotency-Key      the escalation step's id: the same on every retry of one step

A receiver verifies the signature over the exact bytes it got, refuses a timestamp far from its
clock (replays), and does the page once per Idempotency-Key. The secret is never logged.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from collections.abc import Callable
from datetime import datetime
from typing import Protocol
from urllib.parse import urlsplit

import httpx

log = logging.getLogger("clinic.notifier")

TIMEOUT = httpx.Timeout(10.0, connect=5.0)
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def signature(secret: str, timestamp: str, body: bytes) -> str:
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return f"v1={mac.hexdigest()}"


def url_problem(url: str) -> str | None:
    """Why `url` may not receive pages (None: it may): https only, plain http only to loopback."""
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return None
    if parts.scheme == "http" and parts.hostname in LOOPBACK:
        return None
    return "the webhook must be an https:// URL (plain http only to loopback)"


class Notifier(Protocol):
    """Sends one page; answers the receiver's HTTP status, or None when it gave no answer."""

    def send(self, url: str, secret: str, key: str, body: bytes) -> int | None: ...


class WebhookNotifier:
    """The signed webhook (module docstring); one attempt per call, retries are the caller's."""

    def __init__(self, clock: Callable[[], datetime], transport: httpx.BaseTransport | None = None) -> None:
        self._clock = clock
        self._transport = transport

    def send(self, url: str, secret: str, key: str, body: bytes) -> int | None:
        if url_problem(url) is not None:
            log.warning("webhook not sent: its URL is not https delivery=%s", key)
            return None
        timestamp = str(int(self._clock().timestamp()))
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "Waypoint-Clinic/1",
            "Waypoint-Timestamp": timestamp,
            "Waypoint-Signature": signature(secret, timestamp, body),
            "Idempotency-Key": key,
        }
        try:
            with httpx.Client(transport=self._transport, timeout=TIMEOUT, follow_redirects=False) as client:
                return client.post(url, content=body, headers=headers).status_code
        except httpx.HTTPError as exc:
            log.warning("webhook receiver unreachable delivery=%s type=%s", key, type(exc).__name__)
            return None
