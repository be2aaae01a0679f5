"""What a session's first frame shows, read before that session renders anything.

Without it a new browser session draws an empty page, reads preferences, account and support data
in the root's effect, draws the shell with an empty week, then reads the week in the week screen's
own effect and draws it: three frames, each diffed on the server and laid out and painted by the
browser, before the first session is visible. The composition root instead reads this first
(`read_first_frame`), then renders inside `first_frame(...)`: AppState and the first screen's states
(the week's; or Today's and its check-in card's) take their part (once each), so the first frame is
already the signed-in screen with its sessions.
Their effects still run afterwards and read again; an equal value changes nothing on the screen.

The app lock comes before anything private: with a PIN set, no schedule is read here and the first
frame is the lock screen (AppState decides `locked` from these same preferences).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from app.domain.model import Role
from app.domain.zones import clinic_timezone
from app.services.ports import (
    Account,
    CheckInOverview,
    Overview,
    PatientServices,
    Preferences,
    RejectedChange,
    ServiceError,
    SupportInfo,
)

WEEK_ROUTES = ("/week",)  # where the week screen is the first screen
TODAY_ROUTES = ("",)  # "/": the Today screen, where the app opens


@dataclass(frozen=True, slots=True)
class TodayPart:
    """The Today screen's data: the schedule around `day` and the changes the clinic turned down."""

    day: date
    overview: Overview
    rejected: tuple[RejectedChange, ...]


@dataclass
class FirstFrame:
    """One session's data for its first frame; each part is handed out once."""

    prefs: Preferences
    account: Account | None
    support: SupportInfo | None
    week: tuple[date, Overview] | None = None  # the week shown first: its Monday and its sessions
    today: TodayPart | None = None  # the Today screen shown first
    checkins: CheckInOverview | None = None  # its check-in card
    _taken: set[str] = field(default_factory=set)

    def take(self, part: str) -> bool:
        """True the first time `part` is asked for: later states (after a sign-out and a new
        sign-in in the same session, say) read for themselves, never this possibly stale copy."""
        if part in self._taken:
            return False
        self._taken.add(part)
        return True

    def take_week(self, monday: date) -> Overview | None:
        if self.week is None or self.week[0] != monday or not self.take("week"):
            return None
        return self.week[1]

    def take_today(self, day: date) -> TodayPart | None:
        if self.today is None or self.today.day != day or not self.take("today"):
            return None
        return self.today

    def take_checkins(self) -> CheckInOverview | None:
        if self.checkins is None or not self.take("checkins"):
            return None
        return self.checkins


async def read_first_frame(
    services: PatientServices, clock: Callable[[], datetime], route: str
) -> FirstFrame:
    """Read, in AppState.start's order, what the first frame of `route` shows (local data only)."""
    from app.state.today import today_window  # the screens' states take their parts from here
    from app.state.week import local_today, monday_of

    prefs = await services.device.preferences()
    account = await services.account.current_account()
    try:
        support: SupportInfo | None = await services.support.support_info()
    except ServiceError:
        support = None
    frame = FirstFrame(prefs, account, support)
    private_screen = account is not None and account.role is Role.PATIENT and not prefs.lock_enabled
    if not private_screen:
        return frame
    today = local_today(clock, clinic_timezone(support.clinic if support else None))
    if route.rstrip("/") in WEEK_ROUTES:
        monday = monday_of(today)
        with suppress(ServiceError):  # signed out meanwhile: the week screen reads for itself
            frame.week = (monday, await services.schedule.overview(monday, monday + timedelta(days=6)))
    elif route.rstrip("/") in TODAY_ROUTES:
        with suppress(ServiceError):  # signed out meanwhile: the Today screen reads for itself
            start, end = today_window(today)
            overview = await services.schedule.overview(start, end)
            frame.today = TodayPart(today, overview, await services.schedule.rejected_changes())
            frame.checkins = await services.checkins.overview()
    return frame


# Not a process-wide value: a context variable is set in one session's handler (its task) and seen
# only by what that render builds; every other session has its own.
_current: ContextVar[FirstFrame | None] = ContextVar("first_frame", default=None)


@contextmanager
def first_frame(frame: FirstFrame | None) -> Iterator[None]:
    """Render inside this: states built by that render take their part of `frame`."""
    token = _current.set(frame)
    try:
        yield
    finally:
        _current.reset(token)


def current_first_frame() -> FirstFrame | None:
    return _current.get()
