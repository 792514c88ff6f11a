"""Tailoring jobs as a client sees them: request, regenerate, cancel, read.

Every function works in the caller's session (one use case, one transaction: see
app/db/unit_of_work.py); what must wait for the commit (publishing an event, queueing the
job, aborting its queue entry) is registered with `after_commit`, so a rolled-back request
queues and announces nothing.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import uuid
from dataclasses import dataclass
from typing import Any

import structlog
from sqlalchemy import Select, String, Table, bindparam, literal, select, true
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from app import queue
from app.ai.routing import Route, route_model
from app.ai.types import ThinkingTime
from app.db.models import Artifact, JobEvent, TailoringJob
from app.db.models.enums import ArtifactKind, JobPhase, JobStatus
from app.db.unit_of_work import after_commit
from app.errors import AppError, InvalidInput
from app.events.job_events import EventView, publish
from app.runtime import Runtime
from app.services import credits, gates
from app.services.job_transitions import end_job
from app.services.ownership import owned
from app.services.paging import Listing
from app.services.request_ids import checked_client_request_id
from app.services.tailor_checks import checked_inputs, input_key
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
    session: AsyncSession, user_id: uuid.UUID, client_request_id: str
) -> TailoringJob | None:
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
    session: AsyncSession,
    runtime: Runtime,
    user_id: uuid.UUID,
    request: TailorRequest,
    *,
    regenerated_from: uuid.UUID | None = None,
) -> TailorOutcome:
    """Validate, then insert the QUEUED job, hold its credits and write its first event in
    the caller's transaction; the event is published and the job queued after the commit."""
    crid = checked_client_request_id(request.client_request_id)
    if crid is not None:
        existing = await _job_by_client_request(session, user_id, crid)
        if existing is not None:
            _same_request_or_raise(existing, request)
            return TailorOutcome(existing, cached=False)
    try:
        engine, engine_error = _resolve_engine(runtime, request.engine), None
    except AppError as error:  # said after the resume and job description checks
        engine, engine_error = "", error
    inputs = await checked_inputs(session, user_id, request, engine)
    if engine_error is not None:
        raise engine_error
    route = _route(runtime, engine, request.model)
    if inputs.cached_id is not None and not request.regenerate:
        cached = await session.get(TailoringJob, inputs.cached_id)
        if cached is not None:
            return TailorOutcome(cached, cached=True)
    await gates.check_rate_limit(runtime, user_id)
    key = input_key(inputs.resume_sha, request.job_description_id, request, engine)
    values = _job_values(user_id, request, engine, route, key, crid, regenerated_from)
    inserted = await _insert_job(session, values)
    if inserted is None:
        return await _resolve_conflict(session, user_id, crid)
    job, event = inserted
    # Held now, in the job's own transaction: refused means nothing was created.
    await credits.reserve(session, user_id, job.id, runtime.settings.credits_per_job)
    after_commit(session, lambda: publish(runtime.redis, event))
    arq_id = queue.tailoring_id(job.id)
    queue.enqueue_after_commit(session, runtime.queue, queue.Task.TAILORING, job.id, arq_id)
    return TailorOutcome(job, cached=False)


def _job_values(
    user_id: uuid.UUID,
    request: TailorRequest,
    engine: str,
    route: Route | None,
    key: str,
    crid: str | None,
    regenerated_from: uuid.UUID | None,
) -> dict[str, Any]:
    job_id = uuid.uuid4()
    return {
        "id": job_id,
        "user_id": user_id,
        "resume_id": request.resume_id,
        "job_description_id": request.job_description_id,
        "status": JobStatus.QUEUED,
        "phase": JobPhase.QUEUED,
        "progress": 0,
        "strategy": request.strategy.value,
        "engine": engine,
        "model": request.model,
        "provider": route.provider if route else None,
        "thinking_time": request.thinking_time.value if request.thinking_time else None,
        "input_key": key,
        "client_request_id": crid,
        "contact_override": request.contact.to_dict() if request.contact else None,
        "regenerated_from_id": regenerated_from,
        "arq_job_id": queue.tailoring_id(job_id),
        "last_seq": 1,  # its first event is written with it (_insert_job)
        "attempts": 0,
        "warnings": [],
        "cancel_requested": False,
    }


_JOBS: Table = TailoringJob.__table__  # type: ignore[assignment]
_EVENTS: Table = JobEvent.__table__  # type: ignore[assignment]
_QUEUED = "queued"


@functools.cache
def _job_and_event_insert(keys: tuple[str, ...]) -> Select[Any]:
    """The job row (the columns `keys`; the table's defaults for the rest) and its first
    event in ONE statement, built once per set of columns (building it per request cost
    more than running it): INSERT ... ON CONFLICT DO NOTHING RETURNING the job in a CTE
    that feeds the event's INSERT, so a refused job writes no event either."""
    job = (
        insert(_JOBS)
        .values({key: bindparam(f"v_{key}", type_=_JOBS.c[key].type) for key in keys})
        .on_conflict_do_nothing()
        .returning(*_JOBS.c)
        .cte("job")
    )
    event = (
        insert(_EVENTS)
        .from_select(
            ["job_id", "user_id", "seq", "status", "phase", "progress", "message", "created_at"],
            select(
                job.c.id,
                job.c.user_id,
                job.c.last_seq,
                job.c.status,
                job.c.phase,
                job.c.progress,
                literal(_QUEUED, String),
                bindparam("event_created_at", type_=_EVENTS.c.created_at.type),
            ),
        )
        .returning(_EVENTS.c.id)
        .cte("event")
    )
    return select(job, event.c.id.label("event_id")).select_from(job.join(event, true()))


