"""Domain enumerations shared by models, services and the GraphQL layer."""

from __future__ import annotations

import enum


class ParseStatus(str, enum.Enum):
    PENDING = "PENDING"
    PARSED = "PARSED"
    FAILED = "FAILED"


class JobStatus(str, enum.Enum):
    QUEUED = "QUEUED"
    RUNNING = "RUNNING"
    COMPLETED = "COMPLETED"
    FAILED = "FAILED"
    CANCELLED = "CANCELLED"

    @property
    def terminal(self) -> bool:
        return self in TERMINAL_STATUSES


TERMINAL_STATUSES = frozenset({JobStatus.COMPLETED, JobStatus.FAILED, JobStatus.CANCELLED})
ACTIVE_STATUSES = frozenset({JobStatus.QUEUED, JobStatus.RUNNING})


class JobPhase(str, enum.Enum):
    QUEUED = "QUEUED"
    PARSING = "PARSING"
    ANALYZING = "ANALYZING"
    GENERATING = "GENERATING"
    WRITING_COVER_LETTER = "WRITING_COVER_LETTER"
    EVALUATING = "EVALUATING"
    DONE = "DONE"

    @property
    def progress(self) -> int:
        return PHASE_PROGRESS[self]


PHASE_PROGRESS = {
    JobPhase.QUEUED: 0,
    JobPhase.PARSING: 5,
    JobPhase.ANALYZING: 25,
    JobPhase.GENERATING: 50,
    JobPhase.WRITING_COVER_LETTER: 70,
    JobPhase.EVALUATING: 95,
    JobPhase.DONE: 100,
}


class ArtifactKind(str, enum.Enum):
    PLAN = "plan"
    TAILORED_RESUME = "tailored_resume"
    COVER_LETTER = "cover_letter"
    INTERVIEW_PREP = "interview_prep"
    FORM_DATA = "form_data"
    EVALUATION = "evaluation"


class ExportFormat(str, enum.Enum):
    PDF = "PDF"
    DOCX = "DOCX"
    MARKDOWN = "MARKDOWN"
    TEXT = "TEXT"


class ExportStatus(str, enum.Enum):
    PENDING = "PENDING"
    READY = "READY"
    FAILED = "FAILED"


class ExportDocument(str, enum.Enum):
    RESUME = "RESUME"
    COVER_LETTER = "COVER_LETTER"


class ApplicationStatus(str, enum.Enum):
    PENDING = "PENDING"
    APPLIED = "APPLIED"
    INTERVIEW = "INTERVIEW"
    OFFER = "OFFER"
    REJECTED = "REJECTED"
    WITHDRAWN = "WITHDRAWN"
