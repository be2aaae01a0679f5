"""device public keys, how each support alert was authenticated, idempotency request fingerprints

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 23:55:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("devices") as batch_op:
        batch_op.add_column(sa.Column("public_key", sa.String(length=64), nullable=True))
    with op.batch_alter_table("support_alerts") as batch_op:
        batch_op.add_column(
            sa.Column("authenticated_by", sa.String(length=16), nullable=False, server_default="session")
        )
        batch_op.add_column(
            sa.Column("session_state", sa.String(length=16), nullable=False, server_default="active")
        )
    with op.batch_alter_table("mutations") as batch_op:
        batch_op.add_column(sa.Column("request_hash", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("mutations") as batch_op:
        batch_op.drop_column("request_hash")
    with op.batch_alter_table("support_alerts") as batch_op:
        batch_op.drop_column("session_state")
        batch_op.drop_column("authenticated_by")
    with op.batch_alter_table("devices") as batch_op:
        batch_op.drop_column("public_key")