async def _insert_job(
    session: AsyncSession, values: dict[str, Any]
) -> tuple[TailoringJob, EventView] | None:
    """The new job (its first event, seq 1, written with it: the row goes in with last_seq
    1), or None if a unique index refused it (the same clientRequestId, or an active job
    for the same inputs). ON CONFLICT DO NOTHING: no error aborts the caller's transaction,
    and no savepoint costs a round trip. Core, not the ORM: the ORM's insert-returning and
    flush were a tenth of a request's CPU."""
    created_at = dt.datetime.now(dt.UTC)  # set here: publishers read it right after commit
    params = {f"v_{key}": value for key, value in values.items()}
    params["event_created_at"] = created_at
    connection = await session.connection()
    result = await connection.execute(_job_and_event_insert(tuple(values)), params)
    row = result.mappings().one_or_none()
    if row is None:
        return None
    job = TailoringJob(**{column.key: row[column.key] for column in _JOBS.c})
    event = EventView(
        id=row["event_id"],
        job_id=str(job.id),
        user_id=str(job.user_id),
        seq=job.last_seq,
        status=job.status,
        phase=job.phase,
        progress=job.progress,
        message=_QUEUED,
        error_code=None,
        created_at=created_at.isoformat(),
    )
    return job, event


async def _resolve_conflict(
    session: AsyncSession, user_id: uuid.UUID, crid: str | None
) -> TailorOutcome:
    if crid is not None:
        winner = await _job_by_client_request(session, user_id, crid)
        if winner is not None:  # a concurrent call with the same clientRequestId won
            return TailorOutcome(winner, cached=False)
    raise AppError(
        "a tailoring job for this resume and job description is already running; "
        "wait for it or cancel it",
        code="JOB_ALREADY_ACTIVE",
    )


async def enqueue(runtime: Runtime, job: TailoringJob) -> None:
    """Put the job on the arq queue. A failure here is not fatal: the sweeper re-enqueues
    QUEUED jobs whose queue entry is missing."""
    try:
        await queue.enqueue_tailoring(
            runtime.queue, job.id, job.arq_job_id or queue.tailoring_id(job.id)
        )
    except Exception as exc:
        log.warning("enqueue_failed", job_id=str(job.id), error=type(exc).__name__)


async def regenerate(
    session: AsyncSession, runtime: Runtime, user_id: uuid.UUID, job_id: uuid.UUID
) -> TailorOutcome:
    source = await get_job(session, user_id, job_id)
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
    return await request_tailoring(session, runtime, user_id, request, regenerated_from=source.id)


async def cancel(
    session: AsyncSession, runtime: Runtime, user_id: uuid.UUID, job_id: uuid.UUID
) -> TailoringJob:
    """CANCELLED (credits released) in the caller's transaction; the event is published
    and the queue entry aborted after the commit."""
    job = await owned(session, TailoringJob, job_id, user_id, what="job", for_update=True)
    if job.status is JobStatus.CANCELLED:
        return job
    if job.status.terminal:
        raise AppError(f"the job already ended ({job.status.value})", code="JOB_NOT_CANCELLABLE")
    event = await end_job(session, job, JobStatus.CANCELLED, error_message="cancelled")
    after_commit(session, lambda: publish(runtime.redis, EventView.from_row(event)))
    arq_id = job.arq_job_id
    if arq_id:
        # Best effort: the worker also checks the status between steps.
        after_commit(session, lambda: queue.abort(runtime.queue, arq_id))
    return job


async def get_job(session: AsyncSession, user_id: uuid.UUID, job_id: uuid.UUID) -> TailoringJob:
    return await owned(session, TailoringJob, job_id, user_id, what="job")


def list_jobs(
    runtime: Runtime, user_id: uuid.UUID, *, status: JobStatus | None = None
) -> Listing[TailoringJob]:
    query = select(TailoringJob).where(TailoringJob.user_id == user_id)
    if status is not None:
        query = query.where(TailoringJob.status == status)
    return Listing(runtime.db, query, TailoringJob)


async def artifacts_of(session: AsyncSession, job_id: uuid.UUID) -> dict[ArtifactKind, Artifact]:
    result = await session.execute(select(Artifact).where(Artifact.job_id == job_id))
    return {a.kind: a for a in result.scalars()}


async def artifacts_for_jobs(
    session: AsyncSession, job_ids: list[uuid.UUID]
) -> dict[uuid.UUID, dict[ArtifactKind, Artifact]]:
    """Artifacts of many jobs in one query (for a DataLoader)."""
    grouped: dict[uuid.UUID, dict[ArtifactKind, Artifact]] = {j: {} for j in job_ids}
    result = await session.execute(select(Artifact).where(Artifact.job_id.in_(job_ids)))
    for artifact in result.scalars():
        grouped[artifact.job_id][artifact.kind] = artifact
    return grouped
