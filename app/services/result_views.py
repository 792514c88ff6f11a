"""Typed views of the results stored as JSON: a version's accepted resume and a job's
tailored resume, rebuilt as the engine's own types (app.tailoring.types) by the one
deserialiser (app.documents.serde). The GraphQL layer maps these objects instead of
picking keys out of rows."""

from __future__ import annotations

from typing import Any

from app.db.models import Version
from app.tailoring.types import TailoredResume


def accepted_resume(version: Version) -> TailoredResume:
    """The resume as the person accepted it (written by app.tailoring.versioning)."""
    return TailoredResume.from_dict(version.content["resume"])


def tailored_resume(artifact: dict[str, Any]) -> TailoredResume | None:
    """A job's TAILORED_RESUME artifact (its renderings are ignored); None before the job
    stored one."""
    return TailoredResume.from_dict(artifact) if artifact else None
