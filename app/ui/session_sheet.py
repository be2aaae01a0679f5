"""The session sheet: details of one session and the RSVP (going / running late / can't), offline too."""

from __future__ import annotations

from typing import Any

import flet as ft

from app.domain.model import RsvpResponse, SessionStatus
from app.platform.links import device_link
from app.ui.context import Handler, use_app, use_screens, use_tr
from app.ui.labels import kind_label, rsvp_label, session_title
from app.ui.layout import back_button, card, choice_row, muted, screen, tagged
from app.ui.session_card import status_chips, time_range
from app.ui.theme import kind_colour, kind_icon
from flet_guard.form import use_form

RSVP_ICONS = {
    RsvpResponse.GOING: ft.Icons.CHECK_CIRCLE_OUTLINE,
    RsvpResponse.LATE: ft.Icons.SCHEDULE,
    RsvpResponse.CANNOT: ft.Icons.CANCEL_OUTLINED,
}


@ft.component
def SessionSheet() -> Any:
    tr = use_tr()
    app = use_app()
    state = use_screens().week
    item_id = ft.use_route_params().get("item_id", "")
    form = use_form()
    saved, set_saved = ft.use_state(False)
    loaded, set_loaded = ft.use_state(False)

    async def reload() -> None:
        # On every change of local data (a push settled, a pull): "(not sent yet)" goes at once, and
        # a session of another week (Today's next one, on a Sunday) is found in its own week.
        await state.load_item(item_id)
        set_loaded(True)

    ft.use_effect(reload, dependencies=[item_id, app.revision])
    item = state.item(item_id)
    back = back_button(tr.gettext("Back to my week"), "/week")
    if item is None:
        notice = [muted(tr.gettext("This session is not on your schedule."))] if loaded else []
        return screen(tr.gettext("Session"), [back, *notice])
    rsvp = state.overview.rsvps.get(item.id) if state.overview else None
    if loaded and "note" not in form.values:
        form.set("note", rsvp.note if rsvp else "")  # what the patient told the clinic last time

    def answer(response: RsvpResponse) -> Handler:
        async def handler(_e: Any) -> None:
            app.touch()
            await state.rsvp(item_id, response, form["note"])
            set_saved(True)

        return handler

    facts: list[ft.Control] = [
        ft.Row(
            [ft.Icon(kind_icon(item.kind), color=kind_colour(item.kind)), ft.Text(kind_label(tr, item.kind))]
        ),
        ft.Row(
            [
                ft.Icon(ft.Icons.SCHEDULE),
                ft.Text(
                    tr.gettext("{day}, {time}").format(
                        day=tr.day_heading(tr.local(item.starts_at).date()), time=time_range(tr, item)
                    ),
                    size=16,
                ),
            ]
        ),
    ]
    if item.location:
        facts.append(ft.Row([ft.Icon(ft.Icons.PLACE_OUTLINED), ft.Text(item.location, size=16)]))
    if item.staff_name:
        facts.append(
            ft.Row(
                [
                    ft.Icon(ft.Icons.PERSON_OUTLINE),
                    ft.Text(tr.gettext("with {name}").format(name=item.staff_name), size=16),
                ]
            )
        )
    if item.video_url:
        facts.append(
            ft.FilledTonalButton(
                content=tr.gettext("Join video call"),
                icon=ft.Icons.VIDEOCAM_OUTLINED,
                url=device_link(item.video_url),
            )
        )
    if item.note:
        facts.append(muted(item.note))
    chips = status_chips(tr, item, rsvp)
    if chips:
        facts.append(tagged("session-chips", ft.Row(wrap=True, spacing=6, controls=chips)))
    open_for_answers = item.status is not SessionStatus.CANCELLED and item.ends_at > app.clock()
    if rsvp is not None and rsvp.note and not open_for_answers:
        facts.append(tagged("rsvp-sent-note", muted(tr.gettext("Your note: {note}").format(note=rsvp.note))))
    controls: list[ft.Control] = [back, card(ft.Column(spacing=10, controls=facts))]
    if open_for_answers:
        buttons: list[ft.Control] = [
            tagged(
                f"rsvp-{r.value}",
                (ft.FilledButton if rsvp and rsvp.response is r else ft.OutlinedButton)(
                    content=rsvp_label(tr, r),
                    icon=RSVP_ICONS[r],
                    on_click=answer(r),
                    style=ft.ButtonStyle(padding=ft.Padding.symmetric(horizontal=16, vertical=14)),
                ),
            )
            for r in RsvpResponse
        ]
        controls.append(ft.Text(tr.gettext("Will you be there?"), size=18, weight=ft.FontWeight.W_600))
        controls.append(
            tagged(
                "rsvp-note",
                form.field(
                    "note",
                    then=app.touch,
                    label=tr.gettext("Note for the clinic (optional)"),
                    multiline=True,
                    max_length=500,
                ),
            )
        )
        controls.append(choice_row(buttons))
        if saved or (rsvp and rsvp.pending):
            pending = bool(rsvp and rsvp.pending)
            controls.append(
                tagged(
                    "rsvp-status",
                    muted(
                        tr.gettext("Saved on this device. It will be sent when you are online.")
                        if pending
                        else tr.gettext("Your clinic has your answer.")
                    ),
                )
            )
    return screen(session_title(tr, item.title, item.kind), controls)
