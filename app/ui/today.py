"""Today: the next session, today's sessions, assignments due soon, progress and sync status."""

from __future__ import annotations

from typing import Any

import flet as ft

from app.domain.model import Assignment, Rsvp, ScheduleItem
from app.i18n import Translator
from app.platform.links import device_link
from app.ui.checkin_card import CheckInCard
from app.ui.context import nav_to, use_app, use_screens, use_tr
from app.ui.first_paint import use_after_first_frame
from app.ui.labels import session_title
from app.ui.layout import card, muted, screen, section, tagged
from app.ui.progress import ProgressPicture
from app.ui.rejected import RejectedChanges
from app.ui.session_card import SessionCard, status_chips, time_range
from app.ui.sync_line import SyncLine
from app.ui.theme import kind_colour, kind_icon


def due_text(tr: Translator, assignment: Assignment) -> str:
    if assignment.due_at is None:
        return tr.gettext("No due date")
    return tr.gettext("Due {day}").format(day=tr.day_heading(tr.local(assignment.due_at).date()))


@ft.component
def NextSession(item: ScheduleItem, rsvp: Rsvp | None = None) -> Any:
    tr = use_tr()
    app = use_app()
    now = app.clock()
    when = tr.gettext("Now") if item.starts_at <= now else tr.relative(item.starts_at - now)
    # "in 3 days" sits beside the small label, not the title: at large text sizes the title keeps
    # the card's whole width instead of breaking inside words.
    lines: list[ft.Control] = [
        ft.Row(
            wrap=True,
            spacing=8,
            run_spacing=4,
            alignment=ft.MainAxisAlignment.SPACE_BETWEEN,
            controls=[
                muted(tr.gettext("Next session")),
                ft.Container(
                    padding=ft.Padding.symmetric(horizontal=10, vertical=6),
                    border_radius=14,
                    bgcolor=ft.Colors.PRIMARY_CONTAINER,
                    content=ft.Text(when, weight=ft.FontWeight.W_600, color=ft.Colors.ON_PRIMARY_CONTAINER),
                ),
            ],
        ),
        ft.Row(
            spacing=12,
            vertical_alignment=ft.CrossAxisAlignment.START,
            controls=[
                ft.Icon(kind_icon(item.kind), color=kind_colour(item.kind), size=32),
                ft.Text(
                    session_title(tr, item.title, item.kind),
                    size=20,
                    weight=ft.FontWeight.W_700,
                    expand=True,
                ),
            ],
        ),
        ft.Text(
            tr.gettext("{day}, {time}").format(
                day=tr.day_heading(tr.local(item.starts_at).date()), time=time_range(tr, item)
            ),
            size=16,
        ),
    ]
    if item.location:
        lines.append(ft.Row([ft.Icon(ft.Icons.PLACE_OUTLINED, size=18), ft.Text(item.location, size=15)]))
    # The patient's own answer (and note) to this session, sent or not yet: what they told the clinic.
    if chips := status_chips(tr, item, rsvp):
        reply = ft.Row(wrap=True, spacing=6, run_spacing=4, controls=chips)
        lines.append(tagged("next-session-reply", reply))
    if rsvp is not None and rsvp.note:
        lines.append(muted(tr.gettext("Your note: {note}").format(note=rsvp.note)))
    if item.staff_name:
        lines.append(
            ft.Row(
                [
                    ft.Icon(ft.Icons.PERSON_OUTLINE, size=18),
                    ft.Text(tr.gettext("with {name}").format(name=item.staff_name), size=15),
                ]
            )
        )
    if item.video_url:
        lines.append(
            ft.FilledTonalButton(
                content=tr.gettext("Join video call"),
                icon=ft.Icons.VIDEOCAM_OUTLINED,
                url=device_link(item.video_url),
            )
        )
    lines.append(
        ft.TextButton(
            content=tr.gettext("Details and reply"),
            icon=ft.Icons.CHEVRON_RIGHT,
            on_click=nav_to(f"/week/session/{item.id}"),
        )
    )
    return tagged(
        "next-session",
        card(ft.Column(spacing=8, controls=lines), ft.Colors.SURFACE_CONTAINER_HIGH),
        container=True,
    )


@ft.component
def TodayScreen() -> Any:
    tr = use_tr()
    app = use_app()
    state = use_screens().today
    ft.use_effect(state.load, dependencies=[app.revision, app.timezone])
    # The session's first frame holds the top of the screen: the check-in and the next session.
    # Today's sessions, what is due soon and the program's progress follow it a moment later, so
    # the browser has less to build and draw before the patient sees anything (docs/PERFORMANCE.md).
    rest = use_after_first_frame()
    now = app.clock()
    controls: list[ft.Control] = [SyncLine()]
    if state.rejected:
        controls.append(RejectedChanges(state.rejected))
    controls.append(CheckInCard())  # until today's check-in is done, then "Done today · edit"
    if state.overview is None:
        return screen(tr.gettext("Today"), controls)
    upcoming = state.next_session(now)
    rsvps = state.overview.rsvps
    controls.append(
        NextSession(upcoming, rsvps.get(upcoming.id))
        if upcoming
        else card(muted(tr.gettext("No sessions coming up.")))
    )
    if not rest:
        return screen(tr.gettext("Today"), controls)
    todays = state.todays_sessions()
    controls.append(
        section(
            tr.gettext("Today, {day}").format(day=tr.day_heading(state.today)),
            [SessionCard(s, rsvps.get(s.id), compact=True) for s in todays]
            or [muted(tr.gettext("No sessions today. Take care of yourself."))],
        )
    )
    due = state.due_soon(now)
    if due:
        controls.append(
            section(
                tr.gettext("Due soon"),
                [
                    tagged(
                        f"assignment-{a.id}",
                        ft.ListTile(
                            leading=ft.Icon(ft.Icons.ASSIGNMENT_OUTLINED),
                            title=a.title,
                            subtitle=due_text(tr, a),
                            trailing=ft.Icon(ft.Icons.CHEVRON_RIGHT),
                            on_click=nav_to(f"/assignments/{a.id}"),
                        ),
                    )
                    for a in due
                ],
            )
        )
    progress = state.progress(now)
    if progress is not None:
        controls.append(section(tr.gettext("My program"), [card(ProgressPicture(progress))]))
    return screen(tr.gettext("Today"), controls)
