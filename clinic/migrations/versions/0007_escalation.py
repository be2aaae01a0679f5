"""the escalation ladder: a clinic's policy, each step fired once, the pager webhook's outbox

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 03:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("clinics") as batch_op:
        batch_op.add_column(sa.Column("escalation", sa.JSON, nullable=True))
    for table in ("support_alerts", "flags"):
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column("escalation_step", sa.Integer, nullable=False, server_default="0"))
            batch_op.add_column(sa.Column("escalated_to", sa.Text, nullable=True))
    op.create_table(
        "escalations",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("clinic_id", sa.String(36), sa.ForeignKey("clinics.id"), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("subject_id", sa.String(64), nullable=False),
        sa.Column("step", sa.Integer, nullable=False),
        sa.Column("escalated_to", sa.Text, nullable=False),
        sa.Column("due_at", sa.DateTime, nullable=False),
        sa.Column("fired_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("kind", "subject_id", "step", name="uq_escalations_step"),
    )
    op.create_index("ix_escalations_clinic_id", "escalations", ["clinic_id"])
    op.create_table(
        "webhook_deliveries",
        sa.Column("id", sa.String(36), sa.ForeignKey("escalations.id"), primary_key=True),
        sa.Column("clinic_id", sa.String(36), sa.ForeignKey("clinics.id"), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("next_attempt_at", sa.DateTime, nullable=False),
        sa.Column("last_status", sa.Integer, nullable=True),
        sa.Column("delivered_at", sa.DateTime, nullable=True),
        sa.Column("failed_at", sa.DateTime, nullable=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_webhook_deliveries_due", "webhook_deliveries", ["delivered_at", "next_attempt_at"])


def downgrade() -> None:
    op.drop_index("ix_webhook_deliveries_due", table_name="webhook_deliveries")
    op.drop_table("webhook_deliveries")
    op.drop_index("ix_escalations_clinic_id", table_name="escalations")
    op.drop_table("escalations")
    for table in ("flags", "support_alerts"):
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column("escalated_to")
            batch_op.drop_column("escalation_step")
    with op.batch_alter_table("clinics") as batch_op:
        batch_op.drop_column("escalation")
