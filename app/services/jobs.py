"""Tailoring jobs as a client sees them: request, regenerate, cancel, read."""

from __future__ import annotations

import enum
import hashlib
import json
import uuid
from dataclasses import dataclass

import structlog
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app import queue
from app.ai.routing import Route, route_model
from app.ai.types import ThinkingTime
from app.db.models import Artifact, TailoringJob
from app.db.models.enums import ArtifactKind, JobPhase, JobStatus
from app.errors import AppError, InvalidInput
from app.events.job_events import EventView, publish, record_event
from app.runtime import Runtime
from app.services import credits, gates
from app.services.job_descriptions import get_job_description
from app.services.job_transitions import finish
from app.services.ownership import owned
from app.services.paging import Listing
from app.services.resume_checks import check_tailorable
from app.services.resumes import get_resume, parsed_resume
from app.tailoring.contact_override import ContactOverride
from app.tailoring.types import Strategy

log = structlog.get_logger("jobs")


class EngineName(str, enum.Enum):
    LOCAL = "local"
    LLM = "llm"


@dataclass(frozen=True)
class TailorRequest:
    resume_id: uuid.UUID
    job_description_id: uuid.UUID
    strategy: Strategy = Strategy.DEFAULT
    engine: EngineName | None = None
    model: str | None = None
    thinking_time: ThinkingTime | None = None
    client_request_id: str | None = None
    regenerate: bool = False
    contact: ContactOverride | None = None  # validated by the API layer


@dataclass(frozen=True)
class TailorOutcome:
    job: TailoringJob
    cached: bool


def input_key(
    resume_sha: str, job_description_id: uuid.UUID, request: TailorRequest, engine: str
) -> str:
    """Everything that determines the result: equal keys may share a completed result."""
    material = json.dumps(
        [
            resume_sha,
            str(job_description_id),
            request.strategy.value,
            engine,
            request.model,
            request.thinking_time.value if request.thinking_time else None,
            request.contact.to_dict() if request.contact else None,
        ]
    )
    return hashlib.sha256(material.encode()).hexdigest()


