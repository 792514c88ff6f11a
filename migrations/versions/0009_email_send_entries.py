"""Apply-by-e-mail sends remember their current queue entry and the client's request id.

A send whose delivery is unconfirmed (the worker died after handing the message to the
mail server and before recording it as sent) is re-sent only when the user confirms it,
under a fresh arq id: arq refuses a second entry under an id whose result it still keeps.
NULL means the send's first entry, `email:<send id>`. The statuses SENDING and
UNCONFIRMED fit the existing `status` column (16 characters).

`client_request_id` makes applyByEmail idempotent: the same key from the same user returns
the send it created (unique per user where set), so a retried request sends nothing new.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30 20:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("email_sends", sa.Column("arq_job_id", sa.String(length=64), nullable=True))
    op.add_column(
        "email_sends", sa.Column("client_request_id", sa.String(length=128), nullable=True)
    )
    op.create_index(
        "uq_email_sends_client_request",
        "email_sends",
        ["user_id", "client_request_id"],
        unique=True,
        postgresql_where=sa.text("client_request_id IS NOT NULL"),
    )


def downgrade() -> None:
    op.drop_index("uq_email_sends_client_request", table_name="email_sends")
    op.drop_column("email_sends", "client_request_id")
    op.drop_column("email_sends", "arq_job_id")
