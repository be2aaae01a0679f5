"""Property-based runs against /openapi.json: no input gives a 5xx or an answer that breaks the schema.

Three runs: every operation on its own (positive and negative data), sequences that follow the
OpenAPI links (stateful), and hostile headers and framing on every operation.
"""

from __future__ import annotations

import json
import re
import socket
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.errors import InvalidSchema
from schemathesis.core.result import Err, Result
from schemathesis.schemas import APIOperation
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from tests.clinic.conftest import ServerFactory
from tests.support.clinic_server import ClinicServer


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory: pytest.TempPathFactory, new_server: ServerFactory) -> Iterator[ClinicServer]:
    with new_server(tmp_path_factory.mktemp("fuzz")) as server:
        yield server


@pytest.fixture(scope="module")
def tokens(fuzzed: ClinicServer) -> dict[str, str]:
    return {"staff": fuzzed.staff_token(), "patient": fuzzed.patient_token()}


# schemathesis' lazy pytest loader does not run under pytest 9, so each operation gets its own
# Hypothesis run here, inside one test.
EXCLUDED = ("/stream", "/auth/logout")  # endless by design (SSE); signs the fuzzing session out


def _operation(
    result: Result[APIOperation[Any, Any, Any, Any], InvalidSchema],
) -> APIOperation[Any, Any, Any, Any]:
    """An operation of the schema; one schemathesis cannot read fails the test with its reason."""
    if isinstance(result, Err):
        raise result.err()
    return result.ok()


def test_no_server_errors_and_answers_match_the_schema(fuzzed: ClinicServer, tokens: dict[str, str]) -> None:
    schema = schemathesis.openapi.from_url(f"{fuzzed.url}/openapi.json")
    operations = [_operation(r) for r in schema.get_all_operations()]
    operations = [op for op in operations if not op.path.endswith(EXCLUDED)]
    assert len(operations) >= 25
    for operation in operations:
        role = "staff" if operation.path.startswith("/v1/staff") else "patient"
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            _fuzz(operation, mode, fuzzed.url, {"Authorization": f"Bearer {tokens[role]}"})


def _fuzz(operation: Any, mode: GenerationMode, url: str, headers: dict[str, str]) -> None:
    @given(case=operation.as_strategy(mode))
    @settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def check(case: Any) -> None:
        case.call_and_validate(
            base_url=url,
            headers=headers,
            checks=[not_a_server_error, response_schema_conformance, content_type_conformance],
            timeout=30,
        )

    try:
        check()
    except Unsatisfiable:
        # An operation without parameters or body has no invalid input to generate.
        assert mode is GenerationMode.NEGATIVE


# -- stateful: sequences that follow the OpenAPI links (explicit ones in routers/staff.py, plus
# the ones schemathesis infers from matching fields), so ids made by one call feed the next --------


def test_linked_sequences_give_no_server_errors(fuzzed: ClinicServer, tokens: dict[str, str]) -> None:
    schema = schemathesis.openapi.from_url(f"{fuzzed.url}/openapi.json").exclude(
        path_regex=r"(/stream|/auth/logout)$"
    )
    # The staff write flows first, on their own, so the runs get deep enough to edit what they
    # created (create → edit → edit again, attendance, feedback).
    flows = schema.include(
        path_regex=r"^/v1/staff/(patients(/\{patient_id\}/(schedule|schedule/pattern|assignments))?"
        r"|schedule/.*|assignments/.*)$"
    ).exclude(method="POST", path="/v1/staff/patients")  # new patients have no schedule to edit
    staff = _run_linked(flows, fuzzed.url, tokens, examples=40)
    for operation in (
        "PATCH /v1/staff/schedule/{item_id}",
        "PUT /v1/staff/schedule/{item_id}/attendance",
        "POST /v1/staff/assignments/{assignment_id}/feedback",
    ):
        assert staff[operation] >= 1, staff  # reached with an id a link supplied (not a 404)
    # Then every operation (patients, family and staff together, links inferred ones included).
    everything = _run_linked(schema, fuzzed.url, tokens, examples=25)
    assert sum(everything.values()) >= 100, everything


def _run_linked(schema: Any, url: str, tokens: dict[str, str], examples: int) -> Counter[str]:
    """Run the links state machine; how often each operation answered something other than 404."""
    machine = schema.as_state_machine()
    assert schema.statistic.transitions.total >= 20  # the links are there to follow
    reached: Counter[str] = Counter()

    class Workflow(machine):  # type: ignore[misc, valid-type]
        def get_call_kwargs(self, case: Any) -> dict[str, Any]:
            role = "staff" if case.path.startswith("/v1/staff") else "patient"
            return {"base_url": url, "headers": {"Authorization": f"Bearer {tokens[role]}"}, "timeout": 30}

        def validate_response(
            self, response: Any, case: Any, additional_checks: Any = None, **kwargs: Any
        ) -> None:
            if response.status_code != 404:
                reached[f"{case.method} {case.path}"] += 1
            case.validate_response(
                response,
                checks=[not_a_server_error, response_schema_conformance, content_type_conformance],
                transport_kwargs=kwargs,
            )

    Workflow.run(
        settings=settings(
            max_examples=examples,
            stateful_step_count=8,
            derandomize=True,  # the same sequences every run: a bounded run that does not flake
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
        )
    )
    return reached


