"""One patient: the week (move or cancel a session), check-ins, assignments (create, read, feedback),
enrolment code (shown once) and devices (revoke)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import flet as ft
import flet_charts as fch

from console.api import ProblemError
from console.models import (
    Assignment,
    AssignmentTemplate,
    CheckinPoint,
    Device,
    EnrolmentCode,
    Patient,
    Rsvp,
    ScheduleItem,
)
from console.ui.common import (
    AMBER,
    GREEN,
    RED,
    card,
    heading,
    muted,
    problem_banner,
    problem_text,
    tagged,
    use_session,
    use_tr,
    use_value,
)
from flet_guard.form import use_form

RSVP_TEXT = {"going": "✓", "late": "…", "cannot": "✗"}
CHART_HEIGHT = 180
PAST_DAYS = 14  # attendance: the sessions that ended in the last fortnight
PAST_SHOWN = 6


@dataclass
class Detail:
    schedule: list[ScheduleItem] = field(default_factory=list)
    rsvps: dict[str, Rsvp] = field(default_factory=dict)
    assignments: list[Assignment] = field(default_factory=list)
    checkins: list[CheckinPoint] | None = None
    devices: list[Device] = field(default_factory=list)
    templates: list[AssignmentTemplate] = field(default_factory=list)


def parse_local(text: str, like: datetime) -> datetime | None:
    """ "YYYY-MM-DD HH:MM" in the zone offset of `like` (the clinic's)."""
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    return value.replace(tzinfo=like.tzinfo) if value.tzinfo is None else value


@ft.component
def PatientDetail(patient: Patient, on_back: Any) -> Any:
    tr = use_tr()
    session = use_session()
    detail_value, set_detail = use_value(None)
    detail: Detail | None = detail_value
    error, set_error = use_value("")
    notice, set_notice = use_value("")
    code_value, set_code = use_value(None)
    code: EnrolmentCode | None = code_value
    editing, set_editing = use_value(None)  # the schedule item being moved
    form = use_form()

    async def load() -> None:
        client = session.client
        if client is None:
            return
        try:
            schedule, rsvps, assignments, checkins, devices = await asyncio.gather(
                client.schedule(patient.id),
                client.rsvps(patient.id),
                client.assignments(patient.id),
                client.checkins(patient.id),
                client.devices(patient.id),
            )
        except Exception as exc:
            set_error(problem_text(tr, exc))
            return
        try:
            templates = await client.assignment_templates()
        except ProblemError:  # a clinic without templates yet: the form starts empty
            templates = []
        set_detail(
            Detail(
                schedule, {r.schedule_item_id: r for r in rsvps}, assignments, checkins, devices, templates
            )
        )

    ft.use_effect(load, dependencies=[])

    async def act(work: Any, done: str) -> None:
        session.touch()
        try:
            await work
        except Exception as exc:
            set_error(problem_text(tr, exc))
            return
        set_error("")
        set_notice(done)
        await load()

    def client() -> Any:
        assert session.client is not None
        return session.client

    # -- the week ---------------------------------------------------------------------------------
    now = datetime.now(UTC)
    week: list[ft.Control] = []
    # The next seven days (the sessions staff move or cancel), in the clinic's times.
    upcoming = [
        i
        for i in (detail.schedule if detail else [])
        if now <= i.ends_at.astimezone(UTC) < now + timedelta(days=7)
    ]
    for item in upcoming:
        rsvp = detail.rsvps.get(item.id) if detail else None
        status = {"cancelled": tr.gettext("Cancelled"), "moved": tr.gettext("Moved")}.get(item.status, "")
        line = f"{tr.day_time(item.starts_at)} · {item.title or item.kind}"
        facts = [status] if status else []
        if rsvp:
            facts.append(
                tr.gettext("RSVP: {answer}").format(answer=RSVP_TEXT.get(rsvp.response, rsvp.response))
            )

        def move_handler(target: ScheduleItem) -> Any:
            async def handler(_e: Any) -> None:
                session.touch()
                form.set("move", target.starts_at.strftime("%Y-%m-%d %H:%M"))
                set_editing(target.id)

            return handler

        def cancel_handler(target: ScheduleItem) -> Any:
            async def handler(_e: Any) -> None:
                await act(client().cancel_item(target.id), tr.gettext("Session cancelled."))

            return handler

        def save_move(target: ScheduleItem) -> Any:
            async def handler(_e: Any) -> None:
                start = parse_local(form["move"], target.starts_at)
                if start is None:
                    set_error(tr.gettext("Write the new time as YYYY-MM-DD HH:MM."))
                    return
                end = start + (target.ends_at - target.starts_at)
                set_editing(None)
                await act(
                    client().move_item(target.id, start.isoformat(), end.isoformat()),
                    tr.gettext("Session moved."),
                )

            return handler

        actions: list[ft.Control] = []
        if item.status != "cancelled":
            actions = [
                tagged(
                    f"console-move-{item.id}",
                    ft.OutlinedButton(content=tr.gettext("Move…"), on_click=move_handler(item)),
                ),
                tagged(
                    f"console-cancel-{item.id}",
                    ft.TextButton(content=tr.gettext("Cancel session"), on_click=cancel_handler(item)),
                ),
            ]
        rows: list[ft.Control] = [
            ft.Row(
                alignment=ft.MainAxisAlignment.SPACE_BETWEEN,
                controls=[
                    ft.Column(
                        spacing=2,
                        expand=True,
                        controls=[
                            ft.Text(line, weight=ft.FontWeight.W_600),
                            *([muted(" · ".join(facts))] if facts else []),
                        ],
                    ),
                    ft.Row(actions),
                ],
            )
        ]
        if editing == item.id:
            rows.append(
                ft.Row(
                    [
                        tagged(
                            f"console-move-time-{item.id}",
                            form.field(
                                "move",
                                label=tr.gettext("New start (YYYY-MM-DD HH:MM)"),
                                on_submit=save_move(item),
                                width=280,
                            ),
                        ),
                        tagged(
                            f"console-move-save-{item.id}",
                            ft.FilledButton(content=tr.gettext("Move session"), on_click=save_move(item)),
                        ),
                        ft.TextButton(
                            content=tr.gettext("Keep the time"), on_click=lambda _e: set_editing(None)
                        ),
                    ]
                )
            )
        week.append(
            tagged(f"console-item-{item.id}", card(ft.Column(spacing=6, controls=rows)), container=True)
        )
    if detail and not upcoming:
        week.append(muted(tr.gettext("No sessions in the next seven days.")))

    # -- attendance: the sessions of the last fortnight that have ended, newest first --------------
    past_sessions = [
        i
        for i in (detail.schedule if detail else [])
        if now - timedelta(days=PAST_DAYS) <= i.ends_at.astimezone(UTC) < now and i.status != "cancelled"
    ][::-1][:PAST_SHOWN]
    attendance_rows: list[ft.Control] = []
    for item in past_sessions:

        def mark(target: ScheduleItem, status: str) -> Any:
            async def handler(_e: Any) -> None:
                done = (
                    tr.gettext("Marked attended.") if status == "attended" else tr.gettext("Marked absent.")
                )
                await act(client().set_attendance(target.id, status), done)

            return handler

        recorded = {
            "attended": tr.gettext("Attended"),
            "absent": tr.gettext("Absent"),
        }.get(item.attendance or "", tr.gettext("Attendance not recorded"))
        rsvp = detail.rsvps.get(item.id) if detail else None
        facts = [recorded]
        if rsvp:
            facts.append(
                tr.gettext("RSVP: {answer}").format(answer=RSVP_TEXT.get(rsvp.response, rsvp.response))
            )
        buttons = [
            tagged(
                f"console-{status}-{item.id}",
                (ft.FilledTonalButton if item.attendance == status else ft.TextButton)(
                    content=label, on_click=mark(item, status)
                ),
                selected=item.attendance == status,
            )
            for status, label in (("attended", tr.gettext("Attended")), ("absent", tr.gettext("Absent")))
        ]
        attendance_rows.append(
            tagged(
                f"console-attendance-{item.id}",
                ft.Row(
                    alignment=ft.MainAxisAlignment.SPACE_BETWEEN,
                    controls=[
                        ft.Column(
                            spacing=2,
                            expand=True,
                            controls=[
                                ft.Text(
                                    f"{tr.day_time(item.starts_at)} · {item.title or item.kind}",
                                    weight=ft.FontWeight.W_600,
                                ),
                                ft.Text(
                                    " · ".join(facts),
                                    color=GREEN
                                    if item.attendance == "attended"
                                    else RED
                                    if item.attendance == "absent"
                                    else ft.Colors.ON_SURFACE_VARIANT,
                                ),
                            ],
                        ),
                        ft.Row(buttons, spacing=4),
                    ],
                ),
                container=True,
            )
        )
    if detail and not past_sessions:
        attendance_rows.append(muted(tr.gettext("No sessions in the last two weeks.")))

    # -- check-ins --------------------------------------------------------------------------------
    chart: list[ft.Control]
    if detail is None or detail.checkins is None:
        chart = [muted(tr.gettext("Check-ins are not available from this clinic yet."))]
    elif not detail.checkins:
        chart = [muted(tr.gettext("No check-ins yet."))]
    else:
        chart = [
            muted(tr.gettext("Craving by day, 0 to 10 (red: 8 or more, a flag)")),
            CheckinChart(list(reversed(detail.checkins[:14]))),
        ]

    # -- assignments ------------------------------------------------------------------------------
    assignments: list[ft.Control] = []
    for a in detail.assignments if detail else []:

        def feedback_handler(target: Assignment) -> Any:
            async def handler(_e: Any) -> None:
                text = form[f"feedback-{target.id}"].strip()
                if not text:
                    set_error(tr.gettext("Write the feedback first."))
                    return
                await act(client().feedback(target.id, text), tr.gettext("Feedback sent."))

            return handler

        parts: list[ft.Control] = [
            ft.Text(a.title, weight=ft.FontWeight.W_600),
            muted(f"{a.modality} · " + (tr.gettext("Done") if a.done else tr.gettext("To do"))),
        ]
        if a.response:
            parts.append(ft.Text(tr.gettext("Response: {text}").format(text=a.response)))
        if a.feedback:
            parts.append(
                muted(
                    tr.gettext("Feedback from {name}: {text}").format(
                        name=a.feedback_by or "—", text=a.feedback
                    )
                )
            )
        parts.append(
            ft.Row(
                [
                    tagged(
                        f"console-feedback-{a.id}",
                        form.field(
                            f"feedback-{a.id}",
                            label=tr.gettext("Feedback the patient sees"),
                            expand=True,
                        ),
                        expand=True,
                    ),
                    tagged(
                        f"console-feedback-send-{a.id}",
                        ft.OutlinedButton(content=tr.gettext("Send feedback"), on_click=feedback_handler(a)),
                    ),
                ]
            )
        )
        assignments.append(card(ft.Column(spacing=6, controls=parts)))

    async def create_assignment(_e: Any) -> None:
        title, modality = form["a-title"].strip(), form["a-modality"].strip() or "worksheet"
        if not title:
            set_error(tr.gettext("Give the assignment a title."))
            return
        await act(
            client().add_assignment(patient.id, title, modality, form["a-text"]),
            tr.gettext("Assignment created."),
        )

    def use_template(template: AssignmentTemplate) -> Any:
        async def handler(_e: Any) -> None:
            session.touch()
            form.generation += 1  # new field keys: the fields show the template's text
            for name, text in (
                ("a-title", template.title),
                ("a-modality", template.modality),
                ("a-text", template.instructions),
            ):
                form.set(name, text)
            set_notice(
                tr.gettext("Filled in from “{title}”. Edit it before creating.").format(title=template.title)
            )

        return handler

    def assignment_field(identifier: str, name: str, label: str, **options: Any) -> ft.Control:
        return tagged(
            identifier,
            form.field(
                name,
                label=label,
                **options,
            ),
        )

    template_buttons: list[ft.Control] = [
        tagged(
            f"console-template-{t.id}",
            ft.OutlinedButton(content=t.title, icon=ft.Icons.CONTENT_COPY, on_click=use_template(t)),
        )
        for t in (detail.templates if detail else [])
    ]
    assignments.append(
        card(
            ft.Column(
                spacing=8,
                controls=[
                    ft.Text(tr.gettext("New assignment"), weight=ft.FontWeight.W_600),
                    *(
                        [
                            muted(tr.gettext("Start from one of the clinic's templates:")),
                            tagged(
                                "console-templates",
                                ft.Row(wrap=True, spacing=6, run_spacing=6, controls=template_buttons),
                                container=True,
                            ),
                        ]
                        if template_buttons
                        else []
                    ),
                    assignment_field("console-assignment-title", "a-title", tr.gettext("Title")),
                    assignment_field(
                        "console-assignment-modality",
                        "a-modality",
                        tr.gettext("Kind (worksheet, reading, practice)"),
                    ),
                    assignment_field(
                        "console-assignment-instructions",
                        "a-text",
                        tr.gettext("Instructions"),
                        multiline=True,
                        min_lines=2,
                        max_lines=8,
                    ),
                    tagged(
                        "console-assignment-create",
                        ft.FilledButton(content=tr.gettext("Create assignment"), on_click=create_assignment),
                    ),
                ],
            )
        )
    )

    # -- enrolment and devices --------------------------------------------------------------------
    async def new_code(_e: Any) -> None:
        session.touch()
        try:
            made: EnrolmentCode = await client().enrolment_code(patient.id)
        except Exception as exc:
            set_error(problem_text(tr, exc))
            return
        set_code(made)

    enrol: list[ft.Control] = [
        ft.Row(
            [
                tagged(
                    "console-enrolment-code",
                    ft.OutlinedButton(
                        content=tr.gettext("Create an enrolment code"), icon=ft.Icons.KEY, on_click=new_code
                    ),
                )
            ]
        ),
    ]
    if code is not None:
        enrol.append(
            tagged(
                "console-enrolment-code-value",
                card(
                    ft.Column(
                        [
                            ft.Text(code.code, size=28, weight=ft.FontWeight.W_700, selectable=True),
                            muted(
                                tr.gettext("Shown once. Valid until {at}.").format(
                                    at=tr.datetime(code.expires_at)
                                )
                            ),
                        ]
                    ),
                    border=AMBER,
                ),
                live_region=True,
            )
        )
    for d in detail.devices if detail else []:

        def revoke_handler(target: Device) -> Any:
            async def handler(_e: Any) -> None:
                await act(client().revoke_device(target.id), tr.gettext("Device signed out."))

            return handler

        enrol.append(
            ft.Row(
                [
                    ft.Text(d.name, expand=True),
                    muted(tr.gettext("since {at}").format(at=tr.datetime(d.created_at))),
                    muted(tr.gettext("Signed out"))
                    if d.revoked
                    else tagged(
                        f"console-revoke-{d.id}",
                        ft.TextButton(content=tr.gettext("Sign this device out"), on_click=revoke_handler(d)),
                    ),
                ]
            )
        )

    def section(title: str, identifier: str, controls: list[ft.Control]) -> ft.Control:
        column = ft.Column(
            spacing=8,
            horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
            controls=[heading(title, size=18), *controls],
        )
        return tagged(identifier, column, container=True)

    top: list[ft.Control] = [
        ft.Row(
            [
                tagged(
                    "console-back",
                    ft.TextButton(
                        content=tr.gettext("Back to patients"),
                        icon=ft.Icons.ARROW_BACK,
                        on_click=lambda _e: on_back(),
                    ),
                ),
                heading(patient.display_name),
            ]
        )
    ]
    if error:
        top.append(problem_banner("console-detail-error", error))
    if notice:
        top.append(tagged("console-detail-notice", ft.Text(notice, color=GREEN), live_region=True))
    if detail is None and not error:
        top.append(muted(tr.gettext("Loading…")))
    left = ft.Column(
        expand=True,
        spacing=20,
        controls=[
            section(tr.gettext("Check-ins"), "console-detail-checkins", chart),
            section(tr.gettext("Attendance"), "console-detail-attendance", attendance_rows),
            section(tr.gettext("Next seven days"), "console-detail-week", week),
        ],
    )
    right = ft.Column(
        expand=True,
        spacing=20,
        controls=[
            section(tr.gettext("Assignments"), "console-detail-assignments", assignments),
            section(tr.gettext("Enrolment and devices"), "console-detail-devices", enrol),
        ],
    )
    return tagged(
        "console-patient-detail",
        ft.ListView(
            expand=True,
            padding=24,
            spacing=16,
            controls=[
                *top,
                ft.ResponsiveRow(
                    controls=[
                        ft.Container(left, col={"md": 12, "lg": 6}),
                        ft.Container(right, col={"md": 12, "lg": 6}),
                    ]
                ),
            ],
        ),
        container=True,
        expand=True,
    )


@ft.component
def CheckinChart(points: list[CheckinPoint]) -> Any:
    """Craving (0-10) per day as a bar chart (flet-charts), red at 8 or more (a flag), amber from 5;
    a screen reader hears every day's value instead of the drawing."""
    tr = use_tr()
    groups: list[fch.BarChartGroup] = []
    for x, p in enumerate(points):
        craving = p.craving or 0
        colour = RED if craving >= 8 else AMBER if craving >= 5 else GREEN
        value = str(p.craving) if p.craving is not None else "—"
        groups.append(
            fch.BarChartGroup(
                x=x,
                rods=[
                    fch.BarChartRod(
                        from_y=0,
                        to_y=max(craving, 0.15),  # a sliver for 0 so every answered day shows
                        width=16,
                        color=colour,
                        border_radius=ft.BorderRadius.only(top_left=4, top_right=4),
                        tooltip=f"{p.period}: {value}",
                    )
                ],
            )
        )
    step = 1 if len(points) <= 8 else 2  # every other date when a fortnight is shown
    chart = fch.BarChart(
        groups=groups,
        min_y=0,
        max_y=10,
        height=CHART_HEIGHT,
        left_axis=fch.ChartAxis(
            labels=[fch.ChartAxisLabel(value=v, label=muted(str(v), size=11)) for v in (0, 5, 8, 10)],
            label_size=28,
        ),
        bottom_axis=fch.ChartAxis(
            labels=[
                fch.ChartAxisLabel(value=x, label=muted(p.period[5:], size=11))
                for x, p in enumerate(points)
                if (len(points) - 1 - x) % step == 0  # always the newest day
            ],
            label_size=24,
        ),
        horizontal_grid_lines=fch.ChartGridLines(interval=1, color=ft.Colors.OUTLINE_VARIANT, width=0.5),
        border=ft.Border.all(1, ft.Colors.OUTLINE_VARIANT),
        tooltip=fch.BarChartTooltip(bgcolor=ft.Colors.INVERSE_SURFACE, fit_inside_horizontally=True),
    )
    label = tr.gettext("Craving per day, 0 to 10: {values}").format(
        values=", ".join(f"{p.period}: {p.craving if p.craving is not None else '—'}" for p in points)
    )
    return tagged("console-checkin-chart", chart, label=label, container=True)
