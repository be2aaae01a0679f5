"""`python -m clinic admin …`: create clinic, staff, patient, enrolment code; seed; follow and ack alerts."""

from __future__ import annotations

import argparse
import json
import time
from datetime import date
from typing import Any

from clinic.config import Settings
from clinic.container import Services
from clinic.database import Database
from clinic.repository import accounts as accounts_repo
from clinic.security import Passwords
from clinic.services import admin, pattern, schedule
from clinic.services.auth import Principal


def add_commands(sub: Any) -> None:
    p = sub.add_parser("create-clinic", help="create a clinic; prints its id")
    p.add_argument("name")
    p.add_argument("--timezone", default="America/New_York")
    p.add_argument("--phone", required=True)
    p.add_argument("--response-minutes", type=int, default=30)

    p = sub.add_parser("create-staff", help="create a staff account; prints its id")
    p.add_argument("--clinic-id", required=True)
    p.add_argument("--username", required=True)
    p.add_argument("--password", required=True)
    p.add_argument("--display-name", required=True)
    p.add_argument("--no-admin", action="store_true", help="may not read the audit log")

    p = sub.add_parser(
        "create-patient", help="create a patient and enrolment; prints id and an enrolment code"
    )
    p.add_argument("--clinic-id", required=True)
    p.add_argument("--display-name", required=True)
    p.add_argument("--username")
    p.add_argument("--password")
    p.add_argument("--counselor-name")
    p.add_argument("--counselor-phone")
    p.add_argument("--program", default="Intensive Outpatient Program")
    p.add_argument("--start-date", type=date.fromisoformat, required=True)
    p.add_argument("--weeks", type=int, default=12)
    p.add_argument("--pattern", action="store_true", help="apply the IOP weekly pattern")

    p = sub.add_parser("enrolment-code", help="a fresh one-time enrolment code for a patient")
    p.add_argument("username")

    sub.add_parser("seed-demo", help="create the demo clinic (Baystate Recovery) if missing")

    p = sub.add_parser("follow-alerts", help="print support alerts as they arrive (Ctrl-C to stop)")
    p.add_argument("--staff", required=True, help="staff username")
    p.add_argument("--seconds", type=float, default=0.0, help="stop after this long (0: never)")

    p = sub.add_parser(
        "set-escalation",
        help="set a clinic's escalation ladder and pager webhook (JSON, services/escalation.py);"
        " the webhook secret from WAYPOINT_WEBHOOK_SECRET, never the command line",
    )
    p.add_argument("--clinic-id", help="default: the demo clinic")
    p.add_argument("policy", help='JSON, e.g. {"alert_steps": [{"after_seconds": 300, "to": "On call"}]}')

    p = sub.add_parser("ack", help="acknowledge a support alert")
    p.add_argument("alert_id")
    p.add_argument("--staff", required=True, help="staff username")


def run(args: argparse.Namespace, settings: Settings) -> int:
    db = Database(settings.database_url)
    db.migrate()
    passwords = Passwords(fast=settings.fast_password_hashing)
    now = settings.clock()
    command = args.admin_command
    try:
        if command == "create-clinic":
            with db.write() as w:
                print(
                    admin.create_clinic(w, args.name, args.timezone, args.phone, args.response_minutes, now)
                )
        elif command == "create-staff":
            with db.write() as w:
                print(
                    admin.create_staff(
                        w,
                        passwords,
                        args.clinic_id,
                        args.username,
                        args.password,
                        args.display_name,
                        now,
                        is_admin=not args.no_admin,
                    )
                )
        elif command == "create-patient":
            _create_patient(db, settings, passwords, args)
        elif command == "enrolment-code":
            from clinic.seed import enrolment_code_for

            code, expires = enrolment_code_for(db, settings, args.username)
            print(f"{code} (valid until {expires:%Y-%m-%d %H:%M} UTC)")
        elif command == "seed-demo":
            from clinic.seed import seed_demo

            print(seed_demo(db, settings, passwords))
        elif command == "set-escalation":
            _set_escalation(db, settings, passwords, args)
        elif command in ("follow-alerts", "ack"):
            return _alerts(db, settings, passwords, args)
    finally:
        db.dispose()
    return 0


def _create_patient(db: Database, settings: Settings, passwords: Passwords, args: argparse.Namespace) -> None:
    from zoneinfo import ZoneInfo

    now = settings.clock()
    body = {
        "display_name": args.display_name,
        "username": args.username,
        "password": args.password,
        "counselor_name": args.counselor_name,
        "counselor_phone": args.counselor_phone,
        "program_name": args.program,
        "start_date": args.start_date,
        "planned_weeks": args.weeks,
    }
    with db.write() as w:
        clinic = accounts_repo.clinic(w.conn, args.clinic_id)
        if clinic is None:
            raise SystemExit("no such clinic")
        patient_id = admin.create_patient(w, passwords, args.clinic_id, body, now)
        if args.pattern:
            for s in pattern.expand(args.start_date, args.weeks, ZoneInfo(clinic.timezone)):
                schedule.add_item(w, args.clinic_id, patient_id, s.item_values(), now, None)
        code, _ = admin.enrolment_code(w, patient_id, settings.code_ttl, now, None)
    print(patient_id)
    print(f"enrolment code: {code}")


def _set_escalation(db: Database, settings: Settings, passwords: Passwords, args: argparse.Namespace) -> None:
    import os

    from clinic.seed import find

    try:
        raw = json.loads(args.policy)
    except json.JSONDecodeError as exc:
        raise SystemExit(f"the policy is not JSON: {exc.msg}") from None
    if not isinstance(raw, dict):
        raise SystemExit("the policy must be a JSON object")
    if raw.get("webhook_url") and os.environ.get("WAYPOINT_WEBHOOK_SECRET"):
        raw["webhook_secret"] = os.environ["WAYPOINT_WEBHOOK_SECRET"]
    demo = None if args.clinic_id else find(db)
    clinic_id = args.clinic_id or (demo.clinic_id if demo is not None else None)
    if clinic_id is None:
        raise SystemExit("no such clinic")
    from clinic.services.escalation import PolicyError

    try:
        Services.build(settings, passwords).escalation.set_policy(clinic_id, raw)
    except PolicyError as exc:
        raise SystemExit(f"escalation policy refused: {exc}") from None
    print("escalation policy set")


def _alerts(db: Database, settings: Settings, passwords: Passwords, args: argparse.Namespace) -> int:
    with db.read() as conn:
        staff = accounts_repo.account_by_username(conn, args.staff.lower())
    if staff is None or staff.role != "staff":
        raise SystemExit("no such staff account")
    who = Principal(staff.id, "staff", staff.clinic_id, "cli", staff.display_name, bool(staff.is_admin))
    services = Services.build(settings, passwords)
    if args.admin_command == "ack":
        print(json.dumps(services.alerts.acknowledge(who, args.alert_id).model_dump()))
        return 0
    deadline = time.monotonic() + args.seconds if args.seconds else None
    after: int | None = None
    try:
        while deadline is None or time.monotonic() < deadline:
            events, after = services.alerts.events_after(who, after)
            for event in events:
                print(json.dumps(event.model_dump()), flush=True)
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    return 0
