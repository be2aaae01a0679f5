"""In-memory twins of the feature services over shared demo-like data, for UI-only tests and UI development.

Each twin implements one Protocol of app.services.ports; MemoryPatientServices composes them.
"""

from __future__ import annotations

import asyncio
import hashlib
import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from app.api.records import QuestionnaireRecord
from app.domain.alerts import repeat_of
from app.domain.calendar import CalendarDownload, CalendarFeed, FeedList, FeedOptions
from app.domain.checkins import Answers, CheckIn, Questionnaire, clinic_day, current
from app.domain.model import (
    AlertState,
    Assignment,
    AssignmentStatus,
    Attendance,
    Clinic,
    CopingPlan,
    Enrolment,
    Patient,
    Role,
    Rsvp,
    RsvpResponse,
    ScheduleItem,
    SessionKind,
    SessionStatus,
    Share,
    SharedPatient,
    ShareScope,
    SupportAlert,
    SyncStatus,
)
from app.domain.reminders import DueReminders, due_reminders
from app.services.checkins import questionnaire
from app.services.ports import (
    Account,
    CheckInOverview,
    EndedShare,
    Overview,
    PinResult,
    Preferences,
    RejectedChange,
    ServiceError,
    SignInError,
    SupportInfo,
)
from tests.support.checkin_data import DAILY, PHQ2

TZ = ZoneInfo("America/New_York")
DEMO_CODE = "K7P-4QX-9MD"
MAX_PIN_ATTEMPTS = 5


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), TZ)


def _demo_sessions(monday: date) -> list[ScheduleItem]:
    items: list[ScheduleItem] = []
    for offset, week in ((-7, "a"), (0, "b"), (7, "c")):
        week_monday = monday + timedelta(days=offset)
        for day_index in (0, 2, 3):
            day = week_monday + timedelta(days=day_index)
            key = f"{week}{day_index}"
            items += [
                ScheduleItem(
                    f"ci-{key}",
                    SessionKind.CHECK_IN,
                    _at(day, 9),
                    _at(day, 9, 30),
                    title="Morning check-in",
                    location="Room 2",
                    staff_name="Jordan Lee",
                ),
                ScheduleItem(
                    f"pg-{key}",
                    SessionKind.PROCESS_GROUP,
                    _at(day, 9, 30),
                    _at(day, 11),
                    title="Process group",
                    location="Room 2",
                    staff_name="Jordan Lee",
                ),
                ScheduleItem(
                    f"ed-{key}",
                    SessionKind.EDUCATION_CLASS,
                    _at(day, 11),
                    _at(day, 12),
                    title="Relapse prevention class",
                    location="Room 5",
                ),
                ScheduleItem(f"lu-{key}", SessionKind.LUNCH, _at(day, 12), _at(day, 12, 30), title="Lunch"),
            ]
        tuesday = week_monday + timedelta(days=1)
        items.append(
            ScheduleItem(
                f"ps-{week}",
                SessionKind.PSYCHIATRIST,
                _at(tuesday, 14),
                _at(tuesday, 14, 45),
                title="Psychiatrist visit",
                video_url="https://clinic.example/v/ps",
                staff_name="Dr. Rivera",
            )
        )
    moved = next(i for i in items if i.id == "ed-b3")
    items[items.index(moved)] = replace(
        moved,
        status=SessionStatus.MOVED,
        moved_from=moved.starts_at,
        starts_at=moved.starts_at + timedelta(hours=2),
        ends_at=moved.ends_at + timedelta(hours=2),
    )
    cancelled = next(i for i in items if i.id == "ed-b2")
    items[items.index(cancelled)] = replace(cancelled, status=SessionStatus.CANCELLED)
    return sorted(items, key=lambda i: i.starts_at)


