"""Writing schedule items and assignments (staff API, CLI and demo seed share these)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any, Literal
from zoneinfo import ZoneInfo

from pydantic import ValidationError

from clinic.database import Writer
from clinic.errors import invalid_request
from clinic.repository import care, changes
from clinic.schemas import ItemCreate, StaffAssignment, StaffItem
from clinic.services import render

ITEM_FIELDS = (
    "kind",
    "title",
    "starts_at",
    "ends_at",
    "location",
    "video_url",
    "staff_name",
    "status",
    "moved_from",
    "note",
    "family_visible",
)
ASSIGNMENT_FIELDS = ("title", "modality", "instructions", "due_at")


def check_item(item: Mapping[str, Any]) -> None:
    """Every rule a schedule item obeys, for a new item and for an edited one (stored + patch).

    The rules are the API's create model (`ItemCreate`), so an edit can never reach a state a
    create would refuse (e.g. ending before it starts). 400 request.invalid naming the fields.
    """
    try:
        ItemCreate.model_validate({k: item[k] for k in ItemCreate.model_fields if k in item})
    except ValidationError as exc:
        raise invalid_request(exc.errors(), where="body") from None


def _hidden_until(kind: str, ends_at: datetime, now: datetime) -> datetime | None:
    # Drug and alcohol tests are never announced: patients see them only once they have happened.
    return ends_at if kind == "drug_test" and ends_at > now else None


def add_item(
    w: Writer, clinic_id: str, patient_id: str, values: dict[str, Any], now: datetime, by: str | None
) -> str:
    item_id = str(uuid.uuid4())
    row: dict[str, Any] = {"status": "scheduled", "family_visible": True, "deleted": False}
    row.update({k: v for k, v in values.items() if k in ITEM_FIELDS})
    check_item(row)
    care.insert_schedule_item(w, id=item_id, patient_id=patient_id, **row)
    changes.touch(
        w,
        "schedule_item",
        item_id,
        clinic_id=clinic_id,
        patient_id=patient_id,
        now=now,
        by=by,
        hidden_until=_hidden_until(row["kind"], row["ends_at"], now),
    )
    return item_id


def change_item(
    w: Writer, item: Any, clinic_id: str, values: dict[str, Any], now: datetime, by: str | None
) -> None:
    """Edit, cancel, move (new times: status moved, moved_from the old start) or delete an item."""
    update = {k: v for k, v in values.items() if k in (*ITEM_FIELDS, "deleted")}
    if not update.get("deleted"):  # a deletion needs no rules; anything else must stay a valid item
        check_item({**{k: getattr(item, k) for k in ITEM_FIELDS}, **update})
    moved = ("starts_at" in update and update["starts_at"] != item.starts_at) or (
        "ends_at" in update and update["ends_at"] != item.ends_at
    )
    if moved and "status" not in update:
        update["status"] = "moved"
        update.setdefault("moved_from", item.moved_from or item.starts_at)
    care.update_schedule_item(w, item.id, **update)
    kind = update.get("kind", item.kind)
    ends_at = update.get("ends_at", item.ends_at)
    changes.touch(
        w,
        "schedule_item",
        item.id,
        clinic_id=clinic_id,
        patient_id=item.patient_id,
        now=now,
        by=by,
        deleted=bool(update.get("deleted", item.deleted)),
        hidden_until=_hidden_until(kind, ends_at, now),
    )


def add_assignment(
    w: Writer, clinic_id: str, patient_id: str, values: dict[str, Any], now: datetime, by: str | None
) -> str:
    assignment_id = str(uuid.uuid4())
    row = {k: v for k, v in values.items() if k in ASSIGNMENT_FIELDS}
    care.insert_assignment(
        w, id=assignment_id, patient_id=patient_id, status="todo", response="", deleted=False, **row
    )
    changes.touch(w, "assignment", assignment_id, clinic_id=clinic_id, patient_id=patient_id, now=now, by=by)
    return assignment_id


def staff_item(
    row: Any, version: int | None, tz: ZoneInfo, attendance: Literal["attended", "absent"] | None = None
) -> StaffItem:
    return StaffItem(
        **render.schedule_item(row, tz).model_dump(),
        id=row.id,
        patient_id=row.patient_id,
        family_visible=bool(row.family_visible),
        version=version or 0,
        attendance=attendance,
    )


def staff_assignment(row: Any, version: int | None, tz: ZoneInfo) -> StaffAssignment:
    return StaffAssignment(
        **render.assignment(row, tz).model_dump(), id=row.id, patient_id=row.patient_id, version=version or 0
    )
