"""The demo clinic, with dates relative to now (so the demo is never stale): today is in week 5."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from clinic.config import Settings
from clinic.database import Database, Writer
from clinic.repository import accounts as accounts_repo
from clinic.repository import care
from clinic.security import Passwords
from clinic.services import admin, pattern, schedule

# Demo sign-ins (public demo data): alex / waypoint-demo, morgan / waypoint-demo-2,
# staff / waypoint-staff.
CLINIC_NAME = "Baystate Recovery"
TIMEZONE = "America/New_York"

TRIGGER_LOG = """Each time you notice an urge to use this week, write down:

1. **When and where** it happened
2. **What triggered it** (a person, place, feeling, time of day)
3. **How strong** the urge was, from 0 to 10
4. **What you did** instead — and how it went

Bring the log to group on Thursday. There are no wrong answers.
"""

LETTER = """Write a letter to yourself six months from now.

- What do you want *future you* to remember about why you started?
- Which warning signs should they watch for?
- Who can they call?

One page is plenty. You will read it in individual counselling.
"""


@dataclass(frozen=True, slots=True)
class Demo:
    clinic_id: str
    staff_id: str
    patient_id: str
    second_patient_id: str


def find(db: Database) -> Demo | None:
    with db.read() as conn:
        clinic = accounts_repo.clinic_by_name(conn, CLINIC_NAME)
        staff = accounts_repo.account_by_username(conn, "staff")
        alex = accounts_repo.account_by_username(conn, "alex")
        morgan = accounts_repo.account_by_username(conn, "morgan")
    if clinic is None or staff is None or alex is None or morgan is None:
        return None
    return Demo(clinic.id, staff.id, alex.id, morgan.id)


def seed_demo(db: Database, settings: Settings, passwords: Passwords) -> Demo:
    """Create the demo clinic unless it is there already (idempotent)."""
    existing = find(db)
    if existing is not None:
        return existing
    now = settings.clock()
    tz = ZoneInfo(TIMEZONE)
    today = now.astimezone(tz).date()
    this_monday = pattern.monday_of(today)
    with db.write() as w:
        clinic_id = admin.create_clinic(w, CLINIC_NAME, TIMEZONE, "+1-413-555-0100", 30, now)
        staff_id = admin.create_staff(w, passwords, clinic_id, "staff", "waypoint-staff", "Sam Ortiz", now)
        alex = _patient(
            w,
            passwords,
            clinic_id,
            now,
            tz,
            "Alex Rivera",
            "alex",
            "waypoint-demo",
            this_monday - timedelta(weeks=4),
        )
        _alex_extras(w, clinic_id, alex, now, tz, this_monday, staff_id)
        morgan = _patient(
            w,
            passwords,
            clinic_id,
            now,
            tz,
            "Morgan Blake",
            "morgan",
            "waypoint-demo-2",
            this_monday - timedelta(weeks=1),
        )
        schedule.add_assignment(
            w,
            clinic_id,
            morgan,
            {
                "title": "Decisional balance",
                "modality": "Motivational enhancement",
                "instructions": "List the **pros and cons** of changing and of not changing.",
                "due_at": datetime.combine(today + timedelta(days=3), time(17), tzinfo=tz),
            },
            now,
            staff_id,
        )
    return Demo(clinic_id, staff_id, alex, morgan)


def _patient(
    w: Writer,
    passwords: Passwords,
    clinic_id: str,
    now: datetime,
    tz: ZoneInfo,
    name: str,
    username: str,
    password: str,
    start: date,
) -> str:
    body: dict[str, Any] = {
        "display_name": name,
        "username": username,
        "password": password,
        "counselor_name": "Jordan Lee",
        "counselor_phone": "+1-413-555-0142",
        "program_name": "Intensive Outpatient Program",
        "start_date": start,
        "planned_weeks": 12,
        "days_per_week": 3,
    }
    if username == "alex":
        body["coping_plan"] = {
            "warning_signs": ["Skipping meals and sleep", "Driving past my old bar after work"],
            "people_to_ask": ["My sister Dana"],
            "reasons": ["Being there for my daughter"],
        }
    patient_id = admin.create_patient(w, passwords, clinic_id, body, now)
    for s in pattern.expand(start, 12, tz):
        schedule.add_item(w, clinic_id, patient_id, s.item_values(), now, None)
    return patient_id


def _alex_extras(
    w: Writer, clinic_id: str, alex: str, now: datetime, tz: ZoneInfo, monday: date, staff_id: str
) -> None:
    week = [monday, monday + timedelta(days=2), monday + timedelta(days=3)]  # Mon, Wed, Thu
    slots = [(pattern.local(d, time(8, 40), tz), pattern.local(d, time(8, 55), tz)) for d in week]
    past = [s for s in slots if s[1] < now]
    future = [s for s in slots if s[0] > now]
    past_test = past[-1] if past else (now - timedelta(hours=2), now - timedelta(hours=1, minutes=45))
    next_monday = monday + timedelta(days=7)
    future_test = (
        future[0]
        if future
        else (pattern.local(next_monday, time(8, 40), tz), pattern.local(next_monday, time(8, 55), tz))
    )
    for starts, ends in (past_test, future_test):
        schedule.add_item(
            w,
            clinic_id,
            alex,
            {
                "kind": "drug_test",
                "title": "Drug and alcohol screen",
                "starts_at": starts,
                "ends_at": ends,
                "location": "Lab",
                "family_visible": False,
            },
            now,
            staff_id,
        )
    items = care.patient_schedule(
        w.conn, alex, pattern.local(monday, time(0), tz), pattern.local(next_monday, time(0), tz)
    )
    wednesday_class = next(
        i for i in items if i.kind == "education_class" and i.starts_at.astimezone(tz).date() == week[1]
    )
    thursday_group = next(
        i for i in items if i.kind == "process_group" and i.starts_at.astimezone(tz).date() == week[2]
    )
    schedule.change_item(
        w, wednesday_class, clinic_id, {"status": "cancelled", "note": "Instructor out sick"}, now, staff_id
    )
    schedule.change_item(
        w,
        thursday_group,
        clinic_id,
        {
            "starts_at": pattern.local(week[2], time(14, 0), tz),
            "ends_at": pattern.local(week[2], time(15, 15), tz),
            "note": "Moved to the afternoon this week",
        },
        now,
        staff_id,
    )
    today = now.astimezone(tz).date()
    schedule.add_assignment(
        w,
        clinic_id,
        alex,
        {
            "title": "Trigger log",
            "modality": "Cognitive behavioural therapy",
            "instructions": TRIGGER_LOG,
            "due_at": pattern.local(today + timedelta(days=2), time(17), tz),
        },
        now,
        staff_id,
    )
    schedule.add_assignment(
        w,
        clinic_id,
        alex,
        {
            "title": "Letter to future me",
            "modality": "Relapse prevention",
            "instructions": LETTER,
            "due_at": pattern.local(next_monday + timedelta(days=3), time(9), tz),
        },
        now,
        staff_id,
    )


def enrolment_code_for(db: Database, settings: Settings, username: str) -> tuple[str, datetime]:
    now = settings.clock()
    with db.write() as w:
        account = accounts_repo.account_by_username(w.conn, username)
        if account is None or account.role != "patient":
            raise LookupError(username)
        return admin.enrolment_code(w, account.id, settings.code_ttl, now, None)
