"""Hardening: queue bookkeeping on exports so the sweeper can find and re-queue lost ones.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30 10:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("exports", sa.Column("arq_job_id", sa.String(length=128), nullable=True))
    op.add_column(
        "exports", sa.Column("attempts", sa.Integer(), server_default="0", nullable=False)
    )
    op.create_index(
        "ix_exports_pending_updated",
        "exports",
        ["updated_at"],
        unique=False,
        postgresql_where=sa.text("status = 'PENDING'"),
    )


def downgrade() -> None:
    op.drop_index(
        "ix_exports_pending_updated",
        table_name="exports",
        postgresql_where=sa.text("status = 'PENDING'"),
    )
    op.drop_column("exports", "attempts")
    op.drop_column("exports", "arq_job_id")
