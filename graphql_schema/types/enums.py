"""Every closed set of the API as a GraphQL enum, each value described.

Domain enums are registered on the classes themselves (strawberry.enum returns the class),
so resolvers pass domain values straight through and mypy follows the types. Sets that
exist only as strings in storage (operation, outcome, provider, template) get an enum here
with a tolerant `parse`, so an unexpected stored value never breaks a read.
"""

from __future__ import annotations

import enum
from typing import TypeVar

import strawberry

from app.ai.types import ThinkingTime
from app.auth.api_keys import Scope
from app.db.models.enums import (
    ExportDocument,
    ExportFormat,
    ExportStatus,
    JobPhase,
    JobStatus,
    ParseStatus,
)
from app.documents.models import SectionKind
from app.services.jobs import EngineName
from app.services.usage import UsageGroupBy
from app.tailoring.types import (
    ChangeType,
    Fit,
    Importance,
    LineRole,
    MatchStatus,
    Seniority,
    Strategy,
)

E = TypeVar("E", bound=enum.Enum)


def described(cls: type[E], name: str, description: str, values: dict[str, str]) -> type[E]:
    """Register `cls` as the GraphQL enum `name`, with a description per member name."""
    strawberry.enum(cls, name=name, description=description)
    for value in cls.__strawberry_definition__.values:  # type: ignore[attr-defined]
        value.description = values.get(value.name)
    return cls


def parse(cls: type[E], raw: object, default: E) -> E:
    """The member whose value (or name) is `raw`, else `default`."""
    for member in cls:
        if raw in (member.value, member.name):
            return member
    return default


described(
    JobStatus,
    "JobStatus",
    "Lifecycle status of a tailoring job.",
    {
        "QUEUED": "Waiting for a worker.",
        "RUNNING": "A worker is running it.",
        "COMPLETED": "Finished; the result is complete.",
        "FAILED": "Gave up; errorCode says why.",
        "CANCELLED": "Cancelled by the person.",
    },
)
described(
    JobPhase,
    "JobPhase",
    "Pipeline phase; each has a fixed progress value.",
    {
        "QUEUED": "Not started (0%).",
        "PARSING": "Reading the resume and the posting (5%).",
        "ANALYZING": "Scoring and planning (25%).",
        "GENERATING": "Writing the tailored resume (50%).",
        "WRITING_COVER_LETTER": "Writing the cover letter (70%).",
        "EVALUATING": "Re-scoring, truth guard and diff (95%).",
        "DONE": "Finished (100%).",
    },
)
described(
    Strategy,
    "Strategy",
    "How far tailoring may go; it never invents experience.",
    {
        "CONSERVATIVE": "Reorder sections and bullets only.",
        "DEFAULT": "Also a truthful summary and a skills section led by matches.",
        "AGGRESSIVE_KEYWORDS": "Also the posting's wording for skills you have under an alias.",
    },
)
described(
    EngineName,
    "Engine",
    "Which engine tailors.",
    {
        "LOCAL": "The deterministic engine: no network, no API key.",
        "LLM": "A language model through the configured providers (falls back to LOCAL).",
    },
)
described(
    ThinkingTime,
    "ThinkingTime",
    "How long an LLM may reason (OpenAI reasoning effort, Anthropic thinking budget).",
    {"LOW": "Quick answers.", "MEDIUM": "Some reasoning.", "HIGH": "The most reasoning."},
)
described(
    ParseStatus,
    "ParseStatus",
    "Whether a resume was parsed.",
    {
        "PENDING": "Not parsed yet.",
        "PARSED": "Parsed; `parsed` holds the structure.",
        "FAILED": "Could not be parsed; `parseError` says why.",
    },
)
described(
    ExportFormat,
    "ExportFormat",
    "File format of an export.",
    {
        "PDF": "PDF document.",
        "DOCX": "Word document.",
        "MARKDOWN": "Markdown text.",
        "TEXT": "Plain text.",
    },
)
described(
    ExportStatus,
    "ExportStatus",
    "Where an export stands.",
    {
        "PENDING": "Queued or rendering.",
        "READY": "Rendered; the download link works.",
        "FAILED": "Rendering failed; retryExport queues it again.",
    },
)
described(
    ExportDocument,
    "ExportDocument",
    "Which document an export holds.",
    {"RESUME": "The accepted resume.", "COVER_LETTER": "The cover letter."},
)
described(
    Scope,
    "ApiScope",
    "What an API key may read. Keys never write.",
    {
        "PROFILE_READ": "profile:read - the account (me).",
        "RESUMES_READ": "resumes:read - resumes and job descriptions.",
        "JOBS_READ": "jobs:read - tailoring jobs, results and progress.",
        "VERSIONS_READ": "versions:read - accepted versions and downloads.",
        "USAGE_READ": "usage:read - AI usage and costs.",
        "APPLICATIONS_READ": "applications:read - job applications.",
    },
)
described(
    UsageGroupBy,
    "UsageGroupBy",
    "A key to group usage totals by (give one or two).",
    {
        "OPERATION": "By engine operation (plan, draft, cover letter).",
        "MODEL": "By model name.",
        "PROVIDER": "By AI provider.",
        "JOB": "By tailoring job.",
        "DAY": "By UTC day.",
    },
)
described(
    SectionKind,
    "SectionKind",
    "Canonical kind of a resume section.",
    {
        "CONTACT": "Name and contact lines above the first heading.",
        "SUMMARY": "Summary or profile.",
        "EXPERIENCE": "Work experience.",
        "EDUCATION": "Education.",
        "SKILLS": "Skills.",
        "PROJECTS": "Projects.",
        "CERTIFICATIONS": "Certifications.",
        "LANGUAGES": "Spoken languages.",
        "VOLUNTEER": "Volunteering.",
        "OTHER": "Any other section.",
    },
)
described(
    ChangeType,
    "ChangeType",
    "How a section changed from the original to the tailored resume.",
    {
        "UNCHANGED": "Same lines in the same place.",
        "REORDERED": "Same lines, another order or position.",
        "REWRITTEN": "Some line text changed.",
        "ADDED": "Only in the tailored resume.",
        "REMOVED": "Only in the original.",
    },
)
described(
    Fit,
    "Fit",
    "Overall fit of a resume for a job.",
    {"STRONG": "Meets most requirements.", "PARTIAL": "Meets some.", "POOR": "Meets few."},
)
described(
    MatchStatus,
    "MatchStatus",
    "How well the resume shows one requirement.",
    {
        "MATCHED": "Stated in the skills (or certifications) section.",
        "IMPLIED": "Only in bullets or summary, or via a related skill.",
        "MISSING": "Not shown anywhere.",
    },
)
described(
    Importance,
    "Importance",
    "Whether the posting requires or prefers something.",
    {"REQUIRED": "A must-have.", "PREFERRED": "A nice-to-have."},
)
described(
    Seniority,
    "Seniority",
    "Career level.",
    {
        "JUNIOR": "Junior.",
        "MID": "Mid-level.",
        "SENIOR": "Senior.",
        "LEAD": "Lead.",
        "PRINCIPAL": "Principal or staff.",
    },
)
described(
    LineRole,
    "LineRole",
    "What a line of a tailored section is.",
    {
        "NAME": "The person's name.",
        "CONTACT": "Contact details.",
        "HEADER": "An entry's title/employer line.",
        "META": "Dates or location under an entry header.",
        "BULLET": "An achievement bullet.",
        "TEXT": "Running text.",
        "SKILLS": "A skills line.",
    },
)
