"""Patients: the caseload (this week's RSVPs, last check-in, open flags, assignments due) and a
patient's detail (the week, assignments, check-ins chart, enrolment code and devices)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import flet as ft

from console.api import StaffClient
from console.i18n import Translator
from console.models import Assignment, CheckinPoint, Patient, Rsvp, ScheduleItem, TrendWeek
from console.ui.common import (
    GREEN,
    RED,
    card,
    heading,
    keyed,
    muted,
    problem_banner,
    problem_text,
    tagged,
    use_session,
    use_tr,
    use_value,
)
from console.ui.patient_detail import PatientDetail


@dataclass(frozen=True)
class Row:
    patient: Patient
    week: list[ScheduleItem]
    rsvps: dict[str, Rsvp]
    assignments: list[Assignment]
    last_checkin: CheckinPoint | None
    checkins_available: bool
    trend: list[TrendWeek] | None = None  # last week and this week, oldest first


def week_bounds(now: datetime) -> tuple[datetime, datetime]:
    monday = (now - timedelta(days=now.weekday())).replace(hour=0, minute=0, second=0, microsecond=0)
    return monday, monday + timedelta(days=7)


async def load_row(client: StaffClient, patient: Patient) -> Row:
    schedule, rsvps, assignments, checkins, trend = await asyncio.gather(
        client.schedule(patient.id),
        client.rsvps(patient.id),
        client.assignments(patient.id),
        client.checkins(patient.id, limit=1),
        client.trends(patient.id, weeks=2),
    )
    # This week in the clinic's zone (its times carry its offset), not the server's or UTC.
    # The offset of the session nearest now: the first one's may be from before a DST change.
    utc_now = datetime.now(UTC)
    zone = min(schedule, key=lambda i: abs(i.starts_at - utc_now)).starts_at.tzinfo if schedule else UTC
    start, end = week_bounds(datetime.now(zone))
    week = [i for i in schedule if start <= i.starts_at < end]
    return Row(
        patient,
        week,
        {r.schedule_item_id: r for r in rsvps},
        assignments,
        checkins[0] if checkins else None,
        checkins is not None,
        trend,
    )


@ft.component
def PatientsScreen() -> Any:
    tr = use_tr()
    session = use_session()
    rows_value, set_rows = use_value(None)
    rows: list[Row] | None = rows_value
    error, set_error = use_value("")
    selected_value, set_selected = use_value(None)
    selected: Patient | None = selected_value

    async def load() -> None:
        client = session.client
        if client is None:
            return
        try:
            patients = await client.patients()
            set_rows(list(await asyncio.gather(*(load_row(client, p) for p in patients))))
            set_error("")
        except Exception as exc:
            set_error(problem_text(tr, exc))

    ft.use_effect(load, dependencies=[])

    if selected is not None:
        return keyed(PatientDetail, selected, lambda: set_selected(None), key=f"detail-{selected.id}")

    controls: list[ft.Control] = [heading(tr.gettext("Patients"))]
    if error:
        controls.append(problem_banner("console-patients-error", error))
    if rows is None:
        controls.append(muted(tr.gettext("Loading…")))
    for row in rows or []:
        controls.append(keyed(PatientRow, row, set_selected, key=f"patient-{row.patient.id}"))
    return tagged(
        "console-patients",
        ft.ListView(expand=True, padding=24, spacing=12, controls=controls),
        container=True,
        expand=True,
    )


def week_line(tr: Translator, row: Row) -> str:
    """The week day by day: the patient's RSVPs and, once past, how many sessions they attended
    (a programme day has several sessions, so a line per session would not scale)."""
    words = {
        "going": tr.gettext("going"),
        "late": tr.gettext("running late"),
        "cannot": tr.gettext("cannot come"),
    }
    days: dict[str, list[ScheduleItem]] = {}
    for item in row.week:
        days.setdefault(tr.day(item.starts_at), []).append(item)
    parts = []
    for day, items in days.items():
        bits: list[str] = []
        if all(i.status == "cancelled" for i in items):
            bits.append(tr.gettext("cancelled"))
        answers = {row.rsvps[i.id].response for i in items if i.id in row.rsvps}
        bits.extend(words.get(a, a) for a in sorted(answers))
        attended = sum(1 for i in items if i.attendance == "attended")
        absent = sum(1 for i in items if i.attendance == "absent")
        if attended:
            bits.append(tr.ngettext("{n} attended", "{n} attended", attended).format(n=attended))
        if absent:
            bits.append(tr.ngettext("{n} absent", "{n} absent", absent).format(n=absent))
        parts.append(day + (": " + ", ".join(bits) if bits else ""))
    return " · ".join(parts)


@ft.component
def PatientRow(row: Row, open_patient: Any) -> Any:
    tr = use_tr()
    session = use_session()
    p = row.patient
    going = sum(1 for i in row.week if row.rsvps.get(i.id) and row.rsvps[i.id].response == "going")
    cannot = sum(1 for i in row.week if row.rsvps.get(i.id) and row.rsvps[i.id].response == "cannot")
    open_flags = [i for i in session.items() if i.patient_id == p.id and i.open]
    due = [a for a in row.assignments if not a.done]
    enrolment = (
        tr.gettext("Week {week} of {weeks} · {program}").format(
            week=p.enrolment.current_week, weeks=p.enrolment.planned_weeks, program=p.enrolment.program_name
        )
        if p.enrolment
        else tr.gettext("Not enrolled")
    )
    if not row.checkins_available:
        last = tr.gettext("Check-ins: not available from this clinic yet")
    elif row.last_checkin is None:
        last = tr.gettext("No check-in yet")
    else:
        c = row.last_checkin
        last = tr.gettext("Last check-in {day}: craving {craving}, mood {mood}").format(
            day=c.period,
            craving=c.craving if c.craving is not None else "—",
            mood=c.mood if c.mood is not None else "—",
        )
    trend = [w.craving for w in row.trend or [] if w.craving is not None]
    if len(trend) == 2:
        last = tr.gettext("{last} · craving, weekly average: {before} last week, {now} this week").format(
            last=last, before=tr.decimal(trend[0]), now=tr.decimal(trend[1])
        )
    attended = sum(1 for i in row.week if i.attendance == "attended")
    absent = sum(1 for i in row.week if i.attendance == "absent")
    facts = [
        tr.gettext(
            "This week: {n} sessions, {going} going, {cannot} cannot · {attended} attended, {absent} absent"
        ).format(n=len(row.week), going=going, cannot=cannot, attended=attended, absent=absent),
        *([week_line(tr, row)] if row.week else []),
        last,
        tr.ngettext("{n} assignment to do", "{n} assignments to do", len(due)).format(n=len(due)),
    ]
    flag_text = tr.ngettext("{n} open alert or flag", "{n} open alerts or flags", len(open_flags)).format(
        n=len(open_flags)
    )

    async def show(_e: Any) -> None:
        session.touch()
        open_patient(p)

    return tagged(
        f"console-patient-{p.id}",
        card(
            ft.Row(
                alignment=ft.MainAxisAlignment.SPACE_BETWEEN,
                controls=[
                    ft.Column(
                        expand=True,
                        spacing=4,
                        controls=[
                            ft.Text(p.display_name, size=18, weight=ft.FontWeight.W_700),
                            muted(enrolment),
                            *(ft.Text(f) for f in facts),
                            ft.Text(
                                flag_text, color=RED if open_flags else GREEN, weight=ft.FontWeight.W_600
                            ),
                        ],
                    ),
                    tagged(
                        f"console-open-patient-{p.id}",
                        ft.FilledButton(
                            content=tr.gettext("Open {name}").format(name=p.display_name),
                            icon=ft.Icons.CHEVRON_RIGHT,
                            on_click=show,
                        ),
                    ),
                ],
            )
        ),
        container=True,
    )
