"""Accepted versions of a resume and their exported files."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base, created_at, str_enum, updated_at, uuid_pk
from app.db.models.enums import ExportDocument, ExportFormat, ExportStatus


class Version(Base):
    __tablename__ = "versions"
    __table_args__ = (
        # Accepting the same job twice with the same choices is the same version.
        UniqueConstraint("job_id", "accept_key", name="uq_versions_job_accept_key"),
        Index(
            "ix_versions_user_created",
            "user_id",
            text("created_at DESC"),
            postgresql_where=text("deleted_at IS NULL"),
        ),
        Index("ix_versions_resume", "resume_id"),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    resume_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("resumes.id", ondelete="CASCADE"))
    job_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tailoring_jobs.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    accept_key: Mapped[str] = mapped_column(String(64))
    content: Mapped[dict[str, Any]]
    markdown: Mapped[str] = mapped_column(Text)
    diff: Mapped[list[Any]]
    ats_score: Mapped[int | None] = mapped_column(Integer)
    notes: Mapped[str | None] = mapped_column(Text)
    template: Mapped[str] = mapped_column(String(32), default="classic")
    warnings: Mapped[list[Any]] = mapped_column(default=list)
    created_at: Mapped[dt.datetime] = created_at()
    deleted_at: Mapped[dt.datetime | None]


class Export(Base):
    __tablename__ = "exports"
    __table_args__ = (
        UniqueConstraint(
            "version_id", "document", "format", "template", name="uq_exports_version_doc_fmt"
        ),
        # The export sweeper reads only what is still pending.
        Index(
            "ix_exports_pending_updated",
            "updated_at",
            postgresql_where=text("status = 'PENDING'"),
        ),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    version_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("versions.id", ondelete="CASCADE"), index=True
    )
    document: Mapped[ExportDocument] = mapped_column(str_enum(ExportDocument, "export_document"))
    format: Mapped[ExportFormat] = mapped_column(str_enum(ExportFormat, "export_format"))
    template: Mapped[str] = mapped_column(String(32))
    status: Mapped[ExportStatus] = mapped_column(str_enum(ExportStatus, "export_status"))
    storage_key: Mapped[str | None] = mapped_column(String(512))
    size_bytes: Mapped[int | None] = mapped_column(Integer)
    error_code: Mapped[str | None] = mapped_column(String(64))
    warnings: Mapped[list[Any]] = mapped_column(default=list)
    # Queue bookkeeping for the export sweeper: the arq id of the current queue entry
    # (None: the first one, `export:<id>:0`) and how many times it was queued again.
    arq_job_id: Mapped[str | None] = mapped_column(String(128))
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[dt.datetime] = created_at()
    updated_at: Mapped[dt.datetime] = updated_at()
