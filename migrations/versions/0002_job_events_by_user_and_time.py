"""Job events indexed by (user, time) for the myJobs stream; the plain user_id index goes.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 11:01:55.435342
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index(op.f("ix_job_events_user_id"), table_name="job_events")
    op.create_index(
        "ix_job_events_user_created", "job_events", ["user_id", "created_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_job_events_user_created", table_name="job_events")
    op.create_index(op.f("ix_job_events_user_id"), "job_events", ["user_id"], unique=False)
