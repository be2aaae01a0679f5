"""Bad input of every kind is a readable problem+json, never a 500."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from clinic.database import sqlite_url
from tests.clinic.conftest import ServerFactory
from tests.clinic.helpers import auth, sync_page
from tests.support.clinic_server import ClinicServer


def _problem(response: httpx.Response, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert (body["status"], body["code"]) == (status, code)
    assert body["title"]
    assert body["detail"]


@pytest.mark.parametrize(
    "content",
    [b"{not json", b"[]", b'{"mutations": "x"}', b'{"mutations": [{"id": 5}]}', b"\xff\xfe", b""],
)
def test_malformed_bodies_are_400(demo: ClinicServer, content: bytes) -> None:
    response = httpx.post(
        f"{demo.url}/v1/mutations",
        content=content,
        headers={**auth(demo.patient_token()), "content-type": "application/json"},
        timeout=10,
    )
    _problem(response, 400, "request.invalid")


def test_huge_body_is_413(demo: ClinicServer) -> None:
    big = b'{"mutations": [], "pad": "' + b"x" * (300 * 1024) + b'"}'
    response = httpx.post(
        f"{demo.url}/v1/mutations",
        content=big,
        headers={**auth(demo.patient_token()), "content-type": "application/json"},
        timeout=10,
    )
    _problem(response, 413, "request.too_large")

    def chunks() -> object:
        for _ in range(40):
            yield b"x" * 10000

    streamed = httpx.post(
        f"{demo.url}/v1/auth/token",
        content=chunks(),  # type: ignore[arg-type]
        headers={"content-type": "application/json"},
        timeout=10,
    )
    _problem(streamed, 413, "request.too_large")


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/v1/staff/patients/00000000-0000-0000-0000-000000000000/schedule"),
        ("PATCH", "/v1/staff/schedule/nope"),
        ("POST", "/v1/staff/support-alerts/nope/ack"),
        ("GET", "/v1/no-such-endpoint"),
    ],
)
def test_unknown_ids_are_404(demo: ClinicServer, method: str, path: str) -> None:
    response = httpx.request(
        method, f"{demo.url}{path}", json={}, headers=auth(demo.staff_token()), timeout=10
    )
    _problem(response, 404, "not_found")


@pytest.mark.parametrize(
    "body",
    [
        {"created_at": "not a date"},
        {"created_at": "2026-01-01T10:00:00"},  # no offset
        {"created_at": "9999-12-31T23:59:59-12:00"},
    ],
)
def test_bad_alert_bodies_are_400(demo: ClinicServer, body: dict[str, str]) -> None:
    headers = {**auth(demo.patient_token()), "Idempotency-Key": "8a4c9d1e-0000-4000-8000-000000000001"}
    response = httpx.post(f"{demo.url}/v1/support-alerts", json=body, headers=headers, timeout=10)
    _problem(response, 400, "request.invalid")


def test_text_with_nul_is_rejected_not_stored(demo: ClinicServer) -> None:
    response = httpx.post(
        f"{demo.url}/v1/auth/token", json={"username": "a\x00b", "password": "x"}, timeout=10
    )
    _problem(response, 400, "request.invalid")


def test_an_unexpected_failure_is_a_bare_500_logged_by_type_and_request_id(
    tmp_path: Path, new_server: ServerFactory
) -> None:
    """A failure nobody foresaw (here: a table gone from under the server) leaks nothing.

    The answer is a 500 problem without details; the log has one line with the exception's type and
    the request id the answer carries — no traceback, no SQL, no parameters (which may be PHI).
    """
    with new_server(tmp_path) as server:
        token = server.patient_token()
        engine = create_engine(server.database_url or sqlite_url(server.db_path), poolclass=NullPool)
        with engine.begin() as conn:
            conn.execute(text("ALTER TABLE audit_log RENAME TO audit_log_away"))
        try:
            response = sync_page(server, token)  # a sync is audited: the write fails
        finally:
            with engine.begin() as conn:
                conn.execute(text("ALTER TABLE audit_log_away RENAME TO audit_log"))
            engine.dispose()
        _problem(response, 500, "server.error")
        request_id = response.headers["x-request-id"]
        assert response.json() == {
            "type": "about:blank",
            "title": "Server error",
            "status": 500,
            "detail": "Something went wrong on the server.",
            "code": "server.error",
            "request_id": request_id,
        }
        assert sync_page(server, token).status_code == 200  # the server itself is fine
    log = server.log_path.read_text()
    assert re.search(rf"unhandled error type=\w+ request_id={re.escape(request_id)}\n", log), log
    for leak in ("Traceback", "audit_log", "INSERT", "sqlalchemy", "Alex Rivera"):
        assert leak not in log, log


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("DELETE", "/v1/health", {"GET"}),
        ("POST", "/v1/sync", {"GET"}),
        ("GET", "/v1/staff/schedule/some-id", {"PATCH"}),
    ],
)
def test_405_says_which_methods_are_allowed(
    demo: ClinicServer, method: str, path: str, allowed: set[str]
) -> None:
    response = httpx.request(method, f"{demo.url}{path}", headers=auth(demo.staff_token()), timeout=10)
    _problem(response, 405, "request.method_not_allowed")
    assert {m.strip() for m in response.headers["allow"].split(",")} == allowed
