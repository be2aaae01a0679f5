"""what came of a support alert: the outcome and note staff record when they acknowledge it

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 03:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("support_alerts") as batch_op:
        batch_op.add_column(sa.Column("outcome", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("note", sa.Text, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("support_alerts") as batch_op:
        batch_op.drop_column("note")
        batch_op.drop_column("outcome")
