"""A real HTTP receiver on loopback for the pager webhook: keeps every request, answers as told.

with WebhookReceiver(secret) as pager:       # listening on pager.url
    pager.answers = [503, 503]               # the next two requests get 503, then 200 again
    pager.answers_for[alert_id] = [503]      # the next request about that subject gets 503
    pager.stop(); pager.start()              # down (connection refused) and up, same port
    pager.accepted()                         # requests answered 2xx, signatures verified
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.support.clinic_server import free_port


@dataclass(frozen=True)
class Received:
    headers: dict[str, str]
    body: bytes
    status: int

    @property
    def key(self) -> str:
        return self.headers["idempotency-key"]

    @property
    def json(self) -> dict[str, Any]:
        parsed: dict[str, Any] = json.loads(self.body)
        return parsed

    def signed_by(self, secret: str) -> bool:
        timestamp = self.headers["waypoint-timestamp"]
        mac = hmac.new(secret.encode(), timestamp.encode() + b"." + self.body, hashlib.sha256).hexdigest()
        return hmac.compare_digest(self.headers["waypoint-signature"], f"v1={mac}")


def _subject(body: bytes) -> str:
    try:
        found = json.loads(body).get("subject_id")
    except (ValueError, AttributeError):
        return ""
    return found if isinstance(found, str) else ""


class WebhookReceiver:
    def __init__(self, secret: str, port: int | None = None) -> None:
        self.secret = secret
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}/hooks/waypoint"
        self.received: list[Received] = []
        self.answers: list[int] = []  # statuses for the next requests (then 200)
        # statuses for the next requests about one subject, whatever else arrives meanwhile (a page
        # of an earlier test still being retried must not take a status meant for this one)
        self.answers_for: dict[str, list[int]] = {}
        self.delay = 0.0  # seconds each request is held before its answer (a slow provider)
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> WebhookReceiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                if receiver.delay:
                    time.sleep(receiver.delay)
                with receiver._lock:
                    scripted = receiver.answers_for.get(_subject(body)) or receiver.answers
                    status = scripted.pop(0) if scripted else 200
                    headers = {k.lower(): v for k, v in self.headers.items()}
                    receiver.received.append(Received(headers, body, status))
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            server.shutdown()
            server.server_close()
        if self._thread is not None:
            self._thread.join(5)

    def __enter__(self) -> WebhookReceiver:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def requests(self) -> list[Received]:
        with self._lock:
            return list(self.received)

    def accepted(self) -> list[Received]:
        return [r for r in self.requests() if 200 <= r.status < 300]