# -- hostile headers: every operation × headers an attacker (or a broken proxy) sends ---------------

DUMMY_ID = "00000000-0000-4000-8000-000000000000"


@dataclass(frozen=True)
class Hostile:
    name: str
    headers: list[tuple[bytes, bytes]]
    body: bytes | None = None  # None: the operation's ordinary body
    replaces_auth: bool = False  # sent instead of the caller's valid Authorization
    framing: bool = False  # broken HTTP framing: the HTTP server itself may answer (or drop)
    content_length: bytes | None = None  # sent instead of the true one


def _hostile() -> list[Hostile]:
    key = str(uuid.uuid4()).encode()
    return [
        Hostile("last-event-id superscript two", [(b"Last-Event-ID", b"\xb2")]),
        Hostile("last-event-id arabic-indic digit", [(b"Last-Event-ID", "٣".encode())]),
        Hostile("last-event-id fullwidth digits", [(b"Last-Event-ID", "１２".encode())]),
        Hostile("last-event-id huge", [(b"Last-Event-ID", b"9" * 4000)]),
        Hostile("last-event-id negative", [(b"Last-Event-ID", b"-1")]),
        Hostile("idempotency-key huge", [(b"Idempotency-Key", b"k" * 7000)]),
        Hostile(
            "idempotency-key twice",
            [(b"Idempotency-Key", key), (b"Idempotency-Key", str(uuid.uuid4()).encode())],
        ),
        Hostile("idempotency-key same twice", [(b"Idempotency-Key", key), (b"Idempotency-Key", key)]),
        Hostile("idempotency-key non-ascii", [(b"Idempotency-Key", "ключ-²".encode())]),
        Hostile("idempotency-key empty", [(b"Idempotency-Key", b"")]),
        Hostile("json declared, xml sent", [(b"Content-Type", b"application/json")], body=b"<a>1</a>"),
        Hostile("json sent as text/plain", [(b"Content-Type", b"text/plain")]),
        Hostile("json sent as multipart", [(b"Content-Type", b"multipart/form-data; boundary=zz")]),
        Hostile("json sent as form", [(b"Content-Type", b"application/x-www-form-urlencoded")]),
        Hostile("utf-16 declared", [(b"Content-Type", b"application/json; charset=utf-16")]),
        Hostile("content-type garbage", [(b"Content-Type", b"\xff/\xfe;;=")]),
        Hostile("content-type control bytes", [(b"Content-Type", b"\x01/x")], framing=True),
        Hostile("body not utf-8", [(b"Content-Type", b"application/json")], body=b'{"a": "\xff\xfe"}'),
        Hostile("content-length short", [], content_length=b"1", framing=True),
        Hostile("content-length long", [], content_length=b"4096", framing=True),
        Hostile("content-length negative", [], content_length=b"-5", framing=True),
        Hostile("content-length not a number", [], content_length=b"12abc", framing=True),
        Hostile("content-length twice, differing", [(b"Content-Length", b"0")], framing=True),
        Hostile("chunked declared, not chunked", [(b"Transfer-Encoding", b"chunked")], framing=True),
        Hostile("control bytes in a header", [(b"User-Agent", b"\x1b[31m\x07\x08\x7f")], framing=True),
        Hostile("NUL in a header", [(b"X-Note", b"a\x00b")], framing=True),
        Hostile("oversized header", [(b"X-Big", b"x" * 100_000)], framing=True),
        Hostile("many headers", [(f"X-H-{i}".encode(), b"v") for i in range(300)], framing=True),
        Hostile("auth: basic", [(b"Authorization", b"Basic dXNlcjpwYXNz")], replaces_auth=True),
        Hostile("auth: bearer, no token", [(b"Authorization", b"Bearer")], replaces_auth=True),
        Hostile("auth: bearer, spaces", [(b"Authorization", b"Bearer     ")], replaces_auth=True),
        Hostile("auth: three parts", [(b"Authorization", b"Bearer a b c")], replaces_auth=True),
        Hostile("auth: unknown scheme", [(b"Authorization", b"Digest username=x")], replaces_auth=True),
        Hostile("auth: non-ascii", [(b"Authorization", b"Bearer \xff\xfe\xb2")], replaces_auth=True),
        Hostile(
            "auth: control bytes", [(b"Authorization", b"Bearer \x01\x02")], replaces_auth=True, framing=True
        ),
        Hostile("auth: huge", [(b"Authorization", b"Bearer " + b"A" * 12000)], replaces_auth=True),
        Hostile(
            "auth: twice",
            [(b"Authorization", b"Bearer nope"), (b"Authorization", b"Bearer nope2")],
            replaces_auth=True,
        ),
    ]


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes


def _send(
    port: int,
    method: str,
    path: str,
    headers: list[tuple[bytes, bytes]],
    body: bytes,
    half_close: bool,
    timeout: float = 5.0,
) -> Answer | None:
    """One request over a fresh connection, bytes exactly as given (httpx would refuse some)."""
    head = f"{method} {path} HTTP/1.1\r\n".encode() + b"Host: 127.0.0.1\r\nConnection: close\r\n"
    head += b"".join(name + b": " + value + b"\r\n" for name, value in headers) + b"\r\n"
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        try:
            sock.sendall(head + body)
            if half_close:  # framing that announces more than is sent: the server must not wait for it
                sock.shutdown(socket.SHUT_WR)
        except OSError:
            pass  # the server may close as soon as it has read enough to refuse
        data = b""
        try:
            while b"\r\n\r\n" not in data or not _complete(data):
                chunk = sock.recv(65536)
                if not chunk:
                    break
                data += chunk
        except (TimeoutError, ConnectionResetError):
            pass
    if b"\r\n\r\n" not in data:
        return None
    raw_head, _, rest = data.partition(b"\r\n\r\n")
    status_line, *lines = raw_head.decode("latin-1").split("\r\n")
    parsed = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines)}
    return Answer(int(status_line.split()[1]), parsed, rest)


def _complete(data: bytes) -> bool:
    head, _, rest = data.partition(b"\r\n\r\n")
    text = head.decode("latin-1").lower()
    if "content-type: text/event-stream" in text:
        return True  # a stream that opened: enough
    for line in text.split("\r\n"):
        if line.startswith("content-length:"):
            return len(rest) >= int(line.split(":", 1)[1])
    return False


def _is_problem(answer: Answer) -> bool:
    return answer.headers.get("content-type", "").startswith("application/problem+json")


def _operations(server: ClinicServer) -> list[tuple[str, str, bool]]:
    """(method, path with ids filled, has a body) of every operation /openapi.json publishes."""
    document = httpx.get(f"{server.url}/openapi.json", timeout=10).json()
    out = []
    for path, item in document["paths"].items():
        for method, operation in item.items():
            filled = re.sub(r"\{[^}]+\}", DUMMY_ID, path)
            out.append((method.upper(), filled, "requestBody" in operation))
    return out


def test_hostile_headers_on_every_operation_give_no_server_errors(
    fuzzed: ClinicServer, tokens: dict[str, str]
) -> None:
    operations = _operations(fuzzed)
    assert len(operations) >= 30
    port = int(fuzzed.url.rsplit(":", 1)[1])
    failures = []
    for method, path, has_body in operations:
        role = "staff" if path.startswith("/v1/staff") else "patient"
        # A valid token on logout would sign the run out; it gets only the hostile Authorizations.
        valid = [] if path.endswith("/logout") else [(b"Authorization", f"Bearer {tokens[role]}".encode())]
        ordinary = json.dumps({"created_at": datetime.now(UTC).isoformat()}).encode() if has_body else b""
        for hostile in _hostile():
            body = ordinary if hostile.body is None else hostile.body
            headers = list(hostile.headers) if hostile.replaces_auth else [*valid, *hostile.headers]
            if not any(name.lower() == b"content-type" for name, _ in headers) and body:
                headers.append((b"Content-Type", b"application/json"))
            length = hostile.content_length or str(len(body)).encode()
            if body or hostile.content_length or method in ("POST", "PUT", "PATCH"):
                headers.append((b"Content-Length", length))
            answer = _send(port, method, path, headers, body, half_close=hostile.framing)
            where = f"{method} {path} [{hostile.name}]"
            if answer is None:
                if not hostile.framing:
                    failures.append(f"{where}: no answer")
                continue
            if answer.status >= 500:
                failures.append(f"{where}: {answer.status} {answer.body[:200]!r}")
            elif answer.status >= 400 and not hostile.framing and not _is_problem(answer):
                failures.append(f"{where}: {answer.status} not problem+json: {answer.body[:200]!r}")
    assert httpx.get(f"{fuzzed.url}/v1/health", timeout=10).status_code == 200
    assert not failures, "\n".join(failures[:40]) + f"\n({len(failures)} in all)"