class Demo:
    """The data every twin shares; `online` decides whether sync_now and create_share reach the 'clinic'."""

    def __init__(self, clock: Callable[[], datetime], *, signed_in: bool) -> None:
        self.clock = clock
        self.online = True
        now_local = clock().astimezone(TZ)
        monday = now_local.date() - timedelta(days=now_local.weekday())
        self.clinic = Clinic("c1", "Riverside Recovery", "America/New_York", "+16175550100", 30)
        self.patient = Patient("p1", "Alex", "Jordan Lee", "+16175550123")
        self.enrolment = Enrolment("e1", "Intensive Outpatient Program", monday - timedelta(weeks=4), 12)
        self.sessions = _demo_sessions(monday)
        due = _at(now_local.date() + timedelta(days=2), 17)
        self.assignments: dict[str, Assignment] = {
            "as-1": Assignment(
                "as-1",
                "Trigger diary",
                "CBT",
                "Write down **three** situations this week that made you want to use.\n\n"
                "- What happened?\n- What did you feel?\n- What did you do instead?",
                due,
            ),
            "as-2": Assignment(
                "as-2",
                "Letter to future me",
                "Motivational enhancement",
                "Write a short letter to yourself one year from now.",
                due + timedelta(days=5),
            ),
        }
        self.attendance = {i.id: Attendance(i.id, True) for i in self.sessions if i.ends_at < clock()}
        self.rsvps: dict[str, Rsvp] = {}
        self.plan = CopingPlan(
            warning_signs=("Skipping meals",), on_my_own=("Walk around the block",), reasons=("My daughter",)
        )
        self.alerts: list[SupportAlert] = []
        self.account = Account(Role.PATIENT, "p1", "Alex", "https://clinic.example") if signed_in else None
        self.pending = 0
        self.rejected: list[RejectedChange] = []
        self.last_synced: datetime | None = None
        self.listeners: list[Callable[[], None]] = []

    def changed(self) -> None:
        self.pending += 1
        self.notify()

    def notify(self) -> None:
        for listener in list(self.listeners):
            listener()


class MemoryAccounts:
    def __init__(self, demo: Demo) -> None:
        self.demo = demo

    async def current_account(self) -> Account | None:
        return self.demo.account

    def _check_url(self, server_url: str) -> None:
        if not server_url.startswith("https://") and not any(
            h in server_url for h in ("127.0.0.1", "localhost")
        ):
            raise SignInError("auth.https_required")
        if not self.demo.online:
            raise SignInError("network.unreachable")

    async def sign_in_with_code(self, server_url: str, code: str) -> Account:
        self._check_url(server_url)
        if code.strip().upper() != DEMO_CODE:
            raise SignInError(
                "auth.code_expired" if code.strip().upper() == "EXPIRED" else "auth.code_invalid"
            )
        self.demo.account = Account(Role.PATIENT, "p1", "Alex", server_url)
        return self.demo.account

    async def sign_in_with_password(self, server_url: str, username: str, password: str) -> Account:
        self._check_url(server_url)
        if (username, password) != ("alex", "waypoint-demo"):
            raise SignInError("auth.invalid_credentials")
        self.demo.account = Account(Role.PATIENT, "p1", "Alex", server_url)
        return self.demo.account

    async def sign_out(self) -> None:
        self.demo.account = None
        self.demo.notify()

    async def sign_up_family(
        self, server_url: str, invitation_code: str, display_name: str, username: str, password: str
    ) -> Account:
        raise SignInError("auth.code_invalid")  # the family side runs against the real clinic only

    async def sign_in_family(
        self, server_url: str, invitation_code: str, username: str, password: str
    ) -> Account:
        raise SignInError("auth.code_invalid")


class MemorySchedule:
    def __init__(self, demo: Demo) -> None:
        self.demo = demo

    async def overview(self, start: date, end: date) -> Overview:
        d = self.demo
        sessions = tuple(i for i in d.sessions if start <= i.starts_at.astimezone(TZ).date() <= end)
        return Overview(
            d.clinic, d.patient, d.enrolment, sessions, dict(d.rsvps), dict(d.attendance),
            tuple(d.assignments.values()),
        )  # fmt: skip

    async def set_rsvp(self, schedule_item_id: str, response: RsvpResponse, note: str) -> None:
        self.demo.rsvps[schedule_item_id] = Rsvp(
            schedule_item_id, response, note, self.demo.clock(), pending=True
        )
        self.demo.changed()

    async def rejected_changes(self) -> tuple[RejectedChange, ...]:
        return tuple(self.demo.rejected)

    async def dismiss_rejected(self, change_id: str) -> None:
        self.demo.rejected = [r for r in self.demo.rejected if r.id != change_id]
        self.demo.notify()


class MemoryAssignments:
    def __init__(self, demo: Demo) -> None:
        self.demo = demo
        self.kept: dict[str, str] = {}

    async def assignments(self) -> tuple[Assignment, ...]:
        return tuple(self.demo.assignments.values())

    async def drafts(self) -> dict[str, str]:
        return dict(self.kept)

    async def save_draft(self, assignment_id: str, text: str) -> None:
        if text:
            self.kept[assignment_id] = text
        else:
            self.kept.pop(assignment_id, None)

    async def complete_assignment(self, assignment_id: str, response: str) -> None:
        current = self.demo.assignments[assignment_id]
        self.demo.assignments[assignment_id] = replace(
            current,
            status=AssignmentStatus.DONE,
            response=response,
            completed_at=self.demo.clock(),
            pending=True,
        )
        self.kept.pop(assignment_id, None)
        self.demo.changed()


