"""Add to my calendar: turn a private feed on, show its link (copy, QR, download), turn it off.

One panel for the patient's Settings (their schedule) and for each person on a family member's home
(`share_id`); `prefix` keeps the ids apart (`calendar-…`, `family-calendar-…`).
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import Any, TypeVar

import flet as ft

from app.domain.calendar import CalendarFeed, FeedAlarm, FeedTitles
from app.domain.model import SharedPatient, ShareScope
from app.platform.links import device_link
from app.state.calendar import CalendarState
from app.ui.context import use_app, use_once, use_tr
from app.ui.invite_code import qr_png
from app.ui.layout import card, choice, choice_row, error_banner, muted, tagged
from app.ui.reminder_text import (
    DEFAULT_WORD,
    alarm_label,
    calendar_problem,
    feed_scope_text,
    last_read_text,
    titles_label,
)
from app.ui.theme import QR_BG


@ft.component
def FeedLink(feed: CalendarFeed, prefix: str) -> Any:
    """The link, a Copy button and a QR code a phone's camera can read."""
    tr = use_tr()
    app = use_app()
    url = feed.url or ""
    png = ft.use_memo(lambda: qr_png(url), dependencies=[url])
    copied, set_copied = ft.use_state(False)

    async def copy(_e: Any) -> None:
        app.touch()
        await ft.Clipboard().set(url)
        set_copied(True)

    return ft.Column(
        spacing=10,
        horizontal_alignment=ft.CrossAxisAlignment.CENTER,
        controls=[
            tagged(
                f"{prefix}-feed-link",
                # Not `selectable`: Flutter web leaves selectable text out of the semantics tree, so a
                # screen reader would not read the link; Copy puts it on the clipboard.
                ft.Text(url, size=14, font_family="monospace", text_align=ft.TextAlign.CENTER),
            ),
            tagged(
                f"{prefix}-feed-copy",
                ft.OutlinedButton(
                    content=tr.gettext("Copied") if copied else tr.gettext("Copy the link"),
                    icon=ft.Icons.CHECK if copied else ft.Icons.CONTENT_COPY,
                    on_click=copy,
                ),
            ),
            ft.Container(
                bgcolor=QR_BG,
                border_radius=8,
                padding=8,
                content=ft.Image(
                    src=png, width=176, height=176, semantics_label=tr.gettext("QR code of the calendar link")
                ),
            ),
            muted(
                tr.gettext(
                    "On a phone: point its camera at the code, or paste the link in its calendar app "
                    "as a subscription (“Add calendar from URL”). Anyone with the link can see "
                    "these times: keep it to yourself."
                )
            ),
        ],
    )


E = TypeVar("E", bound=enum.Enum)


def option_row(
    prefix: str, options: type[E], label: Callable[[E], str], chosen: E, pick: Callable[[E], Any]
) -> ft.Control:
    """A row of `choice`s, one for each of an enum's `options` (ids `{prefix}-{value}`)."""
    return choice_row([choice(f"{prefix}-{o.value}", label(o), o is chosen, pick(o)) for o in options])


