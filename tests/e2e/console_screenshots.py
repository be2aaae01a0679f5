"""Screenshots of the staff console at 1280×800 and 1920×1080 into docs/screenshots/console-*.png.

Run: scripts/with-keyring .venv/bin/python -m tests.e2e.console_screenshots   (real clinic and console)

The queue shows an unanswered alert (Morgan), an alert acknowledged with its outcome (Alex) and
an open check-in flag (Alex answered craving 9 and "contact me" today); Alex's sessions of the last
week are marked attended, one absent.
"""

from __future__ import annotations

import sys
import tempfile
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from tests.clinic.helpers import raise_alert
from tests.console.helpers import raise_flag
from tests.e2e.test_console import WIDE, console_sign_in
from tests.support.browser import LAPTOP, AppPage, chromium
from tests.support.clinic_server import DEMO_PATIENT_2, ClinicServer
from tests.support.console_server import ConsoleServer

OUT = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def stage(clinic: ClinicServer) -> None:
    """An acknowledged alert with an outcome, an open flag, then an unanswered alert on top."""
    alex = clinic.patient_token()
    acked = str(uuid.uuid4())
    assert raise_alert(clinic, alex, acked).status_code == 201
    answer = httpx.post(
        f"{clinic.url}/v1/staff/support-alerts/{acked}/ack",
        headers={"Authorization": f"Bearer {clinic.staff_token()}"},
        json={"outcome": "safe", "note": "Called back; staying with her sister tonight."},
    )
    answer.raise_for_status()
    raise_flag(clinic)
    # Attendance of Alex's sessions that have ended in the last week: all attended but one.
    now = datetime.now(UTC)
    ended = [
        i
        for i in clinic.schedule(clinic.patient_id("alex"))
        if now - timedelta(days=7) < datetime.fromisoformat(i["ends_at"]) < now and i["status"] != "cancelled"
    ]
    for n, item in enumerate(ended):
        httpx.put(
            f"{clinic.url}/v1/staff/schedule/{item['id']}/attendance",
            headers={"Authorization": f"Bearer {clinic.staff_token()}"},
            json={"status": "absent" if n == len(ended) - 2 else "attended"},
        ).raise_for_status()
    morgan = clinic.patient_token(*DEMO_PATIENT_2)
    assert raise_alert(clinic, morgan, str(uuid.uuid4())).status_code == 201


def shoot(page: AppPage, name: str) -> None:
    path = OUT / f"console-{name}.png"
    page.screenshot(path)
    print(f"wrote {path.relative_to(OUT.parents[1])}")


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp, ClinicServer(Path(tmp) / "clinic") as clinic:
        stage(clinic)
        alex = clinic.patient_id("alex")
        with ConsoleServer(Path(tmp), clinic.url) as console, chromium() as browser:
            for viewport in (LAPTOP, WIDE):
                size = str(viewport["width"])
                page = AppPage.open(browser, console.url, viewport)
                page.wait_id("console-sign-in")
                shoot(page, f"sign-in-{size}")
                page.close()
                page = console_sign_in(browser, console.url, viewport)
                page.wait_text("console-link", "Live")
                page.wait_screen("Morgan Blake")
                shoot(page, f"queue-{size}")
                page.button("Patients").first.click()
                page.wait_text(f"console-patient-{alex}", "This week")
                shoot(page, f"patients-{size}")
                page.tap(f"console-open-patient-{alex}")
                page.locator('[flt-semantics-identifier^="console-item-"]').first.wait_for()
                shoot(page, f"patient-{size}")
                page.button("Audit").first.click()
                page.wait_text("console-audit", r"\d+ entries")
                shoot(page, f"audit-{size}")
                page.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
