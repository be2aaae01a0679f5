"""what each family member was actually sent, so tombstones go only to those who saw the record

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30 00:05:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    disclosures = op.create_table(
        "disclosures",
        sa.Column("family_account_id", sa.String(36), sa.ForeignKey("accounts.id"), primary_key=True),
        sa.Column("type", sa.String(32), primary_key=True),
        sa.Column("record_id", sa.String(64), primary_key=True),
        sa.Column("share_id", sa.String(36), nullable=False),
        sa.Column("disclosed_at", sa.DateTime, nullable=False),
    )
    # Shares accepted before this revision: what their live share shows now is taken as sent (the
    # best record there is), so a family device holding those items still gets their tombstones.
    shares = sa.table(
        "shares",
        sa.column("id"),
        sa.column("patient_id"),
        sa.column("family_account_id"),
        sa.column("scope"),
        sa.column("status"),
        sa.column("accepted_at"),
    )
    items = sa.table(
        "schedule_items",
        sa.column("id"),
        sa.column("patient_id"),
        sa.column("kind"),
        sa.column("family_visible"),
        sa.column("deleted"),
    )
    shown = (
        sa.select(
            shares.c.family_account_id,
            sa.literal("schedule_item"),
            items.c.id,
            shares.c.id,
            shares.c.accepted_at,
        )
        .select_from(shares.join(items, items.c.patient_id == shares.c.patient_id))
        .where(
            shares.c.status == "active",
            shares.c.family_account_id.is_not(None),
            items.c.kind != "drug_test",
            items.c.family_visible.is_(sa.true()),
            items.c.deleted.is_(sa.false()),
            sa.or_(shares.c.scope != "family_sessions", items.c.kind == "family_session"),
        )
    )
    # At most one active share per (family member, patient): accepting a new one ends the old one.
    columns = ["family_account_id", "type", "record_id", "share_id", "disclosed_at"]
    op.execute(disclosures.insert().from_select(columns, shown))


def downgrade() -> None:
    op.drop_table("disclosures")
