"""Plain dataclasses shared by every layer of the app; they import nothing from app.*."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from app.domain.zones import DEFAULT_TIMEZONE

JSON = dict[str, Any]  # a JSON object as decoded: the wire's and the store's sealed payloads


class SessionKind(enum.StrEnum):
    CHECK_IN = "check_in"
    PROCESS_GROUP = "process_group"
    INDIVIDUAL_COUNSELLING = "individual_counselling"
    EDUCATION_CLASS = "education_class"
    PSYCHIATRIST = "psychiatrist"
    PHYSICIAN_ASSISTANT = "physician_assistant"
    FAMILY_SESSION = "family_session"
    DRUG_TEST = "drug_test"
    LUNCH = "lunch"
    ACTIVITY = "activity"
    SESSION = "session"  # what a family member sees when only times are shared


class SessionStatus(enum.StrEnum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"
    MOVED = "moved"


class RsvpResponse(enum.StrEnum):
    GOING = "going"
    LATE = "late"
    CANNOT = "cannot"


class AssignmentStatus(enum.StrEnum):
    TODO = "todo"
    DONE = "done"


class MutationType(enum.StrEnum):
    """The one list of changes the app makes (docs/api.md, "Push"); payloads in app.api.mutations."""

    RSVP_SET = "rsvp.set"
    ASSIGNMENT_COMPLETE = "assignment.complete"
    ASSIGNMENT_REOPEN = "assignment.reopen"
    COPING_PLAN_UPDATE = "coping_plan.update"
    SUPPORT_ALERT_RAISE = "support_alert.raise"
    CHECKIN_SUBMIT = "checkin.submit"


class AlertState(enum.StrEnum):
    """What the patient sees of a support alert."""

    QUEUED = "queued"  # in the durable outbox, not yet accepted by the clinic
    SENT = "sent"  # the clinic has it
    SEEN = "seen"  # a staff member acknowledged it


class ShareScope(enum.StrEnum):
    TIMES = "times"
    DETAILS = "details"
    FAMILY_SESSIONS = "family_sessions"


class Role(enum.StrEnum):
    PATIENT = "patient"
    FAMILY = "family"
    STAFF = "staff"


@dataclass(frozen=True, slots=True)
class CrisisLines:
    lifeline: str = "988"
    samhsa: str = "18006624357"
    crisis_text_number: str = "741741"
    crisis_text_keyword: str = "HOME"
    emergency: str = "911"


@dataclass(frozen=True, slots=True)
class Clinic:
    id: str
    name: str
    timezone: str
    phone: str
    response_minutes: int = 30
    lines: CrisisLines = field(default_factory=CrisisLines)
    answer_channel: str = "call"  # how the care team answers a support alert: "call" or "text"
    answer_phone: str | None = None  # ...and from which number


@dataclass(frozen=True, slots=True)
class Patient:
    id: str
    display_name: str
    counselor_name: str | None = None
    counselor_phone: str | None = None


@dataclass(frozen=True, slots=True)
class Enrolment:
    id: str
    program_name: str
    start_date: date
    planned_weeks: int
    days_per_week: int = 3

    def week_number(self, today: date) -> int:
        """The program week `today` falls in, 1-based and clamped to the plan."""
        return max(1, min(self.planned_weeks, (today - self.start_date).days // 7 + 1))


@dataclass(frozen=True, slots=True)
class ScheduleItem:
    id: str
    kind: SessionKind
    starts_at: datetime
    ends_at: datetime
    status: SessionStatus = SessionStatus.SCHEDULED
    title: str | None = None
    location: str | None = None
    video_url: str | None = None
    staff_name: str | None = None
    moved_from: datetime | None = None
    note: str | None = None
    share_id: str | None = None  # set on a family member's device only


@dataclass(frozen=True, slots=True)
class Rsvp:
    schedule_item_id: str
    response: RsvpResponse
    note: str = ""
    updated_at: datetime | None = None
    pending: bool = False  # still in the outbox


@dataclass(frozen=True, slots=True)
class Attendance:
    schedule_item_id: str
    attended: bool


@dataclass(frozen=True, slots=True)
class Assignment:
    id: str
    title: str
    modality: str
    instructions: str
    due_at: datetime | None
    status: AssignmentStatus = AssignmentStatus.TODO
    response: str = ""
    completed_at: datetime | None = None
    feedback: str | None = None
    feedback_by: str | None = None
    feedback_at: datetime | None = None
    pending: bool = False  # a local change is still in the outbox


COPING_STEPS: tuple[str, ...] = (
    "warning_signs",
    "on_my_own",
    "distractions",
    "people_to_ask",
    "professionals",
    "safe_surroundings",
)


@dataclass(frozen=True, slots=True)
class CopingPlan:
    """The six Stanley-Brown steps adapted to relapse, plus reasons for recovery."""

    warning_signs: tuple[str, ...] = ()
    on_my_own: tuple[str, ...] = ()
    distractions: tuple[str, ...] = ()
    people_to_ask: tuple[str, ...] = ()
    professionals: tuple[str, ...] = ()
    safe_surroundings: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()
    pending: bool = False


@dataclass(frozen=True, slots=True)
class SupportAlert:
    id: str
    created_at: datetime
    state: AlertState
    acknowledged_by: str | None = None
    acknowledged_at: datetime | None = None
    expected_response_by: datetime | None = None
    repeated: bool = False  # as raise_support_alert's answer: this tap was that same alert again
    escalation_step: int = 0  # nobody answered in time: the clinic alerted its on-call people (1, 2, …)


@dataclass(frozen=True, slots=True)
class Share:
    id: str
    recipient_name: str
    relationship: str
    scope: ShareScope
    purpose: str
    expires_at: datetime
    status: str
    invitation_code: str | None = None
    invitation_expires_at: datetime | None = None
    accepted_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class SharedPatient:
    """On a family member's device: one patient who shares with them."""

    share_id: str
    patient_display_name: str
    scope: ShareScope
    purpose: str
    expires_at: datetime
    notice: str
    timezone: str = DEFAULT_TIMEZONE  # the clinic's IANA zone; records from before it was sent lack it


# The problems that mean the clinic is out of reach: the status then says "Offline" and nothing more.
OFFLINE_PROBLEMS = ("sync.offline", "sync.connection_lost")


@dataclass(frozen=True, slots=True)
class SyncStatus:
    """What the UI shows in its one-line sync status."""

    online: bool = False
    syncing: bool = False
    last_synced: datetime | None = None
    pending: int = 0
    problem: str | None = None  # a message key the UI translates, never str(exc)
    next_try: datetime | None = None  # after a failed round: when the next one is due on its own
