"""Contact block given in the tailor input, used on the job's documents.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 12:15:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Nullable: jobs without an override (all earlier ones) use the resume's own contact.
    op.add_column(
        "tailoring_jobs",
        sa.Column("contact_override", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    )


def downgrade() -> None:
    op.drop_column("tailoring_jobs", "contact_override")
