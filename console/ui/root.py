"""The session's root: builds this browser session's ConsoleSession, gates on sign-in, lays out the shell.

Each Flet session (one browser tab) has its own ConsoleSession: its own token, queue and stream,
kept in server memory only. Closing the tab stops its stream at once; if the tab does not come
back within `disconnect_grace` seconds the session is signed out on the clinic (as on idle timeout).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from typing import Any

import flet as ft
import flet_audio as fta

from console.i18n import LANGUAGE_NAMES, SUPPORTED, Translator
from console.state import ConsoleSession
from console.ui.audit import AuditScreen
from console.ui.common import RED, SessionContext, TrContext, icon_button, muted, tagged, use_once
from console.ui.patients import PatientsScreen
from console.ui.queue import QueueScreen
from console.ui.sign_in import SignInScreen
from flet_guard.notice import listen_for_failures

log = logging.getLogger("console")

IDLE_CHECK_SECONDS = 1.0
CHIME = "sounds/new-alert.wav"  # under the assets dir; rendered by scripts/render_sound.py
SHORT = {"en": "EN", "es": "ES", "pt_BR": "PT"}  # the language buttons; each reads its own name aloud


@dataclass(frozen=True)
class Settings:
    clinic_url: str
    idle_timeout: float
    disconnect_grace: float
    language: str = "en"


@ft.component
def Shell(tr: Translator, set_language: Any) -> Any:
    session = ft.use_context(SessionContext)
    screen, set_screen = ft.use_state(0)

    async def navigate(e: Any) -> None:
        session.touch()
        set_screen(int(e.control.selected_index))
        if int(e.control.selected_index) == 0:
            session.seen()

    async def sign_out(_e: Any) -> None:
        await session.sign_out()

    async def seen(_e: Any) -> None:
        session.seen()
        set_screen(0)

    def language(code: str) -> Any:
        async def handler(_e: Any) -> None:
            session.touch()
            set_language(code)

        return handler

    async def toggle_sound(_e: Any) -> None:
        session.toggle_mute()

    cue: list[ft.Control] = []
    if session.new_alerts:
        cue.append(
            tagged(
                "console-new-alert",
                ft.Container(
                    bgcolor=RED,
                    padding=ft.Padding.symmetric(horizontal=24, vertical=12),
                    content=ft.Row(
                        alignment=ft.MainAxisAlignment.SPACE_BETWEEN,
                        controls=[
                            ft.Row(
                                [
                                    ft.Icon(ft.Icons.NOTIFICATION_IMPORTANT, color=ft.Colors.WHITE),
                                    ft.Text(
                                        tr.ngettext(
                                            "{n} new support alert",
                                            "{n} new support alerts",
                                            session.new_alerts,
                                        ).format(n=session.new_alerts),
                                        color=ft.Colors.WHITE,
                                        weight=ft.FontWeight.W_700,
                                        size=16,
                                    ),
                                ]
                            ),
                            ft.OutlinedButton(
                                content=tr.gettext("Show the queue"),
                                on_click=seen,
                                style=ft.ButtonStyle(color=ft.Colors.WHITE, bgcolor=RED),
                            ),
                        ],
                    ),
                ),
                live_region=True,
            )
        )
    top = ft.Container(
        padding=ft.Padding.symmetric(horizontal=24, vertical=8),
        bgcolor=ft.Colors.SURFACE_CONTAINER,
        content=ft.Row(
            alignment=ft.MainAxisAlignment.SPACE_BETWEEN,
            controls=[
                ft.Row(
                    [
                        ft.Icon(ft.Icons.SUPPORT_AGENT, color=ft.Colors.PRIMARY),
                        ft.Text(tr.gettext("Waypoint staff console"), weight=ft.FontWeight.W_700, size=16),
                    ]
                ),
                ft.Row(
                    [
                        tagged(
                            "console-user",
                            muted(tr.gettext("Signed in as {name}").format(name=session.display_name)),
                        ),
                        ft.Row(
                            spacing=0,
                            controls=[
                                tagged(
                                    f"console-lang-{code}",
                                    (ft.FilledTonalButton if code == tr.code else ft.TextButton)(
                                        content=ft.Text(SHORT[code], semantics_label=LANGUAGE_NAMES[code]),
                                        on_click=language(code),
                                    ),
                                    selected=code == tr.code,
                                )
                                for code in SUPPORTED
                            ],
                        ),
                        tagged(
                            "console-sound",
                            icon_button(
                                ft.Icons.VOLUME_OFF if session.muted else ft.Icons.VOLUME_UP,
                                tr.gettext("Turn the new-alert sound on")
                                if session.muted
                                else tr.gettext("Mute the new-alert sound"),
                                toggle_sound,
                            ),
                            selected=session.muted,
                        ),
                        tagged(
                            "console-sign-out",
                            ft.OutlinedButton(
                                content=tr.gettext("Sign out"), icon=ft.Icons.LOGOUT, on_click=sign_out
                            ),
                        ),
                    ]
                ),
            ],
        ),
    )
    queue_label = tr.gettext("Queue")
    if session.new_alerts:
        queue_label = f"{queue_label} ({session.new_alerts})"
    rail = tagged(
        "console-nav",
        ft.NavigationRail(
            selected_index=screen,
            label_type=ft.NavigationRailLabelType.ALL,
            on_change=navigate,
            destinations=[
                ft.NavigationRailDestination(
                    icon=ft.Icon(ft.Icons.INBOX, badge=ft.Badge(label=str(session.new_alerts)))
                    if session.new_alerts
                    else ft.Icons.INBOX,
                    label=queue_label,
                ),
                ft.NavigationRailDestination(icon=ft.Icons.PEOPLE, label=tr.gettext("Patients")),
                ft.NavigationRailDestination(icon=ft.Icons.POLICY, label=tr.gettext("Audit")),
            ],
        ),
    )
    body: Any = [QueueScreen, PatientsScreen, AuditScreen][screen]()
    return ft.Column(
        expand=True,
        spacing=0,
        controls=[
            top,
            *cue,
            ft.Row(
                expand=True,
                spacing=0,
                vertical_alignment=ft.CrossAxisAlignment.STRETCH,
                controls=[rail, ft.VerticalDivider(width=1), ft.Container(expand=True, content=body)],
            ),
        ],
    )


def failure_text(tr: Translator) -> str:
    return tr.gettext(
        "Something went wrong there. Nothing is lost: try again. New alerts still reach this queue."
    )


@ft.component
def ConsoleApp(settings: Settings) -> Any:
    page = ft.context.page
    _version, set_version = ft.use_state(0)
    language, set_language = ft.use_state(settings.language)
    counter = use_once(lambda: [0])
    # The new-alert sound: one Audio service per browser session (kept referenced here, as the
    # page holds services weakly); played once each time the session asks for another chime.
    chime = use_once(lambda: fta.Audio(src=CHIME, volume=0.8, release_mode=fta.ReleaseMode.STOP))
    chimed = use_once(lambda: [0])
    playing: set[asyncio.Task[None]] = use_once(set)
    # A bug in one handler or screen part: a notice, and the queue stays on screen (flet_guard).
    notice = use_once(lambda: listen_for_failures(page))

    async def play_chime() -> None:
        try:
            await chime.play()
        except Exception as exc:  # a browser that refuses audio (no gesture yet) keeps the visible cue
            log.info("console: new-alert chime not played: %s", type(exc).__name__)
            return
        log.info("console: new-alert chime played")

    def changed() -> None:
        counter[0] += 1
        set_version(counter[0])
        if session.chimes > chimed[0]:
            chimed[0] = session.chimes
            with contextlib.suppress(RuntimeError):  # no loop: the session is going away
                task = asyncio.get_running_loop().create_task(play_chime())
                playing.add(task)
                task.add_done_callback(playing.discard)

    session = use_once(
        lambda: ConsoleSession(settings.clinic_url, idle_timeout=settings.idle_timeout, on_change=changed)
    )
    session.on_change = changed
    tasks = use_once(lambda: {})

    async def watch_idle() -> None:
        while True:
            await asyncio.sleep(IDLE_CHECK_SECONDS)
            await session.check_idle()

    async def grace_then_sign_out() -> None:
        await asyncio.sleep(settings.disconnect_grace)
        await session.sign_out("idle")

    def setup() -> None:
        loop = asyncio.get_running_loop()

        async def disconnected(_e: Any) -> None:
            # The tab closed or lost its connection: this session's stream ends now; a tab that
            # does not come back within the grace is signed out on the clinic.
            await session.stop_stream()
            if session.signed_in and "grace" not in tasks:
                tasks["grace"] = loop.create_task(grace_then_sign_out())

        async def connected(_e: Any) -> None:
            grace = tasks.pop("grace", None)
            if grace is not None:
                grace.cancel()
            if session.signed_in:
                await session.load_queue()
                session.start_stream()

        async def closed(_e: Any) -> None:
            await teardown_async()

        page.on_disconnect = disconnected
        page.on_connect = connected
        page.on_close = closed
        tasks["idle"] = loop.create_task(watch_idle())

    async def teardown_async() -> None:
        for task in list(tasks.values()):
            task.cancel()
        tasks.clear()
        with contextlib.suppress(Exception):
            await session.sign_out()

    def teardown() -> None:
        with contextlib.suppress(RuntimeError):
            asyncio.get_running_loop().create_task(teardown_async())

    ft.use_effect(setup, dependencies=[], cleanup=teardown)

    tr = ft.use_memo(lambda: Translator(language), dependencies=[language])
    notice.text = lambda: failure_text(tr)
    ft.use_effect(notice.arm, dependencies=[])  # after the first screen is drawn
    title = tr.gettext("Waypoint staff console")
    page.title = f"({session.new_alerts}) {title}" if session.new_alerts else title
    page.padding = 0
    page.theme = ft.Theme(color_scheme_seed="#2E5E8C")
    page.theme_mode = ft.ThemeMode.LIGHT
    # As the app (app/ui/first_paint.py): no cross-fade from the loading screen's theme.
    page.theme_animation_style = ft.AnimationStyle.no_animation()

    def body() -> Any:
        if not session.signed_in:
            return SignInScreen()
        return Shell(tr, set_language)

    return TrContext(tr, lambda: SessionContext(session, body))