@ft.component
def FeedForm(state: CalendarState, prefix: str, share_id: str | None, names_shared: bool) -> Any:
    """How the feed reads: a neutral word (default) or real names, and an alert before each event.
    `names_shared` False (a share of dates and times only): the word alone, since the clinic sends
    no names for the feed to show; offering them would promise what the calendar never shows."""
    tr = use_tr()
    app = use_app()

    def pick_titles(titles: FeedTitles) -> Any:
        async def handler(_e: Any) -> None:
            state.choose(titles=titles)

        return handler

    def pick_alarm(alarm: FeedAlarm) -> Any:
        async def handler(_e: Any) -> None:
            state.choose(alarm=alarm)

        return handler

    async def typed(e: Any) -> None:
        state.type_word(str(e.control.value or ""))

    async def turn_on(_e: Any) -> None:
        app.touch()
        await state.turn_on(app.language, share_id)

    neutral = state.options.titles is FeedTitles.NEUTRAL or not names_shared
    # Names to choose only where the share has them to show.
    titles = (
        [
            option_row(
                f"{prefix}-titles",
                FeedTitles,
                lambda t: titles_label(tr, t),
                state.options.titles,
                pick_titles,
            )
        ]
        if names_shared
        else []
    )
    word = (
        [
            tagged(
                f"{prefix}-word",
                ft.TextField(
                    label=tr.gettext("The word your calendar shows"),
                    hint_text=tr.gettext(DEFAULT_WORD),
                    value=state.word,
                    max_length=40,
                    on_change=typed,
                ),
            )
        ]
        if neutral
        else []
    )
    return ft.Column(
        spacing=8,
        horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
        controls=[
            ft.Text(tr.gettext("What each event is called"), size=15, weight=ft.FontWeight.W_600),
            *titles,
            *word,
            ft.Text(tr.gettext("Alert in the calendar"), size=15, weight=ft.FontWeight.W_600),
            option_row(
                f"{prefix}-alarm", FeedAlarm, lambda a: alarm_label(tr, a), state.options.alarm, pick_alarm
            ),
            ft.Row(
                [
                    tagged(
                        f"{prefix}-feed-on",
                        ft.FilledButton(
                            content=tr.gettext("Working…")
                            if state.busy
                            else tr.gettext("Add to my calendar"),
                            icon=ft.Icons.EVENT_AVAILABLE,
                            disabled=state.busy,
                            on_click=turn_on,
                        ),
                    )
                ]
            ),
        ],
    )


