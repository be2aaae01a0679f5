"""Queue contents for console tests: an open check-in flag, raised the way the app raises one."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from tests.clinic.helpers import latest, mutate, mutation, sync_all
from tests.support.clinic_server import ClinicServer

DEMO_ZONE = ZoneInfo("America/New_York")


def raise_flag(clinic: ClinicServer) -> None:
    """Alex answers today's daily check-in with craving 9 and "contact me": one open flag, both reasons."""
    alex = clinic.patient_token()
    changes, _ = sync_all(clinic, alex)
    daily = next(
        c for c in latest(changes).values() if c["type"] == "questionnaire" and c["data"]["key"] == "daily"
    )
    today = datetime.now(DEMO_ZONE).date().isoformat()
    answers = {"craving": 9, "mood": 3, "confidence": 4, "used": False, "contact": True, "note": ""}
    payload = {
        "checkin_id": str(uuid.uuid4()),
        "questionnaire_id": daily["id"],
        "period": today,
        "answered_at": datetime.now(UTC).isoformat(),
        "answers": answers,
    }
    result = mutate(clinic, alex, mutation("checkin.submit", payload))[0]
    assert result["status"] == "applied", result
