"""Load the current state of changed records and render them as sync changes for a viewer."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Row

from clinic.repository import accounts as accounts_repo
from clinic.repository import alerts as alerts_repo
from clinic.repository import care
from clinic.repository import checkins as checkins_repo
from clinic.repository import flags as flags_repo
from clinic.repository import shares as shares_repo
from clinic.repository.changes import Change
from clinic.schemas import AnyChange, Record
from clinic.services import render


def patient_changes(conn: Connection, page: Sequence[Change], tz: ZoneInfo) -> list[AnyChange]:
    """Render a page of the patient's own changes (tombstones carry no data)."""
    ids: dict[str, list[str]] = defaultdict(list)
    for c in page:
        if not c.deleted:
            ids[c.type].append(c.record_id)
    rows: dict[str, dict[str, Row[Any]]] = {
        "schedule_item": care.schedule_by_ids(conn, ids["schedule_item"]),
        "assignment": care.assignments_by_ids(conn, ids["assignment"]),
        "coping_plan": care.coping_by_ids(conn, ids["coping_plan"]),
        "rsvp": care.rsvps_by_ids(conn, ids["rsvp"]),
        "attendance": care.attendance_by_ids(conn, ids["attendance"]),
        "support_alert": alerts_repo.alerts_by_ids(conn, ids["support_alert"]),
        "share": shares_repo.shares_by_ids(conn, ids["share"]),
        "questionnaire": checkins_repo.assigned_by_ids(conn, ids["questionnaire"]),
        "checkin": checkins_repo.checkins_by_ids(conn, ids["checkin"]),
        "checkin_flag": flags_repo.newest_of_checkins(conn, ids["checkin"]),
    }
    out = []
    for c in page:
        data = None if c.deleted else _data(conn, c, rows, tz)
        out.append(render.change(c.type, c.record_id, c.version, data))
    return out


def _data(conn: Connection, c: Change, rows: dict[str, dict[str, Row[Any]]], tz: ZoneInfo) -> Record | None:
    t = c.type
    if t == "clinic":
        row = accounts_repo.clinic(conn, c.record_id)
        return None if row is None else render.clinic(row)
    if t == "patient":
        row = accounts_repo.patient(conn, c.record_id)
        return None if row is None else render.patient(row)
    if t == "enrolment":
        row = accounts_repo.enrolment_of(conn, c.patient_id or "")
        return None if row is None else render.enrolment(row)
    row = rows.get(t, {}).get(c.record_id)
    if row is None:
        return None
    if t == "schedule_item":
        return render.schedule_item(row, tz)
    if t == "assignment":
        return render.assignment(row, tz)
    if t == "coping_plan":
        return render.coping_plan(row.data)
    if t == "rsvp":
        return render.rsvp(row, tz)
    if t == "attendance":
        return render.attendance(row)
    if t == "support_alert":
        return render.support_alert(row, tz)
    if t == "share":
        return render.share(row, tz)
    if t == "questionnaire":
        return render.questionnaire(row)
    if t == "checkin":
        return render.checkin(row, rows["checkin_flag"].get(c.record_id), tz)
    return None


def one(conn: Connection, change: Change, tz: ZoneInfo) -> AnyChange:
    return patient_changes(conn, [change], tz)[0]
