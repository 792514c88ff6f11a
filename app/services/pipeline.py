"""The worker side of a tailoring job: plan -> draft -> cover letter (+ interview prep and
form data) -> evaluate.

Every attempt opens with one transaction (`app.services.job_attempt.start`): count the
attempt, QUEUED -> RUNNING/PARSING, read the inputs (and what a previous attempt stored),
ANALYZING. Then:

* the local engine (`_run_local`): one request to a warm engine process
  (`app.tailoring.engine_process`) computes every artifact from the stored JSON text, and
  ONE more transaction stores them all, records every remaining phase event and completes
  the job with its credits settled; one publish of those events follows the commit. The
  whole job takes about 20 ms, so a checkpoint per step would cost more than redoing the
  job after a crash, and the worker only moves bytes: documents and artifacts stay JSON
  text from Postgres to the engine process and back.
* the LLM engine (`_run_llm`): one transaction per step (move the phase forward, store the
  step's artifacts, commit, publish). Its steps take seconds and cost money, so each is
  worth checkpointing: a rerun reuses what was stored instead of asking the model again.

arq delivers at least once, so a rerun reuses stored artifacts; when a concurrent run
stored an artifact first, theirs wins and the later steps are computed from theirs.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import structlog

from app.db.models.enums import ArtifactKind, JobPhase, JobStatus
from app.db.unit_of_work import transaction
from app.documents.models import JobPosting, ResumeDocument
from app.errors import AppError
from app.observability.metrics import JOB_ERRORS, JOB_SECONDS, JOBS_FINISHED
from app.runtime import Runtime
from app.services.engines import llm_engine_for, runs_locally
from app.services.job_attempt import (
    LOCAL,
    InputMissing,
    JobGone,
    JobRun,
    Stored,
    StoredFirst,
    start,
)
from app.services.job_transitions import finish
from app.tailoring.engine import TailoringEngine, offload
from app.tailoring.engine_process import EngineRequest, documents, engine_pool, rendered
from app.tailoring.types import Plan, Strategy, TailoredResume

log = structlog.get_logger("pipeline")

T = TypeVar("T")
# A concurrent run storing artifacts under ours is rare. Each such conflict adds at least
# one kind to what is stored (and reused), so a job needs at most a round per kind.
_LOCAL_ROUNDS = len(ArtifactKind) + 1


async def _run_local(run: JobRun) -> bool:
    """Everything in one engine-process request, stored in one transaction. If a
    concurrent run stored some artifacts first, compute again from theirs."""
    job = run.job
    for _ in range(_LOCAL_ROUNDS):
        request = EngineRequest(
            resume_json=run.resume_json,
            posting_json=run.posting_json,
            strategy=job.strategy,
            contact=job.contact_override,
            stored={kind.value: content for kind, content in run.stored.items()},
        )
        made = await engine_pool().compute(request)
        artifacts = {ArtifactKind(kind): content for kind, content in made.items()}
        try:
            return await run.complete_all(artifacts)
        except StoredFirst as lost:
            log.info("artifacts_stored_concurrently", job_id=str(job.id), kinds=str(lost))
            run.stored.update(lost.theirs)
    raise RuntimeError("the job's artifacts kept changing under it")  # unreachable, see above


def _json(value: Any) -> str:
    return json.dumps(value)


async def _typed_step(
    run: JobRun,
    kind: ArtifactKind,
    make: Callable[[], Awaitable[T]],
    serialise: Callable[[T], Any],
    load: Callable[[dict[str, Any]], T],
    then: JobPhase,
    engine: str,
) -> T:
    """A step whose result the next steps need: reuse, or compute and store it."""
    if kind in run.stored:
        await run.commit({}, then, engine)
        stored = run.stored[kind]
        return await offload(lambda: load(json.loads(stored)))
    value = await make()
    theirs = await run.commit({kind: await offload(lambda: _json(serialise(value)))}, then, engine)
    if kind in theirs:
        return await offload(lambda: load(json.loads(theirs[kind])))
    return value


async def _letters(
    run: JobRun, engine: TailoringEngine, resume: ResumeDocument, posting: JobPosting, plan: Plan
) -> Stored:
    """The cover letter, interview prep and form data a rerun has not stored yet."""
    letters: Stored = {}
    if ArtifactKind.COVER_LETTER not in run.stored:
        letter = await engine.cover_letter(resume, posting, plan)
        letters[ArtifactKind.COVER_LETTER] = await offload(lambda: _json(letter.to_dict()))
    if ArtifactKind.INTERVIEW_PREP not in run.stored:
        prep = await engine.interview_prep(resume, posting, plan)
        letters[ArtifactKind.INTERVIEW_PREP] = await offload(lambda: _json(prep.to_dict()))
    if ArtifactKind.FORM_DATA not in run.stored:
        letters[ArtifactKind.FORM_DATA] = _json(await engine.form_data(resume))
    return letters


async def _run_llm(run: JobRun) -> tuple[bool, str]:
    """One transaction per step (see the module docstring). Returns (completed, engine)."""
    resume, posting = await offload(
        lambda: documents(
            json.loads(run.resume_json), json.loads(run.posting_json), run.job.contact_override
        )
    )
    engine = llm_engine_for(run.runtime, run.job, resume)
    name = engine.name
    plan = await _typed_step(
        run,
        ArtifactKind.PLAN,
        lambda: engine.plan(resume, posting),
        Plan.to_dict,
        Plan.from_dict,
        JobPhase.GENERATING,
        name,
    )
    strategy = Strategy(run.job.strategy)
    tailored = await _typed_step(
        run,
        ArtifactKind.TAILORED_RESUME,
        lambda: engine.draft(resume, posting, plan, strategy),
        rendered,
        TailoredResume.from_dict,
        JobPhase.WRITING_COVER_LETTER,
        name,
    )
    await run.commit(await _letters(run, engine, resume, posting, plan), JobPhase.EVALUATING, name)
    evaluation = await engine.evaluate(resume, posting, tailored)
    stored = await offload(lambda: _json(evaluation.to_dict()))
    return await run.complete({ArtifactKind.EVALUATION: stored}, engine), name


async def run_job(runtime: Runtime, job_id: uuid.UUID) -> JobStatus | None:
    """Run (or resume) a job to its end. Returns the final status, None if already over."""
    began = time.perf_counter()
    try:
        run = await start(runtime, job_id)
        if run is None:
            return None
        if runs_locally(run.job):
            completed, engine = await _run_local(run), LOCAL
        else:
            completed, engine = await _run_llm(run)
        if not completed:
            raise JobGone
        JOBS_FINISHED.labels("COMPLETED").inc()
        JOB_SECONDS.labels(engine).observe(time.perf_counter() - began)
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
