"""The session's root component: builds AppState, provides the contexts, gates on sign-in and the lock."""

from __future__ import annotations

import asyncio
from typing import Any

import flet as ft

from app.domain.model import Role
from app.i18n import Translator
from app.services.ports import PatientServices
from app.state.session import AppState, Clock
from app.ui.context import AppContext, TranslatorContext, WidthContext, use_once
from app.ui.failure_notice import failure_text
from app.ui.family_shell import FamilyRouter
from app.ui.first_paint import dress
from app.ui.lock import LockScreen
from app.ui.own_writes import OWN_WRITE_WAIT, drawn_by
from app.ui.routes import AppRouter
from app.ui.sign_in import SignInScreen
from flet_guard.notice import listen_for_failures

IDLE_CHECK_SECONDS = 1.0
TICK_EVERY = 30  # idle checks between two re-renders of relative times ("in 2 hours")
COALESCE_SECONDS = 0.1  # local data changed: at most one re-read this often (the first at once)


@ft.component
def App(
    services: PatientServices, clock: Clock, default_server_url: str = "", lock_after: int | None = None
) -> Any:
    page = ft.context.page

    def build() -> AppState:
        return AppState(
            services=services,
            clock=clock,
            default_server_url=default_server_url,
            lock_after_override=lock_after,
        )

    app = use_once(build)
    # A bug in one handler or screen part: a notice, and the session goes on (flet_guard).
    notice = use_once(lambda: listen_for_failures(page))
    width, set_width = ft.use_state(float(page.width or 1280))
    _tick, set_tick = ft.use_state(0)
    task_ref: Any = ft.use_ref(None)

    async def watch() -> None:
        n = 0
        while True:
            await asyncio.sleep(IDLE_CHECK_SECONDS)
            app.check_idle()
            n += 1
            if n % TICK_EVERY == 0:
                set_tick(n)

    async def setup() -> None:
        def resized(e: ft.PageResizeEvent) -> None:
            set_width(float(e.width))

        refresh_due = False
        last_refresh = -COALESCE_SECONDS

        async def refresh_soon(wait: float = 0.0) -> None:
            nonlocal refresh_due, last_refresh
            loop = asyncio.get_running_loop()
            await asyncio.sleep(max(wait, last_refresh + COALESCE_SECONDS - loop.time()))
            refresh_due = False
            last_refresh = loop.time()
            await app.refresh()

        def changed() -> None:
            nonlocal refresh_due
            session = getattr(page, "session", None)
            if session is None or getattr(session, "connection", None) is None:
                # No tab attached: Flet drops every update until one re-attaches, and on_connect
                # re-reads everything then; on_close unsubscribes if none ever does.
                return
            # The first change after a quiet spell is re-read at once (a live update is drawn
            # without delay); the rest of a burst (an outbox write says so, then its sync status)
            # is one more re-read a moment later, so two whole-tree renders never compete with the
            # screen a tap asked for. This session's own write from a tap that draws its result
            # (app/ui/own_writes.py) opens such a burst instead of being re-read at once.
            if not refresh_due:
                refresh_due = True
                page.run_task(refresh_soon, OWN_WRITE_WAIT if drawn_by(app) else 0.0)

        async def reconnected(_e: ft.Event[Any]) -> None:
            # The tab came back (reload, back from another site, network regained) to this same
            # session: whatever changed meanwhile (an alert delivered, a sync, the idle lock) was
            # never drawn, so re-read it all; the refresh re-renders the whole tree. A tab that was
            # hidden before it left listens again (a new client need not say it is shown).
            await app.resume(changed)

        async def lifecycle(e: ft.AppLifecycleStateChangeEvent) -> None:
            # In the background (tab hidden, app paused) nothing listens, so the live stream is
            # let go (services: no view open); back in front, listen again and re-read.
            if e.state in (ft.AppLifecycleState.HIDE, ft.AppLifecycleState.PAUSE):
                app.stop()
            elif e.state in (ft.AppLifecycleState.SHOW, ft.AppLifecycleState.RESUME):
                await app.resume(changed)

        page.on_resize = resized
        page.on_connect = reconnected
        page.on_close = lambda _e: teardown()
        page.on_app_lifecycle_state_change = lifecycle
        await app.start(changed)
        task_ref.current = asyncio.create_task(watch())

    def teardown() -> None:
        app.stop()
        task = task_ref.current
        if task is not None:
            task.cancel()
            task_ref.current = None

    ft.use_effect(setup, dependencies=[], cleanup=teardown)

    language, timezone = app.language, app.timezone
    tr = ft.use_memo(lambda: Translator(language, timezone), dependencies=[language, timezone])
    notice.text = lambda: failure_text(tr)
    ft.use_effect(notice.arm, dependencies=[])  # after the first screen is drawn
    dress(page, tr, discreet=app.prefs.discreet, dark=app.prefs.dark)

    def body() -> Any:
        if not app.ready:
            return ft.Container(expand=True)
        if app.account is None:
            return SignInScreen()
        if app.locked:
            return LockScreen()
        if app.account.role is Role.FAMILY:
            return FamilyRouter()  # a family member's own app: only what is shared with them
        return AppRouter()

    return TranslatorContext(tr, lambda: AppContext(app, lambda: WidthContext(width, body)))
