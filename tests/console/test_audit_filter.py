"""The audit screen's one filter field: patient name, person or action, any case; one patient named
fetches that patient's whole history from the clinic."""

from __future__ import annotations

from datetime import UTC, datetime

from console.models import AuditEntry, Patient
from console.ui.audit import matching, only_patient

AT = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
PATIENTS = (Patient("a", "Alex Rivera", None, None), Patient("m", "Morgan Blake", None, None))
NAMES = {p.id: p.display_name for p in PATIENTS}
ENTRIES = [
    AuditEntry(1, "s", "staff", "a", "staff.checkins.read", AT),
    AuditEntry(2, "s", "staff", "m", "staff.schedule.read", AT),
    AuditEntry(3, "a", "patient", "a", "sync.pull", AT),
]


def labels(e: AuditEntry) -> tuple[str, ...]:
    return (NAMES.get(e.patient_id or "", ""), "Sam Ortiz" if e.actor_id == "s" else "", e.action)


def test_the_filter_matches_patient_person_or_action_in_any_case() -> None:
    assert [e.id for e in matching(ENTRIES, "", labels)] == [1, 2, 3]
    assert [e.id for e in matching(ENTRIES, "  alex ", labels)] == [1, 3]
    assert [e.id for e in matching(ENTRIES, "CHECKINS", labels)] == [1]
    assert [e.id for e in matching(ENTRIES, "sam", labels)] == [1, 2]
    assert matching(ENTRIES, "nobody", labels) == []


def test_one_patient_named_is_fetched_whole_several_or_none_are_not() -> None:
    assert only_patient(PATIENTS, "alex") == "a"
    assert only_patient(PATIENTS, "Blake") == "m"
    assert only_patient(PATIENTS, "r") == ""  # both names have an r
    assert only_patient(PATIENTS, "") == ""
    assert only_patient(PATIENTS, "checkins") == ""
