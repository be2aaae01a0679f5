"""The use cases the UI calls, as one small protocol per feature: the seam between app.state and the core.

The real implementations (app.services.*) read the encrypted store and queue
changes in the durable outbox; every read here is served from local data, so
the UI works with no network. Each screen's state takes the one protocol it
uses, so a test twin of it is a few lines. Writes return once the change is committed to
disk (the outbox), never after a network round trip.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Protocol

from app.domain.calendar import CalendarDownload, CalendarFeed, FeedList, FeedOptions
from app.domain.checkins import Answers, CheckIn, Questionnaire
from app.domain.model import (
    Assignment,
    Attendance,
    Clinic,
    CopingPlan,
    Enrolment,
    Patient,
    Role,
    Rsvp,
    RsvpResponse,
    ScheduleItem,
    Share,
    SharedPatient,
    ShareScope,
    SupportAlert,
    SyncStatus,
)
from app.domain.reminders import DEFAULT_CHECKIN_HOUR, DEFAULT_SESSION_MINUTES, DueReminders, ReminderSettings


@dataclass(frozen=True, slots=True)
class Account:
    role: Role
    account_id: str
    display_name: str
    server_url: str


@dataclass(frozen=True, slots=True)
class Overview:
    """Everything the Today and Week screens need, read from the local store."""

    clinic: Clinic | None
    patient: Patient | None
    enrolment: Enrolment | None
    sessions: tuple[ScheduleItem, ...]  # sorted by starts_at
    rsvps: dict[str, Rsvp] = field(default_factory=dict)  # by schedule item id
    attendance: dict[str, Attendance] = field(default_factory=dict)
    assignments: tuple[Assignment, ...] = ()


@dataclass(frozen=True, slots=True)
class SupportInfo:
    """The support screen, from local data only (no network on the way)."""

    clinic: Clinic | None
    patient: Patient | None
    coping_plan: CopingPlan
    alerts: tuple[SupportAlert, ...]  # newest first


@dataclass(frozen=True, slots=True)
class CheckInOverview:
    """The check-in screens, from the encrypted store with answers still in the outbox laid over."""

    timezone: str  # the clinic's IANA zone: days and periods are the clinic's
    questionnaires: tuple[Questionnaire, ...]  # the daily check-in first
    checkins: tuple[CheckIn, ...]  # newest period first


@dataclass(frozen=True, slots=True)
class Preferences:
    """Device settings, kept in the encrypted store; readable before sign-in."""

    language: str | None = None  # None: not chosen yet, negotiate from the device locale
    discreet: bool = False
    dark: bool | None = None  # None: follow the system
    lock_enabled: bool = False
    lock_after_seconds: int = 300
    # In-app reminders (app.domain.reminders): minutes before a session (0: off), the daily
    # check-in nudge and from which clinic hour, an assignment due tomorrow.
    session_reminder_minutes: int = DEFAULT_SESSION_MINUTES
    checkin_nudge: bool = True
    checkin_nudge_hour: int = DEFAULT_CHECKIN_HOUR
    assignment_reminder: bool = True

    @property
    def reminders(self) -> ReminderSettings:
        return ReminderSettings(
            self.session_reminder_minutes,
            self.checkin_nudge,
            self.checkin_nudge_hour,
            self.assignment_reminder,
        )


@dataclass(frozen=True, slots=True)
class PinResult:
    ok: bool
    attempts_left: int
    locked_until: datetime | None = None  # too many wrong PINs: wait until then


@dataclass(frozen=True, slots=True)
class RejectedChange:
    """A local change the clinic refused (conflict: the server's version won; or rejected).

    Kept and listed so the patient sees it; never dropped silently. `code` is a message key.
    """

    id: str
    kind: str  # a MutationType value (app.domain.model)
    target_id: str | None  # the schedule item / assignment / plan it was about
    status: str  # "conflict" | "rejected"
    code: str | None
    at: datetime | None


@dataclass(frozen=True, slots=True)
class EndedShare:
    """On a family member's device: a share that ended and was erased. No name is kept, by design."""

    share_id: str
    reason: str  # "revoked" | "expired"
    at: datetime | None


class SignInError(Exception):
    """Sign-in failed; `code` is a message key the UI translates."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


class ServiceError(Exception):
    """A use case failed; `code` is a message key the UI translates (never shown raw)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


class Accounts(Protocol):
    """Who is signed in on this device: the sign-in screen, the family join form, settings' sign-out."""

    async def current_account(self) -> Account | None: ...
    async def sign_in_with_code(self, server_url: str, code: str) -> Account: ...
    async def sign_in_with_password(self, server_url: str, username: str, password: str) -> Account: ...
    async def sign_out(self) -> None: ...  # wipes store, keys and tokens
    async def sign_up_family(
        self, server_url: str, invitation_code: str, display_name: str, username: str, password: str
    ) -> Account: ...  # creates the family account and accepts the invitation; raises SignInError
    async def sign_in_family(
        self, server_url: str, invitation_code: str, username: str, password: str
    ) -> Account: ...  # an existing family account accepts one more invitation; raises SignInError


class Schedule(Protocol):
    """The Today and Week screens: sessions, RSVPs, and the local edits the clinic refused."""

    async def overview(self, start: date, end: date) -> Overview: ...  # start..end inclusive, clinic days
    async def set_rsvp(self, schedule_item_id: str, response: RsvpResponse, note: str) -> None: ...
    async def rejected_changes(self) -> tuple[RejectedChange, ...]: ...  # refused local edits, oldest first
    async def dismiss_rejected(self, change_id: str) -> None: ...  # the patient has seen it


class Assignments(Protocol):
    async def assignments(self) -> tuple[Assignment, ...]: ...
    async def complete_assignment(self, assignment_id: str, response: str) -> None: ...  # drops its draft
    async def drafts(self) -> dict[str, str]: ...  # responses being written, by assignment id
    async def save_draft(self, assignment_id: str, text: str) -> None: ...  # sealed on disk; "" forgets


class Support(Protocol):
    """The support screen: local data only, and an alert that is durable before the UI hears of it."""

    async def support_info(self) -> SupportInfo: ...
    async def raise_support_alert(self) -> SupportAlert: ...  # returns once durable (QUEUED)


class CopingPlans(Protocol):
    async def coping_plan(self) -> CopingPlan: ...  # pending edits laid over what the clinic has
    async def save_coping_plan(self, plan: CopingPlan) -> None: ...


class CheckIns(Protocol):
    """Daily check-in and weekly questionnaires: read locally, answered through the outbox."""

    async def overview(self) -> CheckInOverview: ...
    async def submit(self, questionnaire_id: str, answers: Answers) -> CheckIn:
        """Returns once durable (pending); the period's check-in is amended (same id) if one exists.

        Raises ServiceError("checkin.incomplete") when a required answer is missing."""
        ...


class Sharing(Protocol):
    """The patient's shares with family; creating and revoking need the network."""

    async def shares(self) -> tuple[Share, ...]: ...
    async def create_share(
        self, recipient_name: str, relationship: str, scope: ShareScope, purpose: str, expires_at: datetime
    ) -> Share: ...  # raises ServiceError(code) when offline
    async def revoke_share(self, share_id: str) -> None: ...


class DeviceSettings(Protocol):
    """Preferences and the app lock; readable before sign-in."""

    async def preferences(self) -> Preferences: ...
    async def save_preferences(self, prefs: Preferences) -> None: ...
    async def set_pin(self, pin: str) -> None: ...  # slow KDF; enables the app lock
    async def verify_pin(self, pin: str) -> PinResult: ...  # limited attempts
    async def clear_pin(self) -> None: ...


class FamilyView(Protocol):
    """A family member's app: who shares with them, one read-only week, what ended."""

    async def shared_patients(self) -> tuple[SharedPatient, ...]: ...
    async def shared_week(self, share_id: str, start: date, end: date) -> tuple[ScheduleItem, ...]: ...
    async def accept_invitation(self, invitation_code: str) -> SharedPatient: ...  # raises ServiceError
    async def ended_shares(self) -> tuple[EndedShare, ...]: ...  # shares that ended and were erased
    async def dismiss_ended(self) -> None: ...


class CalendarFeeds(Protocol):
    """Private calendar feeds of this account (patient: their schedule; family: one per share).

    Managed online (a link that works needs the clinic anyway); offline, `feeds` answers this
    device's copy with `offline=True` and the others raise ServiceError("sync.offline").
    A feed's URL is returned by the clinic once and kept in the encrypted store.
    """

    async def feeds(self) -> FeedList: ...
    async def turn_on(self, options: FeedOptions, share_id: str | None = None) -> CalendarFeed: ...
    async def turn_off(self, feed_id: str) -> None: ...  # the link is dead at once
    async def change(self, feed_id: str, options: FeedOptions) -> CalendarFeed: ...  # same link
    async def renew(self, feed_id: str) -> CalendarFeed: ...  # a new link, same options: off, then on
    async def download(self, options: FeedOptions, share_id: str | None = None) -> CalendarDownload: ...


class Reminders(Protocol):
    """In-app reminders due now, from local data only (the settings are in Preferences)."""

    async def due(self) -> DueReminders: ...


class SyncControl(Protocol):
    async def sync_now(self) -> SyncStatus: ...
    def status(self) -> SyncStatus: ...
    def on_change(self, listener: Callable[[], None]) -> Callable[[], None]: ...  # returns unsubscribe


class PatientServices(Protocol):
    """The feature services of one app process; a session's AppState holds it and hands each
    screen's state the one service that screen uses."""

    @property
    def account(self) -> Accounts: ...
    @property
    def schedule(self) -> Schedule: ...
    @property
    def assignments(self) -> Assignments: ...
    @property
    def support(self) -> Support: ...
    @property
    def coping(self) -> CopingPlans: ...
    @property
    def checkins(self) -> CheckIns: ...
    @property
    def sharing(self) -> Sharing: ...
    @property
    def device(self) -> DeviceSettings: ...
    @property
    def family(self) -> FamilyView: ...
    @property
    def calendar(self) -> CalendarFeeds: ...
    @property
    def reminders(self) -> Reminders: ...
    @property
    def sync(self) -> SyncControl: ...

    async def close(self) -> None: ...  # the process is ending: cancel background work, close the store