class MemorySupport:
    def __init__(self, demo: Demo) -> None:
        self.demo = demo

    async def support_info(self) -> SupportInfo:
        d = self.demo
        return SupportInfo(d.clinic, d.patient, d.plan, tuple(reversed(d.alerts)))

    async def raise_support_alert(self) -> SupportAlert:
        latest = self.demo.alerts[-1] if self.demo.alerts else None
        if (repeated := repeat_of(latest, self.demo.clock())) is not None:
            return replace(repeated, repeated=True)  # as LocalSupport: a tap moments later is that alert
        alert = SupportAlert(str(uuid.uuid4()), self.demo.clock(), AlertState.QUEUED)
        self.demo.alerts.append(alert)
        self.demo.changed()
        return alert

    def acknowledge(self, staff_name: str) -> None:
        """Test hook: the clinic acknowledged every alert it has."""
        at = self.demo.clock()
        self.demo.alerts = [
            replace(a, state=AlertState.SEEN, acknowledged_by=staff_name, acknowledged_at=at)
            if a.state is AlertState.SENT
            else a
            for a in self.demo.alerts
        ]
        self.demo.notify()


class MemoryCoping:
    def __init__(self, demo: Demo) -> None:
        self.demo = demo

    async def coping_plan(self) -> CopingPlan:
        return self.demo.plan

    async def save_coping_plan(self, plan: CopingPlan) -> None:
        self.demo.plan = replace(plan, pending=True)
        self.demo.changed()


class MemoryCheckIns:
    """The daily check-in and PHQ-2 (Thursdays); an answer amends the period's check-in, as on the device."""

    def __init__(self, demo: Demo) -> None:
        self.demo = demo
        self.questionnaires: tuple[Questionnaire, ...] = (
            questionnaire("q-daily", QuestionnaireRecord.parse(DAILY)),
            questionnaire("q-phq2", QuestionnaireRecord.parse(PHQ2)),
        )
        self.checkins: dict[str, CheckIn] = {}
        self.submitted: list[tuple[str, str, dict[str, object]]] = []  # (checkin id, period, answers)

    async def overview(self) -> CheckInOverview:
        newest = sorted(self.checkins.values(), key=lambda c: (c.period, c.updated_at), reverse=True)
        return CheckInOverview(self.demo.clinic.timezone, self.questionnaires, tuple(newest))

    async def submit(self, questionnaire_id: str, answers: Answers) -> CheckIn:
        found = next((q for q in self.questionnaires if q.id == questionnaire_id), None)
        if found is None:
            raise ServiceError("checkin.questionnaire_unknown")
        if found.missing(answers):
            raise ServiceError("checkin.incomplete")
        now, tz = self.demo.clock(), self.demo.clinic.timezone
        earlier = current(found, self.checkins.values(), now, tz)
        checkin = CheckIn(
            earlier.id if earlier else str(uuid.uuid4()), found.id, found.period(clinic_day(now, tz)),
            found.cleaned(answers), earlier.submitted_at if earlier else now, now, found.score(answers),
            earlier.flag if earlier else None, pending=True,
        )  # fmt: skip
        self.checkins[checkin.id] = checkin
        self.submitted.append((checkin.id, checkin.period.isoformat(), dict(checkin.answers)))
        self.demo.changed()
        return checkin


class MemorySharing:
    """Sharing needs the clinic: the twin has no shares and cannot make one."""

    async def shares(self) -> tuple[Share, ...]:
        return ()

    async def create_share(
        self, recipient_name: str, relationship: str, scope: ShareScope, purpose: str, expires_at: datetime
    ) -> Share:
        raise ServiceError("network.offline")

    async def revoke_share(self, share_id: str) -> None:
        return None


class MemoryCalendar:
    """Calendar feeds need the clinic: the twin is always offline and has none."""

    async def feeds(self) -> FeedList:
        return FeedList((), offline=True)

    async def turn_on(self, options: FeedOptions, share_id: str | None = None) -> CalendarFeed:
        raise ServiceError("sync.offline")

    async def turn_off(self, feed_id: str) -> None:
        raise ServiceError("sync.offline")

    async def change(self, feed_id: str, options: FeedOptions) -> CalendarFeed:
        raise ServiceError("sync.offline")

    async def renew(self, feed_id: str) -> CalendarFeed:
        raise ServiceError("sync.offline")

    async def download(self, options: FeedOptions, share_id: str | None = None) -> CalendarDownload:
        raise ServiceError("sync.offline")


