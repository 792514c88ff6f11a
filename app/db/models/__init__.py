"""All models, imported here so Base.metadata knows every table (Alembic reads it)."""

from app.db.models.applications import (
    AnalyticsEvent,
    Application,
    ApplicationEvent,
    EmailSend,
)
from app.db.models.credits import CreditLedgerEntry
from app.db.models.documents import JobDescription, Resume
from app.db.models.jobs import Artifact, JobEvent, TailoringJob
from app.db.models.sessions import AuthSession, RefreshToken
from app.db.models.sharing import ShareLink
from app.db.models.usage import ApiUsage
from app.db.models.users import ApiKey, User
from app.db.models.versions import Export, Version

__all__ = [
    "AnalyticsEvent",
    "ApiKey",
    "ApiUsage",
    "Application",
    "ApplicationEvent",
    "Artifact",
    "AuthSession",
    "CreditLedgerEntry",
    "EmailSend",
    "Export",
    "JobDescription",
    "JobEvent",
    "RefreshToken",
    "Resume",
    "ShareLink",
    "TailoringJob",
    "User",
    "Version",
]
