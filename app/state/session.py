"""Per-session app state: account, preferences, app lock, support data and sync status."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime

import flet as ft

from app.domain.address import address_problem as address_problem  # the one rule, re-exported
from app.domain.model import SupportAlert, SyncStatus
from app.domain.zones import clinic_timezone
from app.i18n import SUPPORTED, negotiate
from app.services.ports import Account, PatientServices, Preferences, ServiceError, SignInError, SupportInfo
from app.state.first_frame import current_first_frame

Clock = Callable[[], datetime]
Monotonic = Callable[[], float]  # seconds, never going back: the idle lock's clock


@ft.observable
@dataclass
class SupportView:
    """Whether the support screen is shown over the screen at route `at`. It opens and closes
    without a route change: the screen under it stays as it was (scroll, typed text), and a tap on
    "Get help now" costs the smallest update there is (app/ui/support_layer.py)."""

    open: bool = False
    at: str = ""

    def show(self, at: str) -> None:
        self.at = at
        self.open = True

    def hide(self) -> None:
        self.open = False


@ft.observable
@dataclass
class AppState:
    """What every screen of one Flet session shares; intents are async and call the services."""

    services: PatientServices
    clock: Clock
    default_server_url: str = ""
    lock_after_override: int | None = None
    device_locale: str | None = None
    ready: bool = False
    account: Account | None = None
    prefs: Preferences = field(default_factory=Preferences)
    locked: bool = False
    support: SupportInfo | None = None
    sync: SyncStatus = field(default_factory=SyncStatus)
    revision: int = 0  # bumped whenever local data changed; screens reload on it
    problem: str | None = None  # a message key for the last failed intent
    busy: bool = False
    pin_message: str | None = None  # message key for the lock screen
    pin_attempts_left: int | None = None
    pin_locked_until: datetime | None = None
    repeated_alert: str | None = None  # the alert a tap repeated (one alert, and the screen says so)
    support_return: str = "/"  # the screen the support screen's Close goes back to
    support_view: SupportView = field(default_factory=SupportView)  # its own observable: see SupportView
    monotonic: Monotonic = time.monotonic

    def __post_init__(self) -> None:
        self._last_activity = self.monotonic()
        self._unsubscribe: Callable[[], None] | None = None
        self._support_views = 0  # support screens open in this session: the idle lock waits
        frame = current_first_frame()
        if frame is not None and frame.take("session"):
            # Read just before this session's first render: that render is the real screen (or the
            # lock screen), not an empty page; start() still subscribes and reads again.
            self._adopt(frame.prefs, frame.account, frame.support)
            self.ready = True

    # --- lifecycle -----------------------------------------------------------
    async def start(self, on_change: Callable[[], None]) -> None:
        """Load everything the first frame needs from local data; subscribe to changes."""
        prefs = await self.services.device.preferences()
        account = await self.services.account.current_account()
        self._adopt(prefs, account, await self._support_info())
        self._unsubscribe = self.services.sync.on_change(on_change)
        self.ready = True

    def _adopt(self, prefs: Preferences, account: Account | None, support: SupportInfo | None) -> None:
        self.prefs, self.account, self.support = prefs, account, support
        self.sync = self.services.sync.status()
        self.locked = self.account is not None and self.prefs.lock_enabled

    def stop(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    async def resume(self, on_change: Callable[[], None]) -> None:
        """Back in the foreground after `stop()`: listen again (the live stream with it) and re-read."""
        if self._unsubscribe is None:
            self._unsubscribe = self.services.sync.on_change(on_change)
        await self.refresh()

    async def refresh(self) -> None:
        """Local data changed (sync, outbox, another session): reread what is shared."""
        self.account = await self.services.account.current_account()
        self.support = await self._support_info()
        self.sync = self.services.sync.status()
        self.revision += 1

    async def _support_info(self) -> SupportInfo | None:
        try:
            return await self.services.support.support_info()
        except ServiceError:
            return None  # signed out: the support screen still shows the national lines

    @property
    def language(self) -> str:
        return self.prefs.language or negotiate(self.device_locale)

    @property
    def timezone(self) -> str:
        return clinic_timezone(self.support.clinic if self.support else None)

    @property
    def lock_after(self) -> int:
        return (
            self.lock_after_override
            if self.lock_after_override is not None
            else self.prefs.lock_after_seconds
        )

    # --- sign-in -------------------------------------------------------------
    async def sign_in(self, server_url: str, code: str, username: str, password: str) -> None:
        self.touch()
        self.busy, self.problem = True, None
        try:
            url = server_url.strip().rstrip("/")
            if (problem := address_problem(url)) is not None:
                raise SignInError(problem)
            if code.strip():
                account = await self.services.account.sign_in_with_code(url, code.strip())
            else:
                account = await self.services.account.sign_in_with_password(url, username.strip(), password)
        except SignInError as exc:
            self.problem = exc.code
            return
        finally:
            self.busy = False
        self.account = account
        await self.sync_now()

    async def sign_out(self) -> None:
        await self.services.account.sign_out()
        self.account, self.locked = None, False
        self.prefs = await self.services.device.preferences()
        await self.refresh()

    async def forget_pin(self) -> None:
        """ "Forgot PIN?", confirmed on the lock screen: the way out is the sign-out, which erases the
        device's copy (and the PIN with it); an unsent alert is kept and delivered as on any sign-out."""
        self.pin_message, self.pin_attempts_left, self.pin_locked_until = None, None, None
        await self.sign_out()

    # --- preferences -----------------------------------------------------------
    async def _save(self, prefs: Preferences) -> None:
        self.touch()
        await self.services.device.save_preferences(prefs)
        self.prefs = prefs

    async def set_language(self, code: str) -> None:
        if code in SUPPORTED:
            await self._save(replace(self.prefs, language=code))

    async def set_discreet(self, on: bool) -> None:
        await self._save(replace(self.prefs, discreet=on))

    async def set_dark(self, dark: bool | None) -> None:
        await self._save(replace(self.prefs, dark=dark))

    async def set_lock_after(self, seconds: int) -> None:
        await self._save(replace(self.prefs, lock_after_seconds=seconds))

    # --- app lock ---------------------------------------------------------------
    def pins_typed(self, pin: str, confirm: str) -> None:
        """While the two PIN fields change: "not the same" goes as soon as they are."""
        if self.problem == "pin.mismatch" and pin == confirm:
            self.problem = None

    async def enable_lock(self, pin: str, confirm: str) -> bool:
        self.touch()
        if not (pin.isdigit() and 4 <= len(pin) <= 8):
            self.problem = "pin.format"
            return False
        if pin != confirm:
            self.problem = "pin.mismatch"
            return False
        self.problem = None
        try:
            await self.services.device.set_pin(pin)
        except ServiceError as exc:
            self.problem = exc.code
            return False
        await self._save(replace(await self.services.device.preferences(), lock_enabled=True))
        return True

    async def disable_lock(self) -> None:
        await self.services.device.clear_pin()
        await self._save(replace(await self.services.device.preferences(), lock_enabled=False))

    async def unlock(self, pin: str) -> None:
        result = await self.services.device.verify_pin(pin)
        self.pin_attempts_left, self.pin_locked_until = result.attempts_left, result.locked_until
        if result.ok:
            self.pin_message = None
            self.locked = False
            self.touch()
        elif result.locked_until is not None and result.locked_until > self.clock():
            self.pin_message = "pin.too_many"
        else:
            self.pin_message = "pin.wrong"

    def touch(self) -> None:
        """The patient did something: restart the inactivity timer."""
        self._last_activity = self.monotonic()

    def support_shown(self) -> Callable[[], None]:
        """A support screen opened; the returned function says it closed. While one is open the app
        never locks (the PIN screen must not hide what became of an alert), and reading it counts as
        use: the idle time starts again when the last one closes."""
        self._support_views += 1
        self.touch()

        def closed() -> None:
            self._support_views = max(0, self._support_views - 1)
            self.touch()

        return closed

    def check_idle(self) -> None:
        if self._support_views:
            self.touch()
            return
        idle = self.monotonic() - self._last_activity
        if self.account and self.prefs.lock_enabled and not self.locked and idle >= self.lock_after:
            self.locked = True

    # --- support and sync ----------------------------------------------------
    async def raise_alert(self) -> SupportAlert:
        self.touch()
        alert = await self.services.support.raise_support_alert()
        # The services decide (one alert for taps moments apart); the screen only says which it was.
        self.repeated_alert = alert.id if alert.repeated else None
        self.support = await self._support_info()
        return alert

    async def sync_now(self) -> None:
        self.touch()
        try:
            self.sync = await self.services.sync.sync_now()
        except ServiceError as exc:
            self.problem = exc.code
        await self.refresh()
