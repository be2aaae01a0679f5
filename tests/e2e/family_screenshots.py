"""Screenshots of the sharing screens (patient) and the family view, phone and laptop, light and dark.

Run: scripts/with-keyring .venv/bin/python -m tests.e2e.family_screenshots   (real clinic, two apps, Chromium)
Writes docs/screenshots/<screen>-{phone,laptop}-{light,dark}.png for the sharing screen, the
invitation form and code, the family home and the family week.
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from playwright.sync_api import Browser

from tests.e2e.conftest import sign_in
from tests.support.app_server import AppServer
from tests.support.browser import LAPTOP, PHONE, AppPage, chromium
from tests.support.clinic_server import ClinicServer

OUT = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
SIZES = {"phone": PHONE, "laptop": LAPTOP}


LOADING_PNG_BYTES = 10_000  # the Flet client's near-blank "Working..." overlay compresses below this


def shoot(page: AppPage, name: str, size: str, theme: str) -> None:
    """Shoot, and again while the picture is only the "Working..." overlay, which the Flet client
    can flash for up to ~2 s after the first frame (seen with the patient app too)."""
    page.page.mouse.move(1, 1)  # no hover tooltips in the picture
    path = OUT / f"{name}-{size}-{theme}.png"
    for _ in range(20):
        page.screenshot(path)
        if path.stat().st_size > LOADING_PNG_BYTES:
            return
    raise AssertionError(f"{path.name}: the app never finished loading")


def each_look(browser: Browser, url: str, visit: Callable[[AppPage, str, str], None]) -> None:
    for size, viewport in SIZES.items():
        for theme in ("light", "dark"):
            page = AppPage.open(browser, url, viewport, dark=theme == "dark")
            try:
                visit(page, size, theme)
            finally:
                page.close()


def invite_by_api(clinic: ClinicServer) -> tuple[str, str]:
    """A share with titles and places, made straight through the API: (share id, invitation code)."""
    body = {
        "recipient_name": "Sam Rivera",
        "relationship": "brother",
        "scope": "details",
        "purpose": "Rides to my sessions",
        "expires_at": (datetime.now(UTC) + timedelta(days=90)).isoformat(),
    }
    headers = {"Authorization": f"Bearer {clinic.patient_token()}"}
    answer = httpx.post(f"{clinic.url}/v1/shares", json=body, headers=headers, timeout=10)
    answer.raise_for_status()
    created = answer.json()
    return str(created["share"]["id"]), str(created["invitation_code"])


def join(page: AppPage, code: str) -> None:
    page.tap_until("sign-in-family", "family-code")
    page.fill("family-code", code)
    page.fill("family-name", "Sam")
    page.fill("family-username", "sam-rivera")
    page.fill("family-password", "family-pass-shots")
    page.tap("family-submit")
    page.wait_id("family-home")


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, chromium() as browser:
        root = Path(tmp)
        with ClinicServer(root / "clinic") as clinic:
            share_id, code = invite_by_api(clinic)
            with (
                AppServer(root / "patient", clinic_url=clinic.url, sync_interval=5) as patient_app,
                AppServer(root / "family", clinic_url=clinic.url, sync_interval=5) as family_app,
            ):
                first = AppPage.open(browser, family_app.url, LAPTOP)
                join(first, code)
                first.close()
                first = AppPage.open(browser, patient_app.url, LAPTOP)
                sign_in(first)
                first.close()

                def sharing(page: AppPage, size: str, theme: str) -> None:
                    page.tap_until("nav-sharing", f"share-{share_id}")
                    shoot(page, "sharing", size, theme)

                def inviting(page: AppPage, size: str, theme: str) -> None:
                    page.tap_until("nav-sharing", "create-invite")
                    page.tap_until("create-invite", "invite-name")
                    page.fill("invite-name", "Pat Rivera")
                    page.fill("invite-relationship", "partner")
                    page.fill("invite-purpose", "Childcare on session days")
                    shoot(page, "sharing-invite", size, theme)
                    page.tap_until("invite-submit", "invite-code")
                    shoot(page, "sharing-code", size, theme)

                def family(page: AppPage, size: str, theme: str) -> None:
                    page.wait_id(f"family-patient-{share_id}")
                    shoot(page, "family-home", size, theme)
                    page.tap_until(f"family-patient-{share_id}", "family-week-next")
                    shoot(page, "family-week", size, theme)

                each_look(browser, patient_app.url, sharing)  # before more invitations fill the list
                each_look(browser, patient_app.url, inviting)
                each_look(browser, family_app.url, family)
    print(f"screenshots in {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
