"""support alert ids up to 64 characters, like every client-generated id

PostgreSQL enforces VARCHAR lengths (SQLite does not): a 37–64 character Idempotency-Key was a
500 there.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 04:25:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("support_alerts") as batch_op:
        batch_op.alter_column("id", existing_type=sa.String(length=36), type_=sa.String(length=64))


def downgrade() -> None:
    with op.batch_alter_table("support_alerts") as batch_op:
        batch_op.alter_column("id", existing_type=sa.String(length=64), type_=sa.String(length=36))