class MemoryReminders:
    """The same rules over the demo's sessions and assignments (the check-in nudge left out)."""

    def __init__(self, demo: Demo, device: MemoryDevice) -> None:
        self.demo = demo
        self.device = device

    async def due(self) -> DueReminders:
        d, now = self.demo, self.demo.clock()
        settings = self.device.prefs.reminders
        found = due_reminders(now, d.clinic.timezone, settings, d.sessions, d.assignments.values(), False)
        return DueReminders(now, found)


class MemoryFamily:
    """A patient's twin: nothing is shared with this device."""

    async def shared_patients(self) -> tuple[SharedPatient, ...]:
        return ()

    async def shared_week(self, share_id: str, start: date, end: date) -> tuple[ScheduleItem, ...]:
        return ()

    async def accept_invitation(self, invitation_code: str) -> SharedPatient:
        raise ServiceError("auth.forbidden")

    async def ended_shares(self) -> tuple[EndedShare, ...]:
        return ()

    async def dismiss_ended(self) -> None:
        return None


class MemoryDevice:
    def __init__(self, clock: Callable[[], datetime]) -> None:
        self.clock = clock
        self.prefs = Preferences()
        self._pin_hash: str | None = None
        self._attempts = 0

    async def preferences(self) -> Preferences:
        return self.prefs

    async def save_preferences(self, prefs: Preferences) -> None:
        self.prefs = prefs

    async def set_pin(self, pin: str) -> None:
        self._pin_hash, self._attempts = await asyncio.to_thread(_slow_hash, pin), 0
        self.prefs = replace(self.prefs, lock_enabled=True)

    async def verify_pin(self, pin: str) -> PinResult:
        if self._attempts >= MAX_PIN_ATTEMPTS:
            return PinResult(False, 0, self.clock() + timedelta(minutes=5))
        if self._pin_hash is not None and await asyncio.to_thread(_slow_hash, pin) == self._pin_hash:
            self._attempts = 0
            return PinResult(True, MAX_PIN_ATTEMPTS)
        self._attempts += 1
        left = MAX_PIN_ATTEMPTS - self._attempts
        return PinResult(False, left, self.clock() + timedelta(minutes=5) if left == 0 else None)

    async def clear_pin(self) -> None:
        self._pin_hash = None
        self.prefs = replace(self.prefs, lock_enabled=False)


class MemorySync:
    def __init__(self, demo: Demo) -> None:
        self.demo = demo

    async def sync_now(self) -> SyncStatus:
        d = self.demo
        if d.online:
            d.pending, d.last_synced = 0, d.clock()
            d.rsvps = {k: replace(v, pending=False) for k, v in d.rsvps.items()}
            d.assignments = {k: replace(v, pending=False) for k, v in d.assignments.items()}
            d.plan = replace(d.plan, pending=False)
            expected = timedelta(minutes=d.clinic.response_minutes)
            d.alerts = [
                replace(a, state=AlertState.SENT, expected_response_by=a.created_at + expected)
                if a.state is AlertState.QUEUED
                else a
                for a in d.alerts
            ]
        d.notify()
        return self.status()

    def status(self) -> SyncStatus:
        return SyncStatus(
            online=self.demo.online, last_synced=self.demo.last_synced, pending=self.demo.pending
        )

    def on_change(self, listener: Callable[[], None]) -> Callable[[], None]:
        self.demo.listeners.append(listener)
        return lambda: self.demo.listeners.remove(listener) if listener in self.demo.listeners else None


class MemoryPatientServices:
    """The twins composed as app.services.ports.PatientServices, over one Demo."""

    def __init__(self, clock: Callable[[], datetime] | None = None, *, signed_in: bool = False) -> None:
        self.demo = Demo(clock or (lambda: datetime.now(UTC)), signed_in=signed_in)
        self.account = MemoryAccounts(self.demo)
        self.schedule = MemorySchedule(self.demo)
        self.assignments = MemoryAssignments(self.demo)
        self.support = MemorySupport(self.demo)
        self.coping = MemoryCoping(self.demo)
        self.checkins = MemoryCheckIns(self.demo)
        self.sharing = MemorySharing()
        self.device = MemoryDevice(self.demo.clock)
        self.family = MemoryFamily()
        self.calendar = MemoryCalendar()
        self.reminders = MemoryReminders(self.demo, self.device)
        self.sync = MemorySync(self.demo)

    async def close(self) -> None:
        self.demo.listeners.clear()


def _slow_hash(pin: str) -> str:
    return hashlib.pbkdf2_hmac("sha256", pin.encode(), b"memory-twin", 50_000).hex()


def build_memory_services(data_dir: Path, **_: object) -> MemoryPatientServices:
    """Factory with the same shape as app.services.factory.build_services (data_dir is ignored)."""
    return MemoryPatientServices(signed_in=False)
