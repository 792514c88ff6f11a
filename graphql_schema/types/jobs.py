"""GraphQL types for tailoring jobs, their events and artifacts."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, cast

import strawberry
from strawberry.scalars import JSON

from app.ai.types import ThinkingTime
from app.db.models import Artifact as ArtifactRow
from app.db.models import TailoringJob as JobRow
from app.db.models.enums import ArtifactKind, JobPhase, JobStatus
from app.events.job_events import EventView
from app.services.jobs import EngineName
from app.tailoring.types import Strategy
from graphql_schema.loaders import loaders

# Registered on the domain enums themselves (strawberry.enum returns the class), so
# resolvers pass the values straight through and mypy follows the types.
strawberry.enum(JobStatus, name="JobStatus", description="Lifecycle status of a job.")
strawberry.enum(JobPhase, name="JobPhase", description="Pipeline phase, fixed progress.")
strawberry.enum(
    Strategy,
    name="Strategy",
    description="conservative: reorder only; default: also summary and skills emphasis; "
    "aggressive_keywords: also the posting's wording for skills you have under an alias.",
)
strawberry.enum(EngineName, name="Engine", description="Which engine tailors.")
strawberry.enum(
    ThinkingTime,
    name="ThinkingTime",
    description="How long an LLM may reason (mapped per provider).",
)


@strawberry.type(description="A change of a job's status or phase.")
class JobEvent:
    job_id: strawberry.ID = strawberry.field(description="The job.")
    seq: int = strawberry.field(description="Per-job sequence number, from 1, gap-free.")
    status: JobStatus = strawberry.field(description="Status after the change.")
    phase: JobPhase = strawberry.field(description="Phase after the change.")
    progress: int = strawberry.field(description="0-100.")
    message: str | None = strawberry.field(description="Human-readable note.")
    error_code: str | None = strawberry.field(description="Stable code when the job failed.")
    created_at: dt.datetime = strawberry.field(description="When it happened.")

    @classmethod
    def from_view(cls, view: EventView) -> JobEvent:
        return cls(
            job_id=strawberry.ID(view.job_id),
            seq=view.seq,
            status=view.status,
            phase=view.phase,
            progress=view.progress,
            message=view.message,
            error_code=view.error_code,
            created_at=dt.datetime.fromisoformat(view.created_at),
        )


@strawberry.type(description="A rendered document in three forms.")
class RenderedDocument:
    markdown: str = strawberry.field(description="Markdown.")
    html: str = strawberry.field(description="Sanitised HTML.")
    text: str = strawberry.field(description="Plain text.")


@strawberry.type(description="Everything a completed job produced.")
class JobResult:
    plan: JSON | None = strawberry.field(description="Strengths, gaps, next steps.")
    tailored_resume: RenderedDocument | None = strawberry.field(description="Tailored resume.")
    tailored_sections: JSON | None = strawberry.field(description="Structured tailored resume.")
    cover_letter: RenderedDocument | None = strawberry.field(description="Cover letter.")
    ats_before: JSON | None = strawberry.field(description="ATS report of the original.")
    ats_after: JSON | None = strawberry.field(description="ATS report of the tailored resume.")
    diff: JSON | None = strawberry.field(description="Per-section diff with change types.")
    interview_prep: JSON | None = strawberry.field(description="Likely questions and evidence.")
    form_data: JSON | None = strawberry.field(description="Auto-fill data for applications.")
    warnings: list[str] = strawberry.field(description="Truth-guard and engine warnings.")


def _rendered(content: dict[str, Any] | None) -> RenderedDocument | None:
    if not content:
        return None
    return RenderedDocument(
        markdown=str(content.get("markdown", "")),
        html=str(content.get("html", "")),
        text=str(content.get("text", "")),
    )


def _warning_text(warning: Any) -> str:
    """'NEW_EMPLOYER in experience: <detail>' from a truth-guard warning dict."""
    if not isinstance(warning, dict):
        return str(warning)
    detail = warning.get("detail") or warning.get("text") or ""
    return f"{warning.get('code', 'WARNING')} in {warning.get('section', '?')}: {detail}"


def _json(value: Any) -> JSON | None:
    return cast(JSON, value) if value is not None else None


def build_result(artifacts: dict[ArtifactKind, ArtifactRow], warnings: list[str]) -> JobResult:
    def content(kind: ArtifactKind) -> dict[str, Any] | None:
        row = artifacts.get(kind)
        return row.content if row else None

    tailored = content(ArtifactKind.TAILORED_RESUME)
    evaluation = content(ArtifactKind.EVALUATION) or {}
    guard_warnings = [_warning_text(w) for w in evaluation.get("warnings", [])]
    return JobResult(
        plan=_json(content(ArtifactKind.PLAN)),
        tailored_resume=_rendered(tailored),
        tailored_sections=_json(tailored.get("sections") if tailored else None),
        cover_letter=_rendered(content(ArtifactKind.COVER_LETTER)),
        ats_before=_json(evaluation.get("before")),
        ats_after=_json(evaluation.get("after")),
        diff=_json(evaluation.get("diff")),
        interview_prep=_json(content(ArtifactKind.INTERVIEW_PREP)),
        form_data=_json(content(ArtifactKind.FORM_DATA)),
        warnings=[*warnings, *guard_warnings],
    )


@strawberry.type(description="A tailoring job: one resume tailored to one job description.")
class Job:
    id: strawberry.ID = strawberry.field(description="Job id.")
    resume_id: strawberry.ID = strawberry.field(description="The resume being tailored.")
    job_description_id: strawberry.ID = strawberry.field(description="The target job.")
    status: JobStatus = strawberry.field(description="QUEUED, RUNNING or a terminal status.")
    phase: JobPhase = strawberry.field(description="Current pipeline phase.")
    progress: int = strawberry.field(description="0-100.")
    strategy: str = strawberry.field(description="Tailoring strategy.")
    engine: str = strawberry.field(description="Engine used: local or llm.")
    model: str | None = strawberry.field(description="Model requested, if any.")
    error_code: str | None = strawberry.field(description="Stable code when FAILED.")
    error_message: str | None = strawberry.field(description="What to do about the failure.")
    attempts: int = strawberry.field(description="How many times a worker started it.")
    regenerated_from_id: strawberry.ID | None = strawberry.field(
        description="The job this one regenerates."
    )
    created_at: dt.datetime = strawberry.field(description="When it was requested.")
    started_at: dt.datetime | None = strawberry.field(description="When a worker started it.")
    finished_at: dt.datetime | None = strawberry.field(description="When it ended.")
    warnings_: strawberry.Private[list[str]]

    @strawberry.field(description="The artifacts produced so far (complete once COMPLETED).")
    async def result(self, info: strawberry.Info) -> JobResult:
        artifacts = await loaders(info.context.runtime).artifacts.load(uuid.UUID(str(self.id)))
        return build_result(artifacts, self.warnings_)

    @classmethod
    def from_row(cls, row: JobRow) -> Job:
        return cls(
            id=strawberry.ID(str(row.id)),
            resume_id=strawberry.ID(str(row.resume_id)),
            job_description_id=strawberry.ID(str(row.job_description_id)),
            status=row.status,
            phase=row.phase,
            progress=row.progress,
            strategy=row.strategy,
            engine=row.engine,
            model=row.model,
            error_code=row.error_code,
            error_message=row.error_message,
            attempts=row.attempts,
            regenerated_from_id=strawberry.ID(str(row.regenerated_from_id))
            if row.regenerated_from_id
            else None,
            created_at=row.created_at,
            started_at=row.started_at,
            finished_at=row.finished_at,
            warnings_=[str(w) for w in row.warnings],
        )


@strawberry.type(description="Answer to `tailor` and `regenerate`.")
class TailorPayload:
    job: Job = strawberry.field(description="The job (new, existing or cached).")
    cached: bool = strawberry.field(
        description="True when a completed result for the same inputs was returned at once."
    )
