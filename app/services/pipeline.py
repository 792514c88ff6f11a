"""The worker side of a tailoring job: plan -> draft -> cover letter (+ interview prep and
form data) -> evaluate. Each step stores its artifact before the next begins, and a rerun
(arq delivers at least once) reuses stored artifacts instead of computing them again."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import structlog
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert

from app.db.models import Artifact, JobDescription, Resume, TailoringJob
from app.db.models.enums import ArtifactKind, JobPhase, JobStatus
from app.documents.models import JobPosting, ResumeDocument
from app.errors import AppError
from app.observability.metrics import JOB_SECONDS, JOBS_FINISHED
from app.runtime import Runtime
from app.services.engines import EngineRun, engine_for
from app.services.gates import charge_for_job
from app.services.job_transitions import advance, finish, start_running

log = structlog.get_logger("pipeline")


class JobGone(Exception):
    """The job ended under us (cancelled, failed by the sweeper): stop quietly."""


async def _stored(runtime: Runtime, job_id: uuid.UUID, kind: ArtifactKind) -> dict[str, Any] | None:
    async with runtime.db() as session:
        result = await session.execute(
            select(Artifact.content).where(Artifact.job_id == job_id, Artifact.kind == kind)
        )
        return result.scalar_one_or_none()


async def _store(
    runtime: Runtime, job: TailoringJob, kind: ArtifactKind, content: dict[str, Any], engine: str
) -> dict[str, Any]:
    """Insert once; if a concurrent run stored it first, theirs wins and is returned."""
    async with runtime.db() as session, session.begin():
        await session.execute(
            insert(Artifact)
            .values(
                id=uuid.uuid4(),
                job_id=job.id,
                user_id=job.user_id,
                kind=kind,
                content=content,
                engine=engine,
            )
            .on_conflict_do_nothing(constraint="uq_artifacts_job_kind")
        )
    stored = await _stored(runtime, job.id, kind)
    assert stored is not None
    return stored


async def _step(
    runtime: Runtime,
    job: TailoringJob,
    kind: ArtifactKind,
    compute: Callable[[], Awaitable[dict[str, Any]]],
    engine: str,
) -> dict[str, Any]:
    existing = await _stored(runtime, job.id, kind)
    if existing is not None:
        return existing
    return await _store(runtime, job, kind, await compute(), engine)


async def _advance(runtime: Runtime, job_id: uuid.UUID, phase: JobPhase) -> None:
    if not await advance(runtime, job_id, phase):
        raise JobGone
    if runtime.settings.pipeline_step_delay_s > 0:
        await asyncio.sleep(runtime.settings.pipeline_step_delay_s)


async def _inputs(runtime: Runtime, job: TailoringJob) -> tuple[ResumeDocument, JobPosting]:
    async with runtime.db() as session:
        resume = await session.get(Resume, job.resume_id)
        posting = await session.get(JobDescription, job.job_description_id)
    if resume is None or resume.parsed is None or posting is None:
        raise AppError(
            "the resume or job description was deleted before the job ran", code="INPUT_MISSING"
        )
    return ResumeDocument.from_dict(resume.parsed), JobPosting.from_dict(posting.parsed)


async def run_job(runtime: Runtime, job_id: uuid.UUID) -> JobStatus | None:
    """Run (or resume) a job to its end. Returns the final status, None if already over."""
    started = await start_running(runtime, job_id)
    if started is None:
        return None
    job = started.job
    began = time.perf_counter()
    try:
        resume, posting = await _inputs(runtime, job)
        run: EngineRun = engine_for(runtime, job, resume)
        await _advance(runtime, job.id, JobPhase.ANALYZING)
        plan = await _step(
            runtime, job, ArtifactKind.PLAN, lambda: run.plan(resume, posting), run.name
        )
        await _advance(runtime, job.id, JobPhase.GENERATING)
        tailored = await _step(
            runtime,
            job,
            ArtifactKind.TAILORED_RESUME,
            lambda: run.draft(resume, posting, plan),
            run.name,
        )
        await _advance(runtime, job.id, JobPhase.WRITING_COVER_LETTER)
        await _step(
            runtime,
            job,
            ArtifactKind.COVER_LETTER,
            lambda: run.cover_letter(resume, posting, plan),
            run.name,
        )
        await _step(
            runtime,
            job,
            ArtifactKind.INTERVIEW_PREP,
            lambda: run.interview_prep(resume, posting, plan),
            run.name,
        )
        await _step(
            runtime, job, ArtifactKind.FORM_DATA, lambda: run.form_data(resume, posting), run.name
        )
        await _advance(runtime, job.id, JobPhase.EVALUATING)
        await _step(
            runtime,
            job,
            ArtifactKind.EVALUATION,
            lambda: run.evaluate(resume, posting, tailored),
            run.name,
        )
        done = await finish(
            runtime,
            job.id,
            JobStatus.COMPLETED,
            only_if=frozenset({JobStatus.RUNNING}),
            warnings=run.warnings,
            on_locked=charge_for_job(runtime.settings.credits_per_job),
        )
        if done is None:
            raise JobGone
        JOBS_FINISHED.labels("COMPLETED").inc()
        JOB_SECONDS.labels(run.name).observe(time.perf_counter() - began)
        return JobStatus.COMPLETED
    except JobGone:
        log.info("job_ended_elsewhere", job_id=str(job_id))
        return None
    except AppError as exc:
        await fail(runtime, job_id, exc.code, exc.message)
        return JobStatus.FAILED
    except asyncio.CancelledError:
        raise  # arq abort or timeout: the job row is settled by cancel() or the sweeper


async def fail(runtime: Runtime, job_id: uuid.UUID, code: str, message: str) -> None:
    ended = await finish(runtime, job_id, JobStatus.FAILED, error_code=code, error_message=message)
    if ended is not None:
        JOBS_FINISHED.labels("FAILED").inc()
        log.info("job_failed", job_id=str(job_id), error_code=code)
