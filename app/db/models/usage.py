"""One row per AI call: who, which job, which model, how many tokens, what it cost."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid

from sqlalchemy import ForeignKey, Index, Integer, Numeric, String, text
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base, created_at, uuid_pk


class ApiUsage(Base):
    __tablename__ = "api_usage"
    __table_args__ = (
        Index("ix_api_usage_user_created", "user_id", text("created_at DESC")),
        Index("ix_api_usage_job", "job_id"),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    job_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("tailoring_jobs.id", ondelete="SET NULL")
    )
    operation: Mapped[str] = mapped_column(String(32))
    provider: Mapped[str] = mapped_column(String(32))
    model: Mapped[str] = mapped_column(String(100))
    input_tokens: Mapped[int] = mapped_column(Integer, default=0)
    output_tokens: Mapped[int] = mapped_column(Integer, default=0)
    latency_ms: Mapped[int] = mapped_column(Integer, default=0)
    cost_usd: Mapped[decimal.Decimal] = mapped_column(Numeric(12, 6), default=0)
    outcome: Mapped[str] = mapped_column(String(32))
    provider_request_id: Mapped[str | None] = mapped_column(String(128))
    audit_key: Mapped[str | None] = mapped_column(String(512))
    created_at: Mapped[dt.datetime] = created_at()
