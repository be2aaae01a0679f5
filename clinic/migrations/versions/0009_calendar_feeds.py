"""private calendar feeds and one-use download links (only the sha256 of each URL's token)

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30 05:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "calendar_feeds",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("account_id", sa.String(36), sa.ForeignKey("accounts.id"), nullable=False),
        sa.Column("clinic_id", sa.String(36), sa.ForeignKey("clinics.id"), nullable=False),
        sa.Column("patient_id", sa.String(36), sa.ForeignKey("patients.id"), nullable=False),
        sa.Column("share_id", sa.String(36), sa.ForeignKey("shares.id"), nullable=True),
        sa.Column("titles", sa.String(8), nullable=False),
        sa.Column("neutral_title", sa.Text, nullable=True),
        sa.Column("lang", sa.String(8), nullable=False),
        sa.Column("alarm", sa.String(8), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("last_read_at", sa.DateTime, nullable=True),
        sa.Column("revoked_at", sa.DateTime, nullable=True),
        sa.Column("expires_at", sa.DateTime, nullable=True),
        sa.Column("used_at", sa.DateTime, nullable=True),
    )
    op.create_index("ix_calendar_feeds_account_id", "calendar_feeds", ["account_id"])
    op.create_index("ix_calendar_feeds_patient_id", "calendar_feeds", ["patient_id"])


def downgrade() -> None:
    op.drop_index("ix_calendar_feeds_patient_id", "calendar_feeds")
    op.drop_index("ix_calendar_feeds_account_id", "calendar_feeds")
    op.drop_table("calendar_feeds")
