"""Provider and model per job: where a request was routed and what really answered.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 10:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("tailoring_jobs", sa.Column("provider", sa.String(length=32), nullable=True))
    op.add_column("tailoring_jobs", sa.Column("provider_used", sa.String(length=32), nullable=True))
    op.add_column("tailoring_jobs", sa.Column("model_used", sa.String(length=100), nullable=True))


def downgrade() -> None:
    op.drop_column("tailoring_jobs", "model_used")
    op.drop_column("tailoring_jobs", "provider_used")
    op.drop_column("tailoring_jobs", "provider")
