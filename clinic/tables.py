"""SQLAlchemy Core tables of the reference clinic backend (the schema Alembic migrates)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect


class UtcDateTime(TypeDecorator[datetime]):
    """Aware datetimes stored as naive UTC, so SQLite and PostgreSQL compare them alike."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC)


metadata = MetaData()

meta = Table(
    "meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

# One row: the sync version counter every write transaction bumps (and locks, so writers serialize).
counter = Table(
    "counter",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("value", BigInteger, nullable=False),
)

clinics = Table(
    "clinics",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("name", Text, nullable=False),
    Column("timezone", String(64), nullable=False),
    Column("phone", String(32), nullable=False),
    Column("response_minutes", Integer, nullable=False),
    # Crisis line numbers; also "answer_channel" ("call"/"text") and "answer_phone", how the care
    # team answers a support alert (render.clinic sends them as ClinicData fields; no migration).
    Column("lines", JSON, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    # Flag rule: no daily check-in for this many clinic days raises a missed_checkins flag.
    Column("missed_checkin_days", Integer, nullable=False, server_default="3"),
    # The escalation ladder and its pager webhook (services/escalation.py, Policy); null: the defaults.
    Column("escalation", JSON),
    # The assignments staff start from: [{id, title, modality, instructions (markdown)}]; null: none.
    Column("assignment_templates", JSON),
)

accounts = Table(
    "accounts",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("clinic_id", String(36), ForeignKey("clinics.id"), nullable=False),
    Column("role", String(16), nullable=False),
    Column("username", String(128), unique=True),
    Column("password_hash", Text),
    Column("display_name", Text, nullable=False),
    Column("is_admin", Boolean, nullable=False, default=False),
    Column("created_at", UtcDateTime, nullable=False),
)

patients = Table(
    "patients",
    metadata,
    Column("id", String(36), ForeignKey("accounts.id"), primary_key=True),
    Column("clinic_id", String(36), ForeignKey("clinics.id"), nullable=False, index=True),
    Column("counselor_name", Text),
    Column("counselor_phone", String(32)),
    Column("discharged_at", UtcDateTime),
)

enrolments = Table(
    "enrolments",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("patient_id", String(36), ForeignKey("patients.id"), nullable=False, index=True),
    Column("program_name", Text, nullable=False),
    Column("start_date", Date, nullable=False),
    Column("planned_weeks", Integer, nullable=False),
    Column("days_per_week", Integer, nullable=False),
)

schedule_items = Table(
    "schedule_items",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("patient_id", String(36), ForeignKey("patients.id"), nullable=False, index=True),
    Column("kind", String(32), nullable=False),
    Column("title", Text, nullable=False),
    Column("starts_at", UtcDateTime, nullable=False),
    Column("ends_at", UtcDateTime, nullable=False),
    Column("location", Text),
    Column("video_url", Text),
    Column("staff_name", Text),
    Column("status", String(16), nullable=False),
    Column("moved_from", UtcDateTime),
    Column("note", Text),
    Column("family_visible", Boolean, nullable=False, default=True),
    Column("deleted", Boolean, nullable=False, default=False),
)

assignments = Table(
    "assignments",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("patient_id", String(36), ForeignKey("patients.id"), nullable=False, index=True),
    Column("title", Text, nullable=False),
    Column("modality", Text, nullable=False),
    Column("instructions", Text, nullable=False),
    Column("due_at", UtcDateTime),
    Column("status", String(16), nullable=False),
    Column("response", Text, nullable=False, default=""),
    Column("completed_at", UtcDateTime),
    Column("feedback", Text),
    Column("feedback_by", Text),
    Column("feedback_at", UtcDateTime),
    Column("deleted", Boolean, nullable=False, default=False),
)

coping_plans = Table(
    "coping_plans",
    metadata,
    Column("patient_id", String(36), ForeignKey("patients.id"), primary_key=True),
    Column("data", JSON, nullable=False),
)

rsvps = Table(
    "rsvps",
    metadata,
    Column("schedule_item_id", String(36), ForeignKey("schedule_items.id"), primary_key=True),
    Column("patient_id", String(36), ForeignKey("patients.id"), nullable=False, index=True),
    Column("response", String(16), nullable=False),
    Column("note", Text, nullable=False, default=""),
    Column("updated_at", UtcDateTime, nullable=False),
)

attendance = Table(
    "attendance",
    metadata,
    Column("schedule_item_id", String(36), ForeignKey("schedule_items.id"), primary_key=True),
    Column("patient_id", String(36), ForeignKey("patients.id"), nullable=False, index=True),
    Column("status", String(16), nullable=False),
)

support_alerts = Table(
    "support_alerts",
    metadata,
    Column("id", String(64), primary_key=True),  # the client's id (Idempotency-Key), up to 64
    Column("patient_id", String(36), ForeignKey("patients.id"), nullable=False, index=True),
    Column("clinic_id", String(36), ForeignKey("clinics.id"), nullable=False, index=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("received_at", UtcDateTime, nullable=False),
    Column("status", String(16), nullable=False),
    Column("acknowledged_by", Text),
    Column("acknowledged_at", UtcDateTime),
    Column("expected_response_by", UtcDateTime, nullable=False),
    # "session" (a valid bearer) or "device_key" (signed by the device's registered key)
    Column("authenticated_by", String(16), nullable=False, server_default="session"),
    # the sending device's session then: "active", "expired" or "revoked"
    Column("session_state", String(16), nullable=False, server_default="active"),
    # what the acknowledging staff member recorded: "safe", "no_answer", "emergency", "other"; staff only
    Column("outcome", String(16)),
    Column("note", Text),
    # the escalation ladder's last step fired while unacknowledged (0: none) and to whom
    Column("escalation_step", Integer, nullable=False, server_default="0"),
    Column("escalated_to", Text),
)

# Questionnaires are clinic data: the items, their texts per language, cadence and flag thresholds
# (`definition`, the QuestionnaireData of docs/api.md less due_weekdays), and the weekdays a new
# assignment is due on.
questionnaires = Table(
    "questionnaires",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("clinic_id", String(36), ForeignKey("clinics.id"), nullable=False),
    Column("key", String(32), nullable=False),
    Column("cadence", String(8), nullable=False),  # "daily" | "weekly" (also in the definition)
    Column("definition", JSON, nullable=False),
    Column("due_weekdays", JSON, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    UniqueConstraint("clinic_id", "key", name="uq_questionnaires_clinic_key"),
)

# A questionnaire a patient is asked to answer: its id is the `questionnaire` record's id (and the
# `questionnaire_id` of that patient's check-ins), its weekdays the patient's (a group day).
patient_questionnaires = Table(
    "patient_questionnaires",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("patient_id", String(36), ForeignKey("patients.id"), nullable=False),
    Column("questionnaire_id", String(36), ForeignKey("questionnaires.id"), nullable=False),
    Column("due_weekdays", JSON, nullable=False),
    Column("assigned_at", UtcDateTime, nullable=False),
    UniqueConstraint("patient_id", "questionnaire_id", name="uq_patient_questionnaires"),
)

# One check-in per (patient, questionnaire, period); its id is the device's checkin_id.
checkins = Table(
    "checkins",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("patient_id", String(36), ForeignKey("patients.id"), nullable=False),
    Column("clinic_id", String(36), ForeignKey("clinics.id"), nullable=False),
    Column("questionnaire_id", String(36), ForeignKey("patient_questionnaires.id"), nullable=False),
    Column("period", Date, nullable=False),
    Column("answers", JSON, nullable=False),
    Column("score", Integer),
    Column("submitted_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("received_at", UtcDateTime, nullable=False),
    UniqueConstraint("patient_id", "questionnaire_id", "period", name="uq_checkins_period"),
)
Index("ix_checkins_patient_period", checkins.c.patient_id, checkins.c.period)

# Flags for the care team: raised by a check-in's answers or by the missed-check-in sweep. The
# dedupe key makes raising idempotent across server processes ("missed:<patient>:<first day>").
flags = Table(
    "flags",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("clinic_id", String(36), ForeignKey("clinics.id"), nullable=False, index=True),
    Column("patient_id", String(36), ForeignKey("patients.id"), nullable=False, index=True),
    Column("checkin_id", String(64), ForeignKey("checkins.id"), index=True),
    Column("reasons", JSON, nullable=False),
    Column("severity", String(8), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("status", String(16), nullable=False),
    Column("acknowledged_by", Text),
    Column("acknowledged_at", UtcDateTime),
    Column("note", Text),
    Column("dedupe_key", String(128)),
    Column("escalation_step", Integer, nullable=False, server_default="0"),
    Column("escalated_to", Text),
    UniqueConstraint("dedupe_key", name="uq_flags_dedupe_key"),
)

# Each escalation step fired, once: the unique (kind, subject, step) makes firing idempotent across
# restarts and server processes. Its id is the webhook's idempotency key.
escalations = Table(
    "escalations",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("clinic_id", String(36), ForeignKey("clinics.id"), nullable=False, index=True),
    Column("kind", String(16), nullable=False),  # "support_alert" | "flag"
    Column("subject_id", String(64), nullable=False),
    Column("step", Integer, nullable=False),
    Column("escalated_to", Text, nullable=False),
    Column("due_at", UtcDateTime, nullable=False),
    Column("fired_at", UtcDateTime, nullable=False),
    UniqueConstraint("kind", "subject_id", "step", name="uq_escalations_step"),
)

# The outbound pager webhook's outbox: one delivery per escalation, retried with backoff until the
# receiver answers 2xx (or attempts run out); a restart resumes what is pending. `next_attempt_at`
# is also the lease of the process sending it (claimed FOR UPDATE SKIP LOCKED, pushed forward).
webhook_deliveries = Table(
    "webhook_deliveries",
    metadata,
    Column("id", String(36), ForeignKey("escalations.id"), primary_key=True),
    Column("clinic_id", String(36), ForeignKey("clinics.id"), nullable=False),
    Column("body", Text, nullable=False),  # the exact JSON sent on every attempt
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("next_attempt_at", UtcDateTime, nullable=False),
    Column("last_status", Integer),  # the receiver's last HTTP status (null: no answer)
    Column("delivered_at", UtcDateTime),
    Column("failed_at", UtcDateTime),
    Column("created_at", UtcDateTime, nullable=False),
)
Index("ix_webhook_deliveries_due", webhook_deliveries.c.delivered_at, webhook_deliveries.c.next_attempt_at)

# Idempotency: the first answer to each client-generated id, per account.
mutations = Table(
    "mutations",
    metadata,
    Column("account_id", String(36), ForeignKey("accounts.id"), primary_key=True),
    Column("id", String(64), primary_key=True),
    Column("type", String(64), nullable=False),
    Column("result", JSON, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    # sha256 of the canonical request (kind and payload): the same id with another body is refused
    Column("request_hash", String(64)),
)

devices = Table(
    "devices",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("account_id", String(36), ForeignKey("accounts.id"), nullable=False, index=True),
    Column("name", Text, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("last_seen_at", UtcDateTime),
    Column("revoked_at", UtcDateTime),
    # Ed25519 public key (32 bytes, base64url without padding): verifies device-signed alerts
    Column("public_key", String(64)),
)

tokens = Table(
    "tokens",
    metadata,
    Column("hash", String(64), primary_key=True),
    Column("device_id", String(36), ForeignKey("devices.id"), nullable=False, index=True),
    Column("kind", String(8), nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    Column("used_at", UtcDateTime),
)

enrolment_codes = Table(
    "enrolment_codes",
    metadata,
    Column("hash", String(64), primary_key=True),
    Column("patient_id", String(36), ForeignKey("patients.id"), nullable=False),
    Column("created_by", String(36)),
    Column("expires_at", UtcDateTime, nullable=False),
    Column("used_at", UtcDateTime),
)

shares = Table(
    "shares",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("patient_id", String(36), ForeignKey("patients.id"), nullable=False, index=True),
    Column("recipient_name", Text, nullable=False),
    Column("relationship", Text, nullable=False),
    Column("scope", String(32), nullable=False),
    Column("purpose", Text, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    Column("status", String(16), nullable=False),
    Column("invitation_hash", String(64), unique=True),
    Column("invitation_expires_at", UtcDateTime, nullable=False),
    Column("accepted_at", UtcDateTime),
    Column("family_account_id", String(36), ForeignKey("accounts.id"), index=True),
    Column("revoked_at", UtcDateTime),
    Column("created_at", UtcDateTime, nullable=False),
)

# What each family member was actually sent (disclosures under 42 CFR Part 2): a family member
# gets a tombstone only for a record here, so hidden records never reach it, not even as ids.
disclosures = Table(
    "disclosures",
    metadata,
    Column("family_account_id", String(36), ForeignKey("accounts.id"), primary_key=True),
    Column("type", String(32), primary_key=True),
    Column("record_id", String(64), primary_key=True),
    Column("share_id", String(36), nullable=False),
    Column("disclosed_at", UtcDateTime, nullable=False),
)

# Private iCalendar feeds (services/feeds.py): a long-lived subscription URL ("feed") or a one-use
# download link ("download", expires_at/used_at). Only the sha256 of the URL's token is stored. A
# feed belongs to its account (not to a device); revoked_at keeps the row so its URL answers 410.
calendar_feeds = Table(
    "calendar_feeds",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("kind", String(8), nullable=False),  # "feed" | "download"
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("account_id", String(36), ForeignKey("accounts.id"), nullable=False, index=True),
    Column("clinic_id", String(36), ForeignKey("clinics.id"), nullable=False),
    Column("patient_id", String(36), ForeignKey("patients.id"), nullable=False, index=True),
    Column("share_id", String(36), ForeignKey("shares.id")),  # family feeds: the share it shows
    Column("titles", String(8), nullable=False),  # "neutral" | "real"
    Column("neutral_title", Text),
    Column("lang", String(8), nullable=False),
    Column("alarm", String(8), nullable=False),  # "none" | "1h" | "1d"
    Column("created_at", UtcDateTime, nullable=False),
    Column("last_read_at", UtcDateTime),
    Column("revoked_at", UtcDateTime),
    Column("expires_at", UtcDateTime),  # download links only
    Column("used_at", UtcDateTime),  # download links only
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("clinic_id", String(36), nullable=False, index=True),
    Column("actor_id", String(36)),
    Column("actor_role", String(16), nullable=False),
    Column("patient_id", String(36), index=True),
    Column("action", String(64), nullable=False),
    Column("at", UtcDateTime, nullable=False),
)

# What changed, in commit order: one row per syncable record, its latest version.
sync_index = Table(
    "sync_index",
    metadata,
    Column("type", String(32), primary_key=True),
    Column("record_id", String(64), primary_key=True),
    Column("clinic_id", String(36), nullable=False),
    Column("patient_id", String(36)),
    Column("version", BigInteger, nullable=False, unique=True),
    Column("deleted", Boolean, nullable=False),
    # Records kept from patients until then (drug tests until they have happened).
    Column("hidden_until", UtcDateTime),
    Column("changed_at", UtcDateTime, nullable=False),
    Column("changed_by", String(36)),
)
Index("ix_sync_index_patient_version", sync_index.c.patient_id, sync_index.c.version)
Index("ix_sync_index_clinic_type_version", sync_index.c.clinic_id, sync_index.c.type, sync_index.c.version)
Index("ix_sync_index_hidden", sync_index.c.hidden_until)
