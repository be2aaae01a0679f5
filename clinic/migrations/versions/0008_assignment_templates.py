"""the clinic's assignment templates (title, modality, markdown instructions) staff start an assignment from

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 04:15:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("clinics") as batch_op:
        batch_op.add_column(sa.Column("assignment_templates", sa.JSON, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("clinics") as batch_op:
        batch_op.drop_column("assignment_templates")
