"""The one rule for a clinic's address: HTTPS, or plain HTTP only to this machine (loopback)."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit


def is_loopback(host: str) -> bool:
    """`localhost` or a loopback IP (127.0.0.0/8, ::1); a name that merely starts with 127. is not."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def address_problem(url: str) -> str | None:
    """A message key when the clinic address is unusable, else None."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:  # e.g. an unclosed IPv6 bracket
        return "auth.url_invalid"
    if parts.scheme not in ("http", "https") or not host:
        return "auth.url_invalid"
    if parts.scheme == "http" and not is_loopback(host):
        return "auth.https_required"
    return None
