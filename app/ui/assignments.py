"""Assignments: to do and done, each with a due badge; tap for the detail."""

from __future__ import annotations

from typing import Any

import flet as ft

from app.domain.model import Assignment
from app.i18n import Translator
from app.ui.context import nav_to, use_app, use_screens, use_tr
from app.ui.layout import muted, screen, section, tagged
from app.ui.theme import CHANGED, LATE


def due_badge(tr: Translator, assignment: Assignment, now_ts: float) -> ft.Control | None:
    if assignment.due_at is None:
        return None
    left = assignment.due_at.timestamp() - now_ts
    colour = LATE if left < 0 else CHANGED if left < 2 * 86400 else ft.Colors.PRIMARY
    text = (
        tr.gettext("Overdue")
        if left < 0
        else tr.gettext("Due {day}").format(day=tr.day_heading(tr.local(assignment.due_at).date()))
    )
    return ft.Container(
        padding=ft.Padding.symmetric(horizontal=8, vertical=3),
        border_radius=12,
        border=ft.Border.all(1.5, colour),
        content=ft.Text(text, size=12, color=colour, weight=ft.FontWeight.W_600),
    )


@ft.component
def AssignmentRow(assignment: Assignment) -> Any:
    tr = use_tr()
    app = use_app()
    done = assignment.completed_at is not None or assignment.status.value == "done"
    badges: list[ft.Control] = []
    if not done and (badge := due_badge(tr, assignment, app.clock().timestamp())):
        badges.append(badge)
    if assignment.pending:
        badges.append(muted(tr.gettext("Not sent yet")))
    if assignment.feedback:
        badges.append(muted(tr.gettext("New feedback")))
    return tagged(
        f"assignment-{assignment.id}",
        ft.Container(
            padding=12,
            border_radius=12,
            bgcolor=ft.Colors.SURFACE_CONTAINER_LOW,
            on_click=nav_to(f"/assignments/{assignment.id}"),
            ink=True,
            content=ft.Row(
                spacing=12,
                controls=[
                    ft.Icon(
                        ft.Icons.TASK_ALT if done else ft.Icons.ASSIGNMENT_OUTLINED,
                        color=ft.Colors.PRIMARY if done else None,
                    ),
                    ft.Column(
                        expand=True,
                        spacing=4,
                        controls=[
                            ft.Text(assignment.title, size=16, weight=ft.FontWeight.W_600),
                            muted(assignment.modality),
                            *([ft.Row(wrap=True, spacing=6, controls=badges)] if badges else []),
                        ],
                    ),
                    ft.Icon(ft.Icons.CHEVRON_RIGHT),
                ],
            ),
        ),
        button=True,
    )


@ft.component
def AssignmentsScreen() -> Any:
    tr = use_tr()
    app = use_app()
    state = use_screens().assignments
    ft.use_effect(state.load, dependencies=[app.revision])
    todo, done = state.todo, state.done
    return screen(
        tr.gettext("Assignments"),
        [
            section(
                tr.gettext("To do"),
                [AssignmentRow(a) for a in todo] or [muted(tr.gettext("All done. Well done."))],
            ),
            section(
                tr.pgettext("assignments heading", "Done"),
                [AssignmentRow(a) for a in done] or [muted(tr.gettext("Nothing done yet."))],
            ),
        ],
    )
