"""Credit ledger: grants are positive, reservations negative, releases give a reservation
back and a settle row (delta 0) marks it spent; the balance is the sum."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base, created_at, uuid_pk


class CreditLedgerEntry(Base):
    __tablename__ = "credit_ledger"
    __table_args__ = (
        # A job is charged once, however often its completion is retried.
        Index(
            "uq_credit_ledger_job_reason",
            "job_id",
            "reason",
            unique=True,
            postgresql_where=text("job_id IS NOT NULL"),
        ),
        Index("ix_credit_ledger_user", "user_id"),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    job_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("tailoring_jobs.id", ondelete="SET NULL")
    )
    delta: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = created_at()
