"""Job applications a person tracks, the history of every change, analytics events about
them, and the e-mails sent to apply."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base, created_at, str_enum, updated_at, uuid_pk
from app.db.models.enums import ApplicationStatus


class Application(Base):
    __tablename__ = "applications"
    __table_args__ = (
        Index("ix_applications_user_created", "user_id", "created_at"),
        Index("ix_applications_user_status", "user_id", "status"),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    # The version and job stay optional: deleting them leaves the record of having applied.
    version_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("versions.id", ondelete="SET NULL"), index=True
    )
    job_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("tailoring_jobs.id", ondelete="SET NULL"), index=True
    )
    job_description_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("job_descriptions.id", ondelete="SET NULL"), index=True
    )
    company: Mapped[str | None] = mapped_column(String(300))
    role_title: Mapped[str | None] = mapped_column(String(300))
    posting_url: Mapped[str | None] = mapped_column(String(2000))
    status: Mapped[ApplicationStatus] = mapped_column(
        str_enum(ApplicationStatus, "application_status")
    )
    contact_email: Mapped[str | None] = mapped_column(String(320))
    applied_at: Mapped[dt.datetime | None]
    follow_up_at: Mapped[dt.datetime | None]
    notes: Mapped[str | None] = mapped_column(Text)
    # Snapshots taken at creation: the application keeps them even if the job goes.
    form_data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    interview_prep: Mapped[dict[str, Any]] = mapped_column(default=dict)
    form_data_key: Mapped[str | None] = mapped_column(String(512))
    created_at: Mapped[dt.datetime] = created_at()
    updated_at: Mapped[dt.datetime] = updated_at()


class ApplicationEvent(Base):
    """One row per change of an application (created, status, edit, e-mail sent)."""

    __tablename__ = "application_events"
    __table_args__ = (Index("ix_application_events_user_id_id", "user_id", "id"),)

    # Monotonic id: subscribers resume from the last id they saw.
    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    application_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    actor: Mapped[str] = mapped_column(String(32))  # "user" or "system"
    kind: Mapped[str] = mapped_column(String(32))
    from_status: Mapped[ApplicationStatus | None] = mapped_column(
        str_enum(ApplicationStatus, "application_event_from")
    )
    to_status: Mapped[ApplicationStatus] = mapped_column(
        str_enum(ApplicationStatus, "application_event_to")
    )
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = created_at()


class AnalyticsEvent(Base):
    __tablename__ = "analytics_events"
    __table_args__ = (
        Index("ix_analytics_events_user_created", "user_id", "created_at"),
        Index("ix_analytics_events_application", "application_id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    application_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE")
    )
    kind: Mapped[str] = mapped_column(String(32))
    source: Mapped[str] = mapped_column(String(16))  # "client" or "server"
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[dt.datetime] = created_at()


class EmailSend(Base):
    """An apply-by-e-mail request: queued by the API, sent by the worker.

    QUEUED -> SENDING (committed before SMTP is called) -> SENT; a send found still
    SENDING by a later run (the worker died mid-send) becomes UNCONFIRMED and goes again
    only when the user confirms it (same Message-ID), see app/services/email_delivery.py.
    """

    __tablename__ = "email_sends"
    __table_args__ = (
        # Same clientRequestId from the same user is the same send: a retried request
        # never e-mails the employer a second time.
        Index(
            "uq_email_sends_client_request",
            "user_id",
            "client_request_id",
            unique=True,
            postgresql_where=text("client_request_id IS NOT NULL"),
        ),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    application_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(16))  # QUEUED SENDING SENT UNCONFIRMED FAILED
    to_address: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    attachment_format: Mapped[str] = mapped_column(String(8))
    message_id: Mapped[str] = mapped_column(String(300))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error_code: Mapped[str | None] = mapped_column(String(64))
    error_message: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[dt.datetime | None]
    # The current queue entry when it is not the first (`email:<id>`): a confirmed re-send.
    arq_job_id: Mapped[str | None] = mapped_column(String(64))
    client_request_id: Mapped[str | None] = mapped_column(String(128))
    created_at: Mapped[dt.datetime] = created_at()
    updated_at: Mapped[dt.datetime] = updated_at()
