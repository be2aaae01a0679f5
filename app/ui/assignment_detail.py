"""One assignment: instructions (markdown), my response, mark as done (offline too), counsellor feedback."""

from __future__ import annotations

from typing import Any

import flet as ft

from app.domain.model import AssignmentStatus
from app.ui.context import use_app, use_screens, use_tr
from app.ui.form import use_form
from app.ui.layout import back_button, card, muted, screen, section, tagged


@ft.component
def AssignmentDetail() -> Any:
    tr = use_tr()
    app = use_app()
    state = use_screens().assignments
    assignment_id = ft.use_route_params().get("assignment_id", "")
    form = use_form()

    async def ensure_loaded() -> None:
        if state.get(assignment_id) is None:
            await state.load()

    ft.use_effect(ensure_loaded, dependencies=[assignment_id, app.revision])
    back = back_button(tr.gettext("Back to assignments"), "/assignments")
    assignment = state.get(assignment_id)
    if assignment is None:
        return screen(
            tr.gettext("Assignment"), [back, muted(tr.gettext("This assignment is not here any more."))]
        )
    done = assignment.status is AssignmentStatus.DONE
    if "response" not in form.values:
        form.values["response"] = assignment.response

    async def complete(_e: ft.Event[Any]) -> None:
        app.touch()
        await state.complete(assignment_id, form["response"])

    controls: list[ft.Control] = [back, muted(assignment.modality)]
    if assignment.due_at is not None:
        controls.append(
            ft.Text(
                tr.gettext("Due {day} at {time}").format(
                    day=tr.day_heading(tr.local(assignment.due_at).date()), time=tr.time(assignment.due_at)
                ),
                size=16,
            )
        )
    controls.append(
        card(
            ft.Markdown(
                assignment.instructions,
                selectable=True,
                extension_set=ft.MarkdownExtensionSet.GITHUB_FLAVORED,
            )
        )
    )
    controls.append(
        tagged(
            "assignment-response",
            ft.TextField(
                label=tr.gettext("My response"),
                value=form["response"],
                multiline=True,
                min_lines=4,
                max_length=5000,
                read_only=done,
                on_change=form.on_change("response", app.touch),
            ),
        )
    )
    if done:
        when = assignment.completed_at
        status = (
            tr.gettext("Done")
            if when is None
            else tr.gettext("Done on {day}").format(day=tr.day_heading(tr.local(when).date()))
        )
        if assignment.pending:
            status = tr.gettext("{status} · saved on this device, not sent yet").format(status=status)
        controls.append(
            tagged(
                "assignment-status",
                ft.Row(
                    [
                        ft.Icon(ft.Icons.TASK_ALT, color=ft.Colors.PRIMARY),
                        ft.Text(status, size=16, expand=True),
                    ]
                ),
            )
        )
    else:
        controls.append(
            tagged(
                "assignment-complete",
                ft.FilledButton(
                    content=tr.gettext("Mark as done"),
                    icon=ft.Icons.CHECK,
                    on_click=complete,
                    style=ft.ButtonStyle(padding=ft.Padding.symmetric(horizontal=20, vertical=16)),
                ),
            )
        )
    if assignment.feedback:
        who = assignment.feedback_by or tr.gettext("Your counsellor")
        heading = tr.gettext("Feedback from {name}").format(name=who)
        controls.append(section(heading, [card(ft.Text(assignment.feedback, size=16))]))
    return screen(assignment.title, controls)
