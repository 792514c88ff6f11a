"""Large JSON documents are TOAST-compressed with lz4 instead of pglz.

Every local job stores ~63 KB of artifact JSON in one statement; compressing it with pglz
was about 0.7 ms of the Postgres backend's ~4 ms of CPU per job, lz4 does the same work in
a fraction of that (and decompresses faster on every read) at a similar size (21 vs 24 KB a
job). The inputs each job reads (resumes.parsed, job_descriptions.parsed) and saved
versions follow the same rule. `SET COMPRESSION` changes only how NEW values are stored (no
table rewrite, no long lock): existing values stay pglz and read as before.

A server built without lz4 (PostgreSQL < 14, or built --without-lz4) keeps pglz: the
migration is then a no-op, and still recorded, so the schema history stays linear.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 17:20:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DOCUMENT_COLUMNS = (
    ("artifacts", "content"),
    ("resumes", "parsed"),
    ("job_descriptions", "parsed"),
    ("versions", "content"),
)


def _set_compression(method: str) -> None:
    """One DO block, so offline SQL (`alembic upgrade --sql`) checks the server too.
    default_toast_compression (PostgreSQL 14+) lists lz4 only when the server has it;
    EXECUTE keeps an older server from parsing SET COMPRESSION at all."""
    alters = " ".join(
        f"EXECUTE 'ALTER TABLE {table} ALTER COLUMN {column} SET COMPRESSION {method}';"
        for table, column in DOCUMENT_COLUMNS
    )
    op.execute(
        "DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_settings"
        " WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals))"
        f" THEN {alters} END IF; END $$"
    )


def upgrade() -> None:
    _set_compression("lz4")


def downgrade() -> None:
    _set_compression("default")
