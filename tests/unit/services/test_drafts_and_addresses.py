"""What the patient writes is kept until sent (sealed, across restarts); a non-clinic address is named."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from app.secrets.memory import MemorySecretStore
from app.services.patient import CoreServices
from app.services.ports import SignInError
from tests.unit.sync.fake_clinic import FakeClinic

URL = "http://127.0.0.1:9"
NOW = datetime(2026, 3, 1, 15, 0, tzinfo=UTC)
DRAFT = "Payday; an old friend texting; a sleepless night"


@pytest.fixture
def clinic() -> FakeClinic:
    fake = FakeClinic()
    fake.seed_week()
    return fake


def build(tmp_path: Path, secrets: MemorySecretStore, transport: object) -> CoreServices:
    return CoreServices(tmp_path, secrets, transport=transport, clock=lambda: NOW, pin_kdf_n=2**10)


@pytest.fixture
async def services(tmp_path: Path, clinic: FakeClinic) -> AsyncIterator[CoreServices]:
    core = build(tmp_path, MemorySecretStore(), clinic.transport())
    yield core
    await core.close()


async def test_an_assignment_draft_survives_a_restart_sealed_and_goes_once_sent(
    services: CoreServices, clinic: FakeClinic, tmp_path: Path
) -> None:
    await services.account.sign_in_with_password(URL, "alex", "waypoint-demo")
    await services.assignments.save_draft("a1", "Payday")
    await services.assignments.save_draft("a1", DRAFT)  # the latest text wins
    assert await services.assignments.drafts() == {"a1": DRAFT}
    secrets = services.core.secrets
    assert isinstance(secrets, MemorySecretStore)
    await services.close()

    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert b"old friend" not in path.read_bytes(), path.name  # sealed at rest

    again = build(tmp_path, secrets, clinic.transport())
    try:
        assert await again.assignments.drafts() == {"a1": DRAFT}  # the app was closed and opened
        await again.assignments.complete_assignment("a1", DRAFT)
        assert await again.assignments.drafts() == {}  # in the outbox now: the draft's job is done
    finally:
        await again.close()


async def test_an_emptied_draft_is_forgotten(services: CoreServices) -> None:
    await services.account.sign_in_with_password(URL, "alex", "waypoint-demo")
    await services.assignments.save_draft("a1", DRAFT)
    await services.assignments.save_draft("a1", "")
    assert await services.assignments.drafts() == {}


async def test_sign_out_erases_drafts_with_everything_else(services: CoreServices) -> None:
    await services.account.sign_in_with_password(URL, "alex", "waypoint-demo")
    await services.assignments.save_draft("a1", DRAFT)
    await services.account.sign_out()
    await services.account.sign_in_with_password(URL, "alex", "waypoint-demo")
    assert await services.assignments.drafts() == {}


def web_site(request: httpx.Request) -> httpx.Response:
    """Any web server that is not a clinic: an HTML page, or an HTML 404 for the API's paths."""
    page = b"<!doctype html><title>Welcome</title><p>Our web site</p>"
    status = 200 if request.url.path == "/" else 404
    return httpx.Response(status, content=page, headers={"content-type": "text/html"})


def json_elsewhere(request: httpx.Request) -> httpx.Response:
    """Another JSON API: 200 with a body that is not a token answer."""
    return httpx.Response(200, json={"hello": "world"})


def method_not_allowed(request: httpx.Request) -> httpx.Response:
    return httpx.Response(405, content=b"Method Not Allowed", headers={"content-type": "text/plain"})


@pytest.mark.parametrize("handler", [web_site, json_elsewhere, method_not_allowed])
@pytest.mark.parametrize("way_in", ["password", "code"])
async def test_an_address_that_is_not_a_waypoint_clinic_is_named_so(
    tmp_path: Path, handler: object, way_in: str
) -> None:
    services = build(tmp_path, MemorySecretStore(), httpx.MockTransport(handler))  # type: ignore[arg-type]
    try:
        account = services.account
        attempt = (
            account.sign_in_with_password(URL, "alex", "waypoint-demo")
            if way_in == "password"
            else account.sign_in_with_code(URL, "K7P-4QX-9MD")
        )
        with pytest.raises(SignInError) as err:
            await attempt
        assert err.value.code == "auth.not_a_clinic"
    finally:
        await services.close()


async def test_a_clinic_that_refuses_still_says_why(services: CoreServices) -> None:
    with pytest.raises(SignInError) as err:
        await services.account.sign_in_with_password(URL, "alex", "wrong")
    assert err.value.code == "auth.invalid_credentials"  # a real problem answer is not "not a clinic"
