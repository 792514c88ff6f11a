"""All models, imported here so Base.metadata knows every table (Alembic reads it)."""

from app.db.models.applications import Application, ApplicationEvent
from app.db.models.credits import CreditLedgerEntry
from app.db.models.documents import JobDescription, Resume
from app.db.models.jobs import Artifact, JobEvent, TailoringJob
from app.db.models.usage import ApiUsage
from app.db.models.users import ApiKey, User
from app.db.models.versions import Export, Version

__all__ = [
    "ApiKey",
    "ApiUsage",
    "Application",
    "ApplicationEvent",
    "Artifact",
    "CreditLedgerEntry",
    "Export",
    "JobDescription",
    "JobEvent",
    "Resume",
    "TailoringJob",
    "User",
    "Version",
]