def _check_client_request_id(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    if not 1 <= len(value) <= 128:
        raise InvalidInput("clientRequestId must be 1 to 128 characters", field="clientRequestId")
    return value


def _same_request_or_raise(job: TailoringJob, request: TailorRequest) -> None:
    """A reused idempotency key must describe the same request, or it hides a client bug."""
    if (job.resume_id, job.job_description_id, job.strategy, job.contact_override) != (
        request.resume_id,
        request.job_description_id,
        request.strategy.value,
        request.contact.to_dict() if request.contact else None,
    ):
        raise InvalidInput(
            "this clientRequestId was already used for a different request",
            field="clientRequestId",
            code="IDEMPOTENCY_KEY_REUSED",
        )


async def _job_by_client_request(
    runtime: Runtime, user_id: uuid.UUID, client_request_id: str
) -> TailoringJob | None:
    async with runtime.db() as session:
        result = await session.execute(
            select(TailoringJob).where(
                TailoringJob.user_id == user_id,
                TailoringJob.client_request_id == client_request_id,
            )
        )
        return result.scalar_one_or_none()


def _resolve_engine(runtime: Runtime, engine: EngineName | None) -> str:
    name = engine.value if engine else runtime.settings.default_engine
    if name == EngineName.LLM.value and not runtime.settings.llm_configured:
        raise AppError(
            "no AI provider is configured on this server; use engine LOCAL",
            code="ENGINE_UNAVAILABLE",
        )
    return name


def _route(runtime: Runtime, engine: str, model: str | None) -> Route | None:
    """Where an LLM job will run; a model nobody here serves is refused, not replaced."""
    if engine != EngineName.LLM.value:
        if model is not None:
            raise InvalidInput("'model' applies to engine LLM only", field="model")
        return None
    return route_model(runtime.settings, model)


async def request_tailoring(
    runtime: Runtime,
    user_id: uuid.UUID,
    request: TailorRequest,
    *,
    regenerated_from: uuid.UUID | None = None,
) -> TailorOutcome:
    crid = _check_client_request_id(request.client_request_id)
    if crid is not None:
        existing = await _job_by_client_request(runtime, user_id, crid)
        if existing is not None:
            _same_request_or_raise(existing, request)
            return TailorOutcome(existing, cached=False)
    resume = await get_resume(runtime, user_id, request.resume_id)
    check_tailorable(parsed_resume(resume))  # PARSE_NOT_READY / RESUME_TOO_THIN first
    await get_job_description(runtime, user_id, request.job_description_id)
    engine = _resolve_engine(runtime, request.engine)
    route = _route(runtime, engine, request.model)
    key = input_key(resume.sha256, request.job_description_id, request, engine)

    if not request.regenerate:
        cached = await _completed_for(runtime, user_id, request, key)
        if cached is not None:
            return TailorOutcome(cached, cached=True)
    await gates.check_rate_limit(runtime, user_id)

    job = TailoringJob(
        id=uuid.uuid4(),
        user_id=user_id,
        resume_id=request.resume_id,
        job_description_id=request.job_description_id,
        status=JobStatus.QUEUED,
        phase=JobPhase.QUEUED,
        progress=0,
        strategy=request.strategy.value,
        engine=engine,
        model=request.model,
        provider=route.provider if route else None,
        thinking_time=request.thinking_time.value if request.thinking_time else None,
        input_key=key,
        client_request_id=crid,
        contact_override=request.contact.to_dict() if request.contact else None,
        regenerated_from_id=regenerated_from,
        last_seq=0,
        attempts=0,
        warnings=[],
        cancel_requested=False,
    )
    job.arq_job_id = queue.tailoring_id(job.id)
    try:
        async with runtime.db() as session, session.begin():
            session.add(job)
            await session.flush()
            # Held now, in the job's own transaction: refused means nothing was created.
            await credits.reserve(session, user_id, job.id, runtime.settings.credits_per_job)
            event = record_event(session, job, message="queued")
    except IntegrityError as exc:
        return await _resolve_conflict(runtime, user_id, crid, exc)
    await publish(runtime.redis, EventView.from_row(event))
    await enqueue(runtime, job)
    return TailorOutcome(job, cached=False)


async def _resolve_conflict(
    runtime: Runtime, user_id: uuid.UUID, crid: str | None, exc: IntegrityError
) -> TailorOutcome:
    if crid is not None:
        winner = await _job_by_client_request(runtime, user_id, crid)
        if winner is not None:  # a concurrent call with the same clientRequestId won
            return TailorOutcome(winner, cached=False)
    if "uq_tailoring_jobs_one_active" in str(exc.orig):
        raise AppError(
            "a tailoring job for this resume and job description is already running; "
            "wait for it or cancel it",
            code="JOB_ALREADY_ACTIVE",
        ) from exc
    raise exc


async def _completed_for(
    runtime: Runtime, user_id: uuid.UUID, request: TailorRequest, key: str
) -> TailoringJob | None:
    async with runtime.db() as session:
        result = await session.execute(
            select(TailoringJob)
            .where(
                TailoringJob.user_id == user_id,
                TailoringJob.resume_id == request.resume_id,
                TailoringJob.job_description_id == request.job_description_id,
                TailoringJob.input_key == key,
                TailoringJob.status == JobStatus.COMPLETED,
            )
            .order_by(TailoringJob.finished_at.desc())
            .limit(1)
        )
        return result.scalar_one_or_none()


async def enqueue(runtime: Runtime, job: TailoringJob) -> None:
    """Put the job on the arq queue. A failure here is not fatal: the sweeper re-enqueues
    QUEUED jobs whose queue entry is missing."""
    try:
        await queue.enqueue_tailoring(
            runtime.queue, job.id, job.arq_job_id or queue.tailoring_id(job.id)
        )
    except Exception as exc:
        log.warning("enqueue_failed", job_id=str(job.id), error=type(exc).__name__)


async def regenerate(runtime: Runtime, user_id: uuid.UUID, job_id: uuid.UUID) -> TailorOutcome:
    source = await get_job(runtime, user_id, job_id)
    request = TailorRequest(
        resume_id=source.resume_id,
        job_description_id=source.job_description_id,
        strategy=Strategy(source.strategy),
        engine=EngineName(source.engine),
        model=source.model,
        thinking_time=ThinkingTime(source.thinking_time) if source.thinking_time else None,
        regenerate=True,
        contact=ContactOverride.from_dict(source.contact_override),
    )
    return await request_tailoring(runtime, user_id, request, regenerated_from=source.id)


async def cancel(runtime: Runtime, user_id: uuid.UUID, job_id: uuid.UUID) -> TailoringJob:
    job = await get_job(runtime, user_id, job_id)
    if job.status is JobStatus.CANCELLED:
        return job
    if job.status.terminal:
        raise AppError(f"the job already ended ({job.status.value})", code="JOB_NOT_CANCELLABLE")
    done = await finish(
        runtime, job_id, JobStatus.CANCELLED, error_code=None, error_message="cancelled"
    )
    if done is None:  # it ended while we were looking
        job = await get_job(runtime, user_id, job_id)
        if job.status is not JobStatus.CANCELLED:
            raise AppError(
                f"the job already ended ({job.status.value})", code="JOB_NOT_CANCELLABLE"
            )
        return job
    if job.arq_job_id:
        # Best effort: the worker also checks the status between steps.
        await queue.abort(runtime.queue, job.arq_job_id)
    return done.job


async def get_job(runtime: Runtime, user_id: uuid.UUID, job_id: uuid.UUID) -> TailoringJob:
    async with runtime.db() as session:
        return await owned(session, TailoringJob, job_id, user_id, what="job")


def list_jobs(
    runtime: Runtime, user_id: uuid.UUID, *, status: JobStatus | None = None
) -> Listing[TailoringJob]:
    query = select(TailoringJob).where(TailoringJob.user_id == user_id)
    if status is not None:
        query = query.where(TailoringJob.status == status)
    return Listing(runtime.db, query, TailoringJob)


async def artifacts_of(runtime: Runtime, job_id: uuid.UUID) -> dict[ArtifactKind, Artifact]:
    async with runtime.db() as session:
        result = await session.execute(select(Artifact).where(Artifact.job_id == job_id))
        return {a.kind: a for a in result.scalars()}


async def artifacts_for_jobs(
    runtime: Runtime, job_ids: list[uuid.UUID]
) -> dict[uuid.UUID, dict[ArtifactKind, Artifact]]:
    """Artifacts of many jobs in one query (for a DataLoader)."""
    grouped: dict[uuid.UUID, dict[ArtifactKind, Artifact]] = {j: {} for j in job_ids}
    async with runtime.db() as session:
        result = await session.execute(select(Artifact).where(Artifact.job_id.in_(job_ids)))
        for artifact in result.scalars():
            grouped[artifact.job_id][artifact.kind] = artifact
    return grouped
