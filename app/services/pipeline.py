"""The worker side of a tailoring job: plan -> draft -> cover letter (+ interview prep and
form data) -> evaluate.

Each step is one transaction (`app.db.unit_of_work.transaction`): move the phase forward
(the UPDATE locks the job row) and record its event, store the step's artifacts, commit,
then publish once. Steps hand typed objects (Plan,
TailoredResume) to each other in memory; JSON exists only where an artifact is stored (and
read back only by a rerun: arq delivers at least once, so a rerun reuses stored artifacts
instead of computing them again). Nothing just written is read back, except when a
concurrent run stored the same artifact first: then theirs wins and is used.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

import structlog
from redis.asyncio import Redis
from sqlalchemy import Table, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import Artifact, JobDescription, Resume, TailoringJob
from app.db.models.enums import ArtifactKind, JobPhase, JobStatus
from app.db.unit_of_work import transaction
from app.documents.models import JobPosting, ResumeDocument
from app.errors import AppError
from app.observability.metrics import JOB_ERRORS, JOB_SECONDS, JOBS_FINISHED
from app.runtime import Runtime
from app.services.engines import engine_for, rendered
from app.services.job_transitions import (
    NotRunning,
    announce,
    begin_run,
    complete_running,
    end_job,
    finish,
    lock_job,
    move_forward,
    step_forward,
)
from app.tailoring.contact_override import ContactOverride, apply_contact
from app.tailoring.engine import LocalEngine, OffloadedLocalEngine, TailoringEngine, offload
from app.tailoring.types import Evaluation, Plan, Strategy, TailoredResume

log = structlog.get_logger("pipeline")

Stored = dict[ArtifactKind, dict[str, Any]]
T = TypeVar("T")
INPUT_MISSING = "the resume or job description was deleted before the job ran"


class JobGone(Exception):
    """The job ended under us (cancelled, failed by the sweeper): stop quietly."""


class InputMissing(Exception):
    """An input was deleted before the job ran: the job has been FAILED."""


@dataclass
class JobRun:
    """One attempt at a job: its inputs, its engine and what earlier attempts stored."""

    runtime: Runtime
    job: TailoringJob  # a snapshot taken at start; `progress` follows our own commits
    resume: ResumeDocument
    posting: JobPosting
    stored: Stored = field(default_factory=dict)

    async def commit(self, artifacts: Stored, then: JobPhase, engine: str) -> Stored:
        """Store `artifacts` and move to `then` in one transaction. Returns the artifacts
        a concurrent run had stored first (theirs are kept, ours dropped)."""
        if not artifacts and then.progress <= self.job.progress:
            return {}  # a rerun past this step: nothing to write, nothing to announce
        try:
            async with transaction(self.runtime.db) as session:
                await step_forward(session, self.runtime.redis, self.job.id, then)
                theirs = await _insert_artifacts(session, self.job, artifacts, engine)
        except NotRunning:
            raise JobGone from None
        self.job.progress = max(self.job.progress, then.progress)
        await _step_delay(self.runtime)
        return theirs

    async def complete(self, artifacts: Stored, engine: TailoringEngine) -> bool:
        """Store the last artifacts and end the job COMPLETED (settling its credits) in
        one transaction. False if the job had already ended."""
        async with transaction(self.runtime.db) as session:
            redis, warnings = self.runtime.redis, list(engine.warnings)
            if not await complete_running(session, redis, self.job, warnings):
                return False
            await _insert_artifacts(session, self.job, artifacts, engine.name)
        return True


async def _step_delay(runtime: Runtime) -> None:
    if runtime.settings.pipeline_step_delay_s > 0:  # demos and fault-injection tests
        await asyncio.sleep(runtime.settings.pipeline_step_delay_s)


_ARTIFACTS = cast(Table, Artifact.__table__)
# Core and built once (no ORM bulk path, no statement built per step): one row per kind;
# the unique (job, kind) keeps a concurrent run's artifact and reports ours as not stored.
_INSERT_ARTIFACT = (
    insert(_ARTIFACTS)
    .on_conflict_do_nothing(constraint="uq_artifacts_job_kind")
    .returning(_ARTIFACTS.c.kind)
)


async def _insert_artifacts(
    session: AsyncSession, job: TailoringJob, artifacts: Stored, engine: str
) -> Stored:
    """Insert each artifact once; returns those a concurrent run stored first."""
    if not artifacts:
        return {}
    rows = [
        {
            "id": uuid.uuid4(),
            "job_id": job.id,
            "user_id": job.user_id,
            "kind": kind,
            "content": content,
            "engine": engine,
        }
        for kind, content in artifacts.items()
    ]
    inserted = await session.execute(_INSERT_ARTIFACT, rows)  # one multi-row INSERT
    lost = set(artifacts) - set(inserted.scalars())
    return await _stored(session, job.id, lost) if lost else {}


async def _stored(
    session: AsyncSession, job_id: uuid.UUID, kinds: set[ArtifactKind] | None = None
) -> Stored:
    query = select(Artifact.kind, Artifact.content).where(Artifact.job_id == job_id)
    if kinds is not None:
        query = query.where(Artifact.kind.in_(kinds))
    return {kind: content for kind, content in (await session.execute(query)).tuples()}


async def _inputs(session: AsyncSession, job: TailoringJob) -> tuple[Any, Any] | None:
    """Both parsed inputs in one round trip; None if either is gone."""
    resume = select(Resume.parsed).where(Resume.id == job.resume_id).scalar_subquery()
    posting = (
        select(JobDescription.parsed)
        .where(JobDescription.id == job.job_description_id)
        .scalar_subquery()
    )
    row = (await session.execute(select(resume, posting))).one()
    if row[0] is None or row[1] is None:
        return None
    return row[0], row[1]


def _documents(
    resume: dict[str, Any], posting: dict[str, Any], contact: dict[str, Any] | None
) -> tuple[ResumeDocument, JobPosting]:
    """The job's inputs; a contact block given on the tailor input replaces the resume's
    (it is the user's own truth, so every step and the guard read it as the resume's)."""
    document = apply_contact(ResumeDocument.from_dict(resume), ContactOverride.from_dict(contact))
    return document, JobPosting.from_dict(posting)


@dataclass(frozen=True)
class Opened:
    """What the first transaction of an attempt found."""

    job: TailoringJob
    inputs: tuple[Any, Any] | None  # None: an input was deleted and the job FAILED
    stored: Stored


async def _open(session: AsyncSession, redis: Redis, job_id: uuid.UUID) -> Opened | None:
    """Count the attempt, QUEUED -> RUNNING/PARSING, read the inputs (and a rerun's stored
    artifacts), then ANALYZING; or FAILED if an input was deleted. None if the job is over."""
    job = await lock_job(session, job_id)
    if job is None or job.status.terminal:
        return None
    started = begin_run(session, job)
    inputs = await _inputs(session, job)
    if inputs is None:
        failed = await end_job(
            session, job, JobStatus.FAILED, error_code="INPUT_MISSING", error_message=INPUT_MISSING
        )
        announce(session, redis, [started, failed])
        return Opened(job, None, {})
    # First attempt (the row lock makes the count exact): nothing can be stored yet.
    stored = await _stored(session, job.id) if job.attempts > 1 else {}
    announce(session, redis, [started, move_forward(session, job, JobPhase.ANALYZING)])
    return Opened(job, inputs, stored)


async def start(runtime: Runtime, job_id: uuid.UUID) -> JobRun | None:
    """The attempt's first transaction (see `_open`), then the typed inputs. None if the
    job is over; InputMissing if it was FAILED for a deleted input."""
    async with transaction(runtime.db) as session:
        opened = await _open(session, runtime.redis, job_id)
    if opened is None:
        return None
    if opened.inputs is None:
        raise InputMissing
    job, (resume, posting) = opened.job, opened.inputs
    documents = await offload(_documents, resume, posting, job.contact_override)
    run = JobRun(runtime, job, documents[0], documents[1], opened.stored)
    await _step_delay(runtime)
    return run


async def _made(
    engine: TailoringEngine,
    local_call: Callable[[LocalEngine], T],
    call: Callable[[], Awaitable[T]],
    serialise: Callable[[T], dict[str, Any]],
) -> tuple[T, dict[str, Any]]:
    """A step's value and its stored form. The local engine computes and serialises in
    one hop to the engine thread (every hop costs both threads a wake-up and a GIL
    hand-over); another engine is awaited, then its value serialised off the loop."""
    if isinstance(engine, OffloadedLocalEngine):
        local = engine.local
        return await offload(lambda: _with_stored(local_call(local), serialise))
    value = await call()
    return value, await offload(serialise, value)


def _with_stored(value: T, serialise: Callable[[T], dict[str, Any]]) -> tuple[T, dict[str, Any]]:
    return value, serialise(value)


async def _typed_step(
    run: JobRun,
    kind: ArtifactKind,
    make: Callable[[], Awaitable[tuple[T, dict[str, Any]]]],
    load: Callable[[dict[str, Any]], T],
    then: JobPhase,
    engine: str,
) -> T:
    """A step whose result the next steps need: reuse, or compute and store it."""
    if kind in run.stored:
        await run.commit({}, then, engine)
        return await offload(load, run.stored[kind])
    value, stored = await make()
    theirs = await run.commit({kind: stored}, then, engine)
    return await offload(load, theirs[kind]) if kind in theirs else value


LetterMaker = Callable[[LocalEngine, ResumeDocument, JobPosting, Plan], dict[str, Any]]
_LOCAL_LETTERS: dict[ArtifactKind, LetterMaker] = {
    ArtifactKind.COVER_LETTER: lambda e, r, p, plan: e.cover_letter(r, p, plan).to_dict(),
    ArtifactKind.INTERVIEW_PREP: lambda e, r, p, plan: e.interview_prep(r, p, plan).to_dict(),
    ArtifactKind.FORM_DATA: lambda e, r, p, plan: e.form_data(r),
}


async def _letters(run: JobRun, engine: TailoringEngine, plan: Plan) -> Stored:
    """The cover letter, interview prep and form data a rerun has not stored yet (with
    the local engine: all three in one hop to the engine thread)."""
    resume, posting = run.resume, run.posting
    wanted = [kind for kind in _LOCAL_LETTERS if kind not in run.stored]
    if isinstance(engine, OffloadedLocalEngine):
        local = engine.local
        return await offload(
            lambda: {kind: _LOCAL_LETTERS[kind](local, resume, posting, plan) for kind in wanted}
        )
    letters: Stored = {}
    if ArtifactKind.COVER_LETTER in wanted:
        letter = await engine.cover_letter(resume, posting, plan)
        letters[ArtifactKind.COVER_LETTER] = await offload(letter.to_dict)
    if ArtifactKind.INTERVIEW_PREP in wanted:
        prep = await engine.interview_prep(resume, posting, plan)
        letters[ArtifactKind.INTERVIEW_PREP] = await offload(prep.to_dict)
    if ArtifactKind.FORM_DATA in wanted:
        letters[ArtifactKind.FORM_DATA] = await engine.form_data(resume)
    return letters


async def _steps(run: JobRun, engine: TailoringEngine) -> bool:
    resume, posting, name = run.resume, run.posting, engine.name
    plan = await _typed_step(
        run,
        ArtifactKind.PLAN,
        lambda: _made(
            engine,
            lambda local: local.plan(resume, posting),
            lambda: engine.plan(resume, posting),
            Plan.to_dict,
        ),
        Plan.from_dict,
        JobPhase.GENERATING,
        name,
    )
    strategy = Strategy(run.job.strategy)
    tailored = await _typed_step(
        run,
        ArtifactKind.TAILORED_RESUME,
        lambda: _made(
            engine,
            lambda local: local.draft(resume, posting, plan, strategy),
            lambda: engine.draft(resume, posting, plan, strategy),
            rendered,
        ),
        TailoredResume.from_dict,
        JobPhase.WRITING_COVER_LETTER,
        name,
    )
    await run.commit(await _letters(run, engine, plan), JobPhase.EVALUATING, name)
    _, evaluation = await _made(
        engine,
        lambda local: local.evaluate(resume, posting, tailored),
        lambda: engine.evaluate(resume, posting, tailored),
        Evaluation.to_dict,
    )
    return await run.complete({ArtifactKind.EVALUATION: evaluation}, engine)


async def run_job(runtime: Runtime, job_id: uuid.UUID) -> JobStatus | None:
    """Run (or resume) a job to its end. Returns the final status, None if already over."""
    began = time.perf_counter()
    try:
        run = await start(runtime, job_id)
        if run is None:
            return None
        engine = engine_for(runtime, run.job, run.resume)
        if not await _steps(run, engine):
            raise JobGone
        JOBS_FINISHED.labels("COMPLETED").inc()
        JOB_SECONDS.labels(engine.name).observe(time.perf_counter() - began)
        return JobStatus.COMPLETED
    except JobGone:
        log.info("job_ended_elsewhere", job_id=str(job_id))
        return None
    except InputMissing:
        JOBS_FINISHED.labels("FAILED").inc()
        log.info("job_failed", job_id=str(job_id), error_code="INPUT_MISSING")
        return JobStatus.FAILED
    except AppError as exc:
        await fail(runtime, job_id, exc.code, exc.message)
        return JobStatus.FAILED
    except asyncio.CancelledError:
        raise  # arq abort or timeout: the job row is settled by cancel() or the sweeper


async def fail(runtime: Runtime, job_id: uuid.UUID, code: str, message: str) -> None:
    async with transaction(runtime.db) as session:
        ended = await finish(
            session, runtime.redis, job_id, JobStatus.FAILED, error_code=code, error_message=message
        )
    if ended is not None:
        JOBS_FINISHED.labels("FAILED").inc()
        JOB_ERRORS.labels(code).inc()
        log.info("job_failed", job_id=str(job_id), error_code=code)
