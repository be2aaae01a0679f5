"""One assignment: instructions (markdown), my response, mark as done (offline too), counsellor feedback."""

from __future__ import annotations

from typing import Any

import flet as ft

from app.domain.model import AssignmentStatus
from app.i18n import Translator
from app.state.assignments import RESPONSE_LIMIT
from app.ui.context import use_app, use_screens, use_tr
from app.ui.layout import back_button, card, muted, screen, section, tagged
from flet_guard.form import use_form


def too_long_text(tr: Translator, length: int) -> str:
    """Said, never done silently: the text is kept whole, and sending waits until it fits."""
    return tr.gettext(
        "Your response is {n} characters long; up to {limit} can be sent. "
        "Shorten it by {over} to send it. Nothing you wrote was cut."
    ).format(n=tr.number(length), limit=tr.number(RESPONSE_LIMIT), over=tr.number(length - RESPONSE_LIMIT))


@ft.component
def AssignmentDetail() -> Any:
    tr = use_tr()
    app = use_app()
    state = use_screens().assignments
    assignment_id = ft.use_route_params().get("assignment_id", "")
    form = use_form()
    loaded, set_loaded = ft.use_state(False)
    over, set_over = ft.use_state(False)

    async def reload() -> None:
        # Every time local data changes (a push settled, a pull): "not sent yet" must not outlive it.
        await state.load()
        set_loaded(True)

    ft.use_effect(reload, dependencies=[assignment_id, app.revision])
    back = back_button(tr.gettext("Back to assignments"), "/assignments")
    assignment = state.get(assignment_id)
    if not loaded:
        return screen(assignment.title if assignment else tr.gettext("Assignment"), [back])
    if assignment is None:
        return screen(
            tr.gettext("Assignment"), [back, muted(tr.gettext("This assignment is not here any more."))]
        )
    done = assignment.status is AssignmentStatus.DONE
    if "response" not in form.values:
        # What was typed before Back, "Get help now" or closing the app, read back from the store.
        form.set("response", state.drafts.get(assignment_id) or assignment.response)

    async def typed(e: ft.Event[Any]) -> None:
        app.touch()
        text = form.typed("response", e)
        set_over(len(text) > RESPONSE_LIMIT)
        await state.save_draft(assignment_id, text)

    async def complete(_e: ft.Event[Any]) -> None:
        app.touch()
        if len(form["response"]) > RESPONSE_LIMIT:
            set_over(True)
            return
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
            form.bind(
                "response",
                ft.TextField(
                    label=tr.gettext("My response"),
                    multiline=True,
                    min_lines=4,
                    read_only=done,
                    on_change=typed,
                ),
            ),
        )
    )
    length = len(form["response"])
    if not done and (over or length > RESPONSE_LIMIT):
        controls.append(
            tagged(
                "assignment-too-long",
                ft.Text(too_long_text(tr, length), color=ft.Colors.ERROR, size=15),
                live_region=True,
            )
        )
    elif not done and form["response"] and form["response"] != assignment.response:
        controls.append(
            tagged("assignment-draft", muted(tr.gettext("Draft kept on this device until you send it.")))
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
