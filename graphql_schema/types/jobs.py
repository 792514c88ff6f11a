"""GraphQL types for tailoring jobs, their events and results."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import strawberry

from app.ai.routing import Route, is_substitution, served_models
from app.ai.types import ThinkingTime
from app.config import Settings
from app.db.models import Artifact as ArtifactRow
from app.db.models import Resume as ResumeRow
from app.db.models import TailoringJob as JobRow
from app.db.models.enums import ArtifactKind, JobPhase, JobStatus
from app.db.unit_of_work import reading
from app.errors import NotFound
from app.events.job_events import EventView
from app.services import stored_documents
from app.services.jobs import EngineName
from app.services.lookups import jobs_by_ids
from app.services.result_views import tailored_resume
from app.services.resume_checks import content_warnings
from app.tailoring.types import Strategy
from graphql_schema.loaders import loaders
from graphql_schema.types.artifacts import FormData, InterviewPrep, SectionDiff, parse_diff
from graphql_schema.types.enums import parse
from graphql_schema.types.results import AtsReport, Notice, Plan, TailoredSection, unique
from graphql_schema.types.value_sets import AiProvider


@strawberry.type(description="A rendered document in three forms.")
class RenderedDocument:
    markdown: str = strawberry.field(description="Markdown.")
    html: str = strawberry.field(description="Sanitised HTML.")
    text: str = strawberry.field(description="Plain text.")


@strawberry.type(description="Everything a job produced so far (complete once COMPLETED).")
class JobResult:
    """Each field maps its stored artifact when selected, and only then: a page of jobs
    asking for scores does not pay for mapping diffs and interview prep."""

    artifacts: strawberry.Private[dict[ArtifactKind, ArtifactRow]]
    job: strawberry.Private[JobRow]

    def _content(self, kind: ArtifactKind) -> dict[str, Any]:
        row = self.artifacts.get(kind)
        return row.content if row and isinstance(row.content, dict) else {}

    @strawberry.field(description="Fit, strengths, gaps, next steps.")
    def plan(self) -> Plan | None:
        return Plan.parse(self._content(ArtifactKind.PLAN) or None)

    @strawberry.field(description="Tailored resume.")
    def tailored_resume(self) -> RenderedDocument | None:
        return _rendered(self._content(ArtifactKind.TAILORED_RESUME))

    @strawberry.field(
        description="The tailored resume by section, each line with its source lines."
    )
    def tailored_sections(self) -> list[TailoredSection]:
        return TailoredSection.many(tailored_resume(self._content(ArtifactKind.TAILORED_RESUME)))

    @strawberry.field(description="Cover letter.")
    def cover_letter(self) -> RenderedDocument | None:
        return _rendered(self._content(ArtifactKind.COVER_LETTER))

    @strawberry.field(description="ATS report of the original.")
    def ats_before(self) -> AtsReport | None:
        return AtsReport.parse(self._content(ArtifactKind.EVALUATION).get("before"))

    @strawberry.field(description="ATS report of the tailoring.")
    def ats_after(self) -> AtsReport | None:
        return AtsReport.parse(self._content(ArtifactKind.EVALUATION).get("after"))

    @strawberry.field(description="Per-section diff; `section` is the key `accept` takes.")
    def diff(self) -> list[SectionDiff]:
        return parse_diff(self._content(ArtifactKind.EVALUATION).get("diff"))

    @strawberry.field(description="Likely questions.")
    def interview_prep(self) -> InterviewPrep | None:
        return InterviewPrep.parse(self._content(ArtifactKind.INTERVIEW_PREP) or None)

    @strawberry.field(description="Auto-fill data for applications.")
    def form_data(self) -> FormData | None:
        return FormData.parse(self._content(ArtifactKind.FORM_DATA) or None)

    @strawberry.field(
        description="Engine, truth-guard, cover-letter and parse warnings (e.g. "
        "NO_EXPERIENCE_FOUND, MODEL_SUBSTITUTED), each finding once."
    )
    async def warnings(self, info: strawberry.Info) -> list[Notice]:
        runtime = info.context.runtime
        resume = await loaders(runtime).resumes.load(self.job.resume_id)
        return unique(
            [
                *_job_warnings(runtime.settings, self.job),
                *await _parse_warnings(resume),
                *Notice.many(self._content(ArtifactKind.EVALUATION).get("warnings")),
                *Notice.many(self._content(ArtifactKind.COVER_LETTER).get("warnings")),
            ]
        )


def _rendered(content: dict[str, Any]) -> RenderedDocument | None:
    if not content:
        return None
    return RenderedDocument(
        markdown=str(content.get("markdown", "")),
        html=str(content.get("html", "")),
        text=str(content.get("text", "")),
    )


async def _parse_warnings(resume: ResumeRow | None) -> list[Notice]:
    if resume is None or not resume.parsed:
        return []
    data = resume.parsed
    # A stored document is rebuilt off the event loop, once per stored version.
    return await stored_documents.built(
        ("parse-warnings", resume.id, resume.updated_at),
        lambda: Notice.many(content_warnings(stored_documents.resume_document(data))),
    )


@strawberry.type(description="A tailoring job: one resume tailored to one job description.")
class Job:
    id: strawberry.ID = strawberry.field(description="Job id.")
    resume_id: strawberry.ID = strawberry.field(description="The resume being tailored.")
    job_description_id: strawberry.ID = strawberry.field(description="The target job.")
    status: JobStatus = strawberry.field(description="QUEUED, RUNNING or a terminal status.")
    phase: JobPhase = strawberry.field(description="Current pipeline phase.")
    progress: int = strawberry.field(description="0-100.")
    strategy: Strategy = strawberry.field(description="Tailoring strategy.")
    engine: EngineName = strawberry.field(description="Engine requested: LOCAL or LLM.")
    thinking_time: ThinkingTime | None = strawberry.field(description="LLM reasoning budget.")
    requested_model: str | None = strawberry.field(description="Model named in the request.")
    error_code: str | None = strawberry.field(description="Stable code when FAILED.")
    error_message: str | None = strawberry.field(description="What to do about the failure.")
    attempts: int = strawberry.field(description="How many times a worker started it.")
    regenerated_from_id: strawberry.ID | None = strawberry.field(
        description="The job this one regenerates."
    )
    created_at: dt.datetime = strawberry.field(description="When it was requested.")
    started_at: dt.datetime | None = strawberry.field(description="When a worker started it.")
    finished_at: dt.datetime | None = strawberry.field(description="When it ended.")
    row: strawberry.Private[JobRow]

    @strawberry.field(
        description="Model the job ran on (once an AI call answered), else the one it is "
        "routed to; null for LOCAL jobs and for jobs that ended with no AI answer (see the "
        "AI_FALLBACK_LOCAL warnings)."
    )
    def model(self, info: strawberry.Info) -> str | None:
        if self.row.model_used or self.row.status.terminal:
            return self.row.model_used
        planned = _planned(info.context.runtime.settings, self.row)
        return planned.model if planned else None

    @strawberry.field(
        description="Provider the job ran on (once an AI call answered), else the one it is "
        "routed to; null for LOCAL jobs and for jobs that ended with no AI answer."
    )
    def provider(self) -> AiProvider | None:
        name = self.row.provider_used
        if name is None and not self.row.status.terminal:
            name = self.row.provider
        return parse(AiProvider, name, AiProvider.OTHER) if name else None

    @strawberry.field(description="The artifacts produced so far (complete once COMPLETED).")
    async def result(self, info: strawberry.Info) -> JobResult:
        artifacts = await loaders(info.context.runtime).artifacts.load(self.row.id)
        return JobResult(artifacts=artifacts, job=self.row)

    @classmethod
    def from_row(cls, row: JobRow) -> Job:
        return cls(
            id=strawberry.ID(str(row.id)),
            resume_id=strawberry.ID(str(row.resume_id)),
            job_description_id=strawberry.ID(str(row.job_description_id)),
            status=row.status,
            phase=row.phase,
            progress=row.progress,
            strategy=parse(Strategy, row.strategy, Strategy.DEFAULT),
            engine=parse(EngineName, row.engine, EngineName.LOCAL),
            thinking_time=parse(ThinkingTime, row.thinking_time, ThinkingTime.LOW)
            if row.thinking_time
            else None,
            requested_model=row.model,
            error_code=row.error_code,
            error_message=row.error_message,
            attempts=row.attempts,
            regenerated_from_id=strawberry.ID(str(row.regenerated_from_id))
            if row.regenerated_from_id
            else None,
            created_at=row.created_at,
            started_at=row.started_at,
            finished_at=row.finished_at,
            row=row,
        )


def _planned(settings: Settings, row: JobRow) -> Route | None:
    """Where the request was routed: the model it named, else the provider's default."""
    if not row.provider:
        return None
    return Route(row.provider, row.model or served_models(settings, row.provider)[0])


def _job_warnings(settings: Settings, row: JobRow) -> list[Notice]:
    warnings = Notice.many(row.warnings)
    planned = _planned(settings, row)
    if planned and is_substitution(planned, row.provider_used, row.model_used):
        warnings.append(
            Notice.parse(
                f"MODEL_SUBSTITUTED: routed to {planned.model} on {planned.provider}, "
                f"answered by {row.model_used} on {row.provider_used}"
            )
        )
    return warnings


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

    @strawberry.field(
        description="The job as it is now (id, status, progress ...): lets Apollo or Relay "
        "update their cache from the event alone."
    )
    async def job(self, info: strawberry.Info) -> Job:
        # Not the per-operation loader: a subscription is one long operation whose cache
        # would keep serving the job as it was at the first event.
        async with reading(info.context.runtime.db) as session:
            [row] = await jobs_by_ids(session, [uuid.UUID(str(self.job_id))])
        if row is None:
            raise NotFound("job")
        return Job.from_row(row)

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


@strawberry.type(description="Answer to `tailor` and `regenerate`.")
class TailorPayload:
    job: Job = strawberry.field(description="The job (new, existing or cached).")
    cached: bool = strawberry.field(
        description="True when a completed result for the same inputs was returned at once."
    )