@ft.component
def CalendarPanel(
    state: CalendarState,
    prefix: str,
    share_id: str | None = None,
    scope: str | None = None,
    names_shared: bool = True,
) -> Any:
    tr = use_tr()
    app = use_app()
    feed = state.feed_for(share_id)

    async def ask_off(_e: Any) -> None:
        state.ask_off(feed.id if feed else None)

    async def keep(_e: Any) -> None:
        state.ask_off(None)

    async def turn_off(_e: Any) -> None:
        app.touch()
        if feed is not None:
            await state.turn_off(feed.id)

    async def renew(_e: Any) -> None:
        app.touch()
        if feed is not None:
            await state.renew(feed.id)

    def change_alarm(on: CalendarFeed, alarm: FeedAlarm) -> Any:
        async def handler(_e: Any) -> None:  # the same link: calendars pick it up on their next read
            app.touch()
            if on.options.alarm is not alarm:
                await state.change_alarm(on, alarm)

        return handler

    async def download(_e: Any) -> None:
        app.touch()
        await state.prepare_download(app.language, share_id)

    controls: list[ft.Control] = []
    if scope:
        controls.append(tagged(f"{prefix}-scope", ft.Text(scope, size=15)))
    if state.offline:
        controls.append(muted(tr.gettext("Offline: this is what this device last heard from your clinic.")))
    if state.problem:
        controls.append(error_banner(f"{prefix}-problem", calendar_problem(tr, state.problem)))
    if not state.loaded and state.problem is None:
        # Until the clinic (or this device's copy) answers: not a form that could make a second feed.
        ring = ft.ProgressRing(width=24, height=24, semantics_label=tr.gettext("Working…"))
        controls.append(ft.Row([ring]))  # in a row: the card's column would stretch it into an oval
    elif feed is None:
        controls.append(FeedForm(state, prefix, share_id, names_shared))
    else:
        o = feed.options
        called = (
            o.neutral_title or tr.gettext(DEFAULT_WORD)
            if o.titles is FeedTitles.NEUTRAL or not names_shared
            else titles_label(tr, o.titles)
        )
        controls.append(
            tagged(
                f"{prefix}-feed-status",
                ft.Column(
                    spacing=2,
                    controls=[
                        ft.Row(
                            [
                                ft.Icon(ft.Icons.EVENT_AVAILABLE, color=ft.Colors.PRIMARY),
                                ft.Text(
                                    tr.gettext("Your calendar link is on"),
                                    size=16,
                                    weight=ft.FontWeight.W_600,
                                ),
                            ]
                        ),
                        muted(
                            tr.gettext("Events are called: {called} · Alert: {alarm}").format(
                                called=called, alarm=alarm_label(tr, o.alarm)
                            )
                        ),
                        muted(last_read_text(tr, feed.last_read_at)),
                    ],
                ),
            )
        )
        controls.append(ft.Text(tr.gettext("Alert in the calendar"), size=15, weight=ft.FontWeight.W_600))
        controls.append(
            option_row(
                f"{prefix}-feed-alarm",
                FeedAlarm,
                lambda a: alarm_label(tr, a),
                o.alarm,
                lambda a: change_alarm(feed, a),
            )
        )
        if feed.url:
            controls.append(FeedLink(feed, prefix))
        else:
            controls.append(
                muted(
                    tr.gettext(
                        "The link is shown only on the device that turned it on. "
                        "Make a new link to see it here (the old one stops working)."
                    )
                )
            )
            controls.append(
                ft.Row(
                    [
                        tagged(
                            f"{prefix}-feed-renew",
                            ft.OutlinedButton(
                                content=tr.gettext("Make a new link"),
                                icon=ft.Icons.AUTORENEW,
                                disabled=state.busy,
                                on_click=renew,
                            ),
                        )
                    ]
                )
            )
        if state.confirming == feed.id:
            controls.append(
                ft.Text(
                    tr.gettext("Turn it off? Calendars that use this link stop showing your times."), size=15
                )
            )
            controls.append(
                ft.Row(
                    wrap=True,
                    controls=[
                        tagged(
                            f"{prefix}-feed-off-confirm",
                            ft.FilledButton(
                                content=tr.gettext("Turn off"), on_click=turn_off, disabled=state.busy
                            ),
                        ),
                        tagged(
                            f"{prefix}-feed-keep", ft.TextButton(content=tr.gettext("Keep it"), on_click=keep)
                        ),
                    ],
                )
            )
        else:
            controls.append(
                ft.Row(
                    [
                        tagged(
                            f"{prefix}-feed-off",
                            ft.OutlinedButton(
                                content=tr.gettext("Turn off"), icon=ft.Icons.EVENT_BUSY, on_click=ask_off
                            ),
                        )
                    ]
                )
            )
    controls.append(
        ft.Row(
            wrap=True,
            controls=[
                tagged(
                    f"{prefix}-download",
                    ft.OutlinedButton(
                        content=tr.gettext("Download the next 4 weeks (.ics)"),
                        icon=ft.Icons.DOWNLOAD,
                        disabled=state.busy,
                        on_click=download,
                    ),
                )
            ],
        )
    )
    if state.download is not None:
        # Opened by the tap on this link (browsers open a new tab only from the user's own gesture).
        controls.append(
            ft.Row(
                wrap=True,
                controls=[
                    tagged(
                        f"{prefix}-download-open",
                        ft.FilledButton(
                            content=tr.gettext("Save the calendar file"),
                            icon=ft.Icons.SAVE_ALT,
                            url=device_link(state.download.url),
                        ),
                    ),
                    muted(
                        tr.gettext("Works once, until {time}.").format(
                            time=tr.time(state.download.expires_at)
                        )
                    ),
                ],
            )
        )
    return card(ft.Column(spacing=10, horizontal_alignment=ft.CrossAxisAlignment.STRETCH, controls=controls))


@ft.component
def PatientCalendar() -> Any:
    """Settings → Add to my calendar (the patient's own schedule)."""
    app = use_app()
    state = use_once(lambda: CalendarState(calendar=app.services.calendar))
    ft.use_effect(state.load, dependencies=[])
    return CalendarPanel(state, "calendar")


@ft.component
def FamilyCalendar(patient: SharedPatient) -> Any:
    """On a family member's home: a feed of one person's shared schedule, with what it shows."""
    tr = use_tr()
    app = use_app()
    state = use_once(lambda: CalendarState(calendar=app.services.calendar))
    ft.use_effect(state.load, dependencies=[])
    scope = feed_scope_text(tr, patient.scope, patient.patient_display_name)
    return tagged(
        f"family-calendar-{patient.share_id}",
        CalendarPanel(
            state,
            "family-calendar",
            patient.share_id,
            scope,
            names_shared=patient.scope is not ShareScope.TIMES,
        ),
        container=True,
    )
