"""questionnaires (clinic data) and each patient's, daily and weekly check-ins, flags for the care team

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30 02:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("clinics") as batch_op:
        batch_op.add_column(sa.Column("missed_checkin_days", sa.Integer, nullable=False, server_default="3"))
    op.create_table(
        "questionnaires",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("clinic_id", sa.String(36), sa.ForeignKey("clinics.id"), nullable=False),
        sa.Column("key", sa.String(32), nullable=False),
        sa.Column("cadence", sa.String(8), nullable=False),
        sa.Column("definition", sa.JSON, nullable=False),
        sa.Column("due_weekdays", sa.JSON, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("clinic_id", "key", name="uq_questionnaires_clinic_key"),
    )
    op.create_table(
        "patient_questionnaires",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("patient_id", sa.String(36), sa.ForeignKey("patients.id"), nullable=False),
        sa.Column("questionnaire_id", sa.String(36), sa.ForeignKey("questionnaires.id"), nullable=False),
        sa.Column("due_weekdays", sa.JSON, nullable=False),
        sa.Column("assigned_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("patient_id", "questionnaire_id", name="uq_patient_questionnaires"),
    )
    op.create_table(
        "checkins",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("patient_id", sa.String(36), sa.ForeignKey("patients.id"), nullable=False),
        sa.Column("clinic_id", sa.String(36), sa.ForeignKey("clinics.id"), nullable=False),
        sa.Column(
            "questionnaire_id", sa.String(36), sa.ForeignKey("patient_questionnaires.id"), nullable=False
        ),
        sa.Column("period", sa.Date, nullable=False),
        sa.Column("answers", sa.JSON, nullable=False),
        sa.Column("score", sa.Integer),
        sa.Column("submitted_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.Column("received_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("patient_id", "questionnaire_id", "period", name="uq_checkins_period"),
    )
    op.create_index("ix_checkins_patient_period", "checkins", ["patient_id", "period"])
    op.create_table(
        "flags",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("clinic_id", sa.String(36), sa.ForeignKey("clinics.id"), nullable=False),
        sa.Column("patient_id", sa.String(36), sa.ForeignKey("patients.id"), nullable=False),
        sa.Column("checkin_id", sa.String(64), sa.ForeignKey("checkins.id")),
        sa.Column("reasons", sa.JSON, nullable=False),
        sa.Column("severity", sa.String(8), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("acknowledged_by", sa.Text),
        sa.Column("acknowledged_at", sa.DateTime),
        sa.Column("note", sa.Text),
        sa.Column("dedupe_key", sa.String(128)),
        sa.UniqueConstraint("dedupe_key", name="uq_flags_dedupe_key"),
    )
    op.create_index("ix_flags_clinic_id", "flags", ["clinic_id"])
    op.create_index("ix_flags_patient_id", "flags", ["patient_id"])
    op.create_index("ix_flags_checkin_id", "flags", ["checkin_id"])


def downgrade() -> None:
    op.drop_table("flags")
    op.drop_index("ix_checkins_patient_period", table_name="checkins")
    op.drop_table("checkins")
    op.drop_table("patient_questionnaires")
    op.drop_table("questionnaires")
    with op.batch_alter_table("clinics") as batch_op:
        batch_op.drop_column("missed_checkin_days")
