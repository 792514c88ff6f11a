"""Tailoring jobs, their event log and the artifacts each step stores."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base, created_at, str_enum, updated_at, uuid_pk
from app.db.models.enums import ArtifactKind, JobPhase, JobStatus


class TailoringJob(Base):
    __tablename__ = "tailoring_jobs"
    __table_args__ = (
        # Same clientRequestId from the same user is the same job, even under concurrency.
        Index(
            "uq_tailoring_jobs_client_request",
            "user_id",
            "client_request_id",
            unique=True,
            postgresql_where=text("client_request_id IS NOT NULL"),
        ),
        # One active job per (user, resume, job description): the database enforces it.
        Index(
            "uq_tailoring_jobs_one_active",
            "user_id",
            "resume_id",
            "job_description_id",
            unique=True,
            postgresql_where=text("status IN ('QUEUED', 'RUNNING')"),
        ),
        Index("ix_tailoring_jobs_user_created", "user_id", text("created_at DESC")),
        Index(
            "ix_tailoring_jobs_inputs",
            "user_id",
            "resume_id",
            "job_description_id",
            "input_key",
        ),
        Index(
            "ix_tailoring_jobs_active_status",
            "status",
            "updated_at",
            postgresql_where=text("status IN ('QUEUED', 'RUNNING')"),
        ),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    resume_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("resumes.id", ondelete="CASCADE"))
    job_description_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("job_descriptions.id", ondelete="CASCADE")
    )
    status: Mapped[JobStatus] = mapped_column(str_enum(JobStatus, "job_status"))
    phase: Mapped[JobPhase] = mapped_column(str_enum(JobPhase, "job_phase"))
    progress: Mapped[int] = mapped_column(Integer, default=0)
    strategy: Mapped[str] = mapped_column(String(32))
    engine: Mapped[str] = mapped_column(String(32))
    model: Mapped[str | None] = mapped_column(String(100))
    # The provider the request was routed to; what really answered (after any failover)
    # is recorded by the LLM engine as provider_used / model_used.
    provider: Mapped[str | None] = mapped_column(String(32))
    provider_used: Mapped[str | None] = mapped_column(String(32))
    model_used: Mapped[str | None] = mapped_column(String(100))
    thinking_time: Mapped[str | None] = mapped_column(String(16))
    # Hash of everything that determines the result (strategy, engine, model, ...):
    # a completed job with the same key is a cache hit.
    input_key: Mapped[str] = mapped_column(String(64))
    client_request_id: Mapped[str | None] = mapped_column(String(128))
    # The contact block given on the tailor input (ContactOverride.to_dict()); None: the resume's.
    contact_override: Mapped[dict[str, Any] | None]
    regenerated_from_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("tailoring_jobs.id", ondelete="SET NULL")
    )
    arq_job_id: Mapped[str | None] = mapped_column(String(64))
    last_seq: Mapped[int] = mapped_column(Integer, default=0)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error_code: Mapped[str | None] = mapped_column(String(64))
    error_message: Mapped[str | None] = mapped_column(Text)
    warnings: Mapped[list[Any]] = mapped_column(default=list)
    cancel_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    started_at: Mapped[dt.datetime | None]
    finished_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = created_at()
    updated_at: Mapped[dt.datetime] = updated_at()


class JobEvent(Base):
    __tablename__ = "job_events"
    __table_args__ = (
        UniqueConstraint("job_id", "seq", name="uq_job_events_job_seq"),
        # myJobs re-reads a user's recent events by time.
        Index("ix_job_events_user_created", "user_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    job_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tailoring_jobs.id", ondelete="CASCADE"))
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)
    status: Mapped[JobStatus] = mapped_column(str_enum(JobStatus, "job_event_status"))
    phase: Mapped[JobPhase] = mapped_column(str_enum(JobPhase, "job_event_phase"))
    progress: Mapped[int] = mapped_column(Integer)
    message: Mapped[str | None] = mapped_column(Text)
    error_code: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = created_at()


class Artifact(Base):
    __tablename__ = "artifacts"
    __table_args__ = (UniqueConstraint("job_id", "kind", name="uq_artifacts_job_kind"),)

    id: Mapped[uuid.UUID] = uuid_pk()
    job_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tailoring_jobs.id", ondelete="CASCADE"))
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[ArtifactKind] = mapped_column(str_enum(ArtifactKind, "artifact_kind"))
    content: Mapped[dict[str, Any]]
    engine: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[dt.datetime] = created_at()
