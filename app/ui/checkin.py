"""The check-in screen (`checkin-screen`): the daily check-in or a weekly questionnaire, then confirmed.

Every scale is a slider and a row of large tappable values, each named for a screen reader
("Craving 7 of 10"). Next to an answer the clinic's thresholds will flag, the screen says the
care team will see it today; after a worrying answer the confirmation shows the call buttons.

The confirmation is kept under the form, hidden, once the form is on screen (`visible=False`: Flutter
neither builds nor lays out a hidden control, and a screen reader does not find it). The tap on "Send
check-in" shows it and fills in the few values that depend on the answers (the title, where the answer
is, the call buttons after a worrying answer — built in advance) — a patch of ~70-350 bytes instead of
replacing the form's ~180 controls by the confirmation's ~60 (~5 KB). Whichever of the two is hidden
is not drawn again: the same control objects go back into the tree and Flet skips them, so the tap
costs the server ~3 ms of rendering, not a redraw of the form. The form stays under the confirmation
with its answers and typed note for "Change my answers", which draws it again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import flet as ft

from app.domain.checkins import Answer, Cadence, Item, ItemKind, Questionnaire, text_in
from app.i18n import N_, Translator
from app.state.checkins import CheckInState
from app.state.session import AppState
from app.ui.checkin_confirmation import confirmation_view
from app.ui.context import Handler, nav_to, use_app, use_screens, use_tr
from app.ui.layout import back_button, card, choice_row, error_banner, muted, screen, tagged
from app.ui.own_writes import drawn_by_tap
from flet_guard.form import Form, use_form

CHIP = 48  # px: a tappable value, one-handed
Pick = Callable[[str, Answer], Handler]  # (item id, value) → the click handler that answers it
SHORT_NAMES = {"craving": N_("Craving"), "mood": N_("Mood"), "confidence": N_("Confidence")}


def team_will_see(text: str, identifier: str) -> ft.Control:
    """The honest note beside an answer that will alert the care team."""
    return tagged(
        identifier,
        ft.Row(
            spacing=6,
            controls=[
                ft.Icon(ft.Icons.VISIBILITY_OUTLINED, size=18, color=ft.Colors.TERTIARY),
                ft.Text(text, size=14, weight=ft.FontWeight.W_600, color=ft.Colors.TERTIARY, expand=True),
            ],
        ),
        live_region=True,
    )


@ft.component
def ScaleQuestion(item: Item, value: int | None, pick: Pick) -> Any:
    tr = use_tr()
    question = text_in(item.text, tr.code)
    short = tr.gettext(SHORT_NAMES[item.id]) if item.id in SHORT_NAMES else question  # "Craving 7 of 10"
    low, high = item.values[0], item.values[-1]

    def chip(v: int) -> ft.Control:
        chosen = v == value
        name = tr.gettext("{question} {value} of {max}").format(
            question=short, value=tr.number(v), max=tr.number(high)
        )
        button = (ft.FilledButton if chosen else ft.OutlinedButton)(
            content=ft.Text(tr.number(v), size=17, weight=ft.FontWeight.W_600, semantics_label=name),
            on_click=pick(item.id, v),
            width=CHIP,
            height=CHIP,
            style=ft.ButtonStyle(padding=0, shape=ft.RoundedRectangleBorder(radius=12)),
        )
        return tagged(f"checkin-{item.id}-{v}", button, selected=chosen)

    async def slid(e: Any) -> None:
        await pick(item.id, round(float(e.control.value)))(e)

    ends = []
    if item.low_label:
        ends.append(
            muted(
                tr.gettext("{value} = {label}").format(
                    value=tr.number(low), label=text_in(item.low_label, tr.code)
                )
            )
        )
    if item.high_label:
        ends.append(
            muted(
                tr.gettext("{value} = {label}").format(
                    value=tr.number(high), label=text_in(item.high_label, tr.code)
                )
            )
        )
    return ft.Column(
        spacing=6,
        controls=[
            # The slider is for a finger or a mouse; a screen reader gets the chips, each named
            # ("Craving 7 of 10"): Flutter's web slider leaves its range input without a name.
            ft.Semantics(
                exclude_semantics=True,
                content=ft.Slider(
                    min=low,
                    max=high,
                    divisions=high - low,
                    value=value if value is not None else low,
                    # Not answered yet: a grey thumb, so the start of the scale does not look chosen.
                    thumb_color=ft.Colors.OUTLINE if value is None else None,
                    active_color=ft.Colors.OUTLINE_VARIANT if value is None else None,
                    on_change_end=slid,
                ),
            ),
            ft.Row(wrap=True, spacing=6, run_spacing=6, controls=[chip(v) for v in item.values]),
            ft.Row(alignment=ft.MainAxisAlignment.SPACE_BETWEEN, controls=ends),
        ],
    )


def choice_buttons(tr: Translator, item: Item, value: Answer | None, pick: Pick) -> ft.Control:
    question = text_in(item.text, tr.code)
    if item.kind is ItemKind.YES_NO:
        options: list[tuple[str, Answer, str]] = [
            ("yes", True, tr.gettext("Yes")),
            ("no", False, tr.gettext("No")),
        ]
    else:
        options = [(str(c.value), c.value, text_in(c.text, tr.code)) for c in item.choices]
    buttons = []
    for key, v, label in options:
        chosen = value is not None and value == v and type(value) is type(v)
        name = tr.gettext("{question}: {answer}").format(question=question, answer=label)
        button = (ft.FilledButton if chosen else ft.OutlinedButton)(
            content=ft.Text(label, size=16, semantics_label=name),
            on_click=pick(item.id, v),
            style=ft.ButtonStyle(padding=ft.Padding.symmetric(horizontal=22, vertical=14)),
        )
        buttons.append(tagged(f"checkin-{item.id}-{key}", button, selected=chosen))
    horizontal = item.kind is ItemKind.YES_NO
    if horizontal:
        return choice_row(buttons)
    return ft.Column(spacing=8, horizontal_alignment=ft.CrossAxisAlignment.STRETCH, controls=buttons)


def weekly_link(tr: Translator, due: list[Questionnaire]) -> ft.Control:
    """The weekly questionnaires still to answer this week, one tap to the first of them."""
    label = tr.ngettext(
        "{n} weekly questionnaire to answer", "{n} weekly questionnaires to answer", len(due)
    ).format(n=tr.number(len(due)))
    link = ft.TextButton(
        content=label, icon=ft.Icons.CHEVRON_RIGHT, on_click=nav_to(f"/checkin/q/{due[0].id}")
    )
    return tagged("checkin-weekly", link)


def question(tr: Translator, state: CheckInState, item: Item, form: Form, pick: Pick) -> ft.Control:
    value = state.draft.get(item.id)
    lines: list[ft.Control] = []
    if item.kind is ItemKind.TEXT:
        lines.append(
            form.field(
                item.id,
                label=text_in(item.text, tr.code),
                multiline=True,
                min_lines=2,
                max_length=2000,
            )
        )
    else:
        lines.append(ft.Text(text_in(item.text, tr.code), size=18, weight=ft.FontWeight.W_600))
        if item.kind is ItemKind.SCALE:
            lines.append(
                ScaleQuestion(
                    item, value if isinstance(value, int) and not isinstance(value, bool) else None, pick
                )
            )
        else:
            lines.append(choice_buttons(tr, item, value, pick))
    if state.alerts(item.id):
        lines.append(
            team_will_see(tr.gettext("Your care team will see this today."), f"checkin-{item.id}-seen")
        )
    stretch = ft.CrossAxisAlignment.STRETCH if item.kind is ItemKind.TEXT else ft.CrossAxisAlignment.START
    column = ft.Column(spacing=10, horizontal_alignment=stretch, controls=lines)  # a note field: full width
    return tagged(f"checkin-{item.id}", card(column), container=True)


@ft.component
def CheckInScreen() -> Any:
    tr = use_tr()
    app = use_app()
    state = use_screens().checkins
    wanted = ft.use_route_params().get("questionnaire_id", "")
    form = use_form()

    async def open_form() -> None:
        # Arriving here (the tab, Today's card) starts from this period's answers, not from the
        # confirmation of an earlier visit.
        await state.load()
        state.close()
        target = state.questionnaire(wanted) or state.daily
        if target is not None:
            state.start(target.id)
            note = state.draft.get("note")
            form.set("note", note if isinstance(note, str) else "")

    async def reload() -> None:
        await state.load()  # a sync landed: the confirmation and the answers being given stay

    found: Questionnaire | None = state.questionnaire(state.answering)
    # The confirmation is kept under the form, hidden (see the module): added by the update right
    # after the form's, so opening the check-in does not wait for it.
    layered, set_layered = ft.use_state(False)
    ft.use_effect(open_form, dependencies=[wanted])
    ft.use_effect(reload, dependencies=[app.revision])
    ft.use_effect(lambda: set_layered(found is not None), dependencies=[found is not None])
    confirmation = state.confirmation if found is not None else None
    # What is hidden is not drawn again: the same objects go back into the tree and Flet skips them
    # (a retained subtree is not diffed). The form under the confirmation is redrawn when it shows
    # again ("Change my answers"); the confirmation under the form when the send shows it.
    kept_form: Any = ft.use_ref(None)
    kept_confirmation: Any = ft.use_ref(None)
    if confirmation is None or kept_form.current is None:
        kept_form.current = check_in_form(tr, app, state, found, form)
    if confirmation is not None and found is not None:
        saved = confirmation.checkin
        shown = next((c for c in state.history() if c.id == saved.id), saved)
        kept_confirmation.current = confirmation_view(tr, app, state, found, confirmation, shown)
    elif found is None or not layered:
        kept_confirmation.current = None
    elif kept_confirmation.current is None:
        kept_confirmation.current = confirmation_view(tr, app, state, found, None, None)
    return ft.Column(
        expand=True,
        spacing=0,
        controls=[
            ft.Container(expand=True, visible=confirmation is None, content=kept_form.current),
            ft.Container(expand=True, visible=confirmation is not None, content=kept_confirmation.current),
        ],
    )


def check_in_form(
    tr: Translator, app: AppState, state: CheckInState, found: Questionnaire | None, form: Form
) -> ft.Control:
    if found is None:
        body = (
            [muted(tr.gettext("Your clinic has not set up a check-in for you yet."))]
            if state.overview
            else []
        )
        return screen(tr.gettext("Check-in"), body, identifier="checkin-screen")

    def pick(item_id: str, value: Answer) -> Handler:
        async def handler(_e: Any) -> None:
            app.touch()
            state.answer(item_id, value)

        return handler

    async def submit(_e: Any) -> None:
        app.touch()
        typed: dict[str, Answer] = {i.id: form[i.id] for i in found.items if i.kind is ItemKind.TEXT}
        # The confirmation is drawn by this tap's reply; the outbox write's re-read of the whole
        # app (the sync line, the Today card) follows a moment later rather than competing with it.
        with drawn_by_tap(app):
            await state.submit(typed)

    given = state.todays(found)
    # Always there, shown once today's check-in is given (a property to flip, not a line to insert).
    already = muted(
        tr.gettext("You already checked in today. You can change your answers until the end of the day.")
    )
    already.visible = given is not None
    controls: list[ft.Control] = [back_button(tr.gettext("Back to today"), "/"), already]
    controls += [question(tr, state, item, form, pick) for item in found.items]
    if state.total_alerts():
        controls.append(
            team_will_see(tr.gettext("Your care team will see these answers today."), "checkin-total-seen")
        )
    if found.attribution:
        controls.append(tagged("checkin-attribution", muted(found.attribution)))
    if state.problem:
        controls.append(error_banner("checkin-problem", tr.problem(state.problem)))
    label = tr.gettext("Save changes") if given is not None else tr.gettext("Send check-in")
    controls.append(
        tagged(
            "checkin-submit",
            ft.FilledButton(
                content=label,
                icon=ft.Icons.CHECK,
                on_click=submit,
                style=ft.ButtonStyle(padding=ft.Padding.symmetric(horizontal=24, vertical=16)),
            ),
        )
    )
    if weekly := [q for q in state.due() if q.id != found.id and q.cadence is Cadence.WEEKLY]:
        controls.append(ft.Row([weekly_link(tr, weekly)]))  # this week's questionnaires, from here too
    controls.append(
        ft.Row(
            [
                tagged(
                    "checkin-trends-link",
                    ft.TextButton(
                        content=tr.gettext("My trends"),
                        icon=ft.Icons.SHOW_CHART,
                        on_click=nav_to("/checkin/trends"),
                    ),
                )
            ]
        )
    )
    return screen(
        text_in(found.title, tr.code) or tr.gettext("Check-in"), controls, identifier="checkin-screen"
    )
