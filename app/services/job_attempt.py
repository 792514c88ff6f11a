"""One attempt at a tailoring job, as the worker sees it: the opening transaction (`start`)
and the writes each engine's path commits (`JobRun`).

The opening transaction locks the job row and reads both parsed inputs as JSON text in one
statement, counts the attempt and records PARSING/ANALYZING in another
(`app.services.run_transitions`), and reads what a previous attempt stored. Artifacts are
written as JSON text that Postgres parses: the worker never decodes or re-encodes one.
"""

from __future__ import annotations

import asyncio
import typing
import uuid
from dataclasses import dataclass, field

from redis.asyncio import Redis
from sqlalchemy import Table, Text, bindparam, cast, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import Artifact, JobDescription, Resume, TailoringJob
from app.db.models.enums import ArtifactKind, JobPhase, JobStatus
from app.db.unit_of_work import transaction
from app.runtime import Runtime
from app.services.credits import holds_reservation
from app.services.job_transitions import (
    NotRunning,
    announce,
    begin_run,
    complete_running,
    end_job,
    lock_job,
    step_forward,
)
from app.services.run_transitions import begin_running, complete_from
from app.tailoring.engine import TailoringEngine

Stored = dict[ArtifactKind, str]  # an artifact's stored JSON, as text
INPUT_MISSING = "the resume or job description was deleted before the job ran"
LOCAL = "local"
_NO_DOCUMENT = (None, "null")  # no row, SQL NULL, or a JSON null stored in the column


class JobGone(Exception):
    """The job ended under us (cancelled, failed by the sweeper): stop quietly."""


class InputMissing(Exception):
    """An input was deleted before the job ran: the job has been FAILED."""


class StoredFirst(Exception):
    """A concurrent run stored some of these artifacts first (the transaction rolls back)."""

    def __init__(self, theirs: Stored) -> None:
        super().__init__(sorted(kind.value for kind in theirs))
        self.theirs = theirs


@dataclass
class JobRun:
    """One attempt at a job: its inputs (the parsed documents' JSON text) and what earlier
    attempts stored."""

    runtime: Runtime
    job: TailoringJob  # a snapshot taken at start; `progress` follows our own commits
    resume_json: str
    posting_json: str
    stored: Stored = field(default_factory=dict)
    holds_credits: bool = True  # whether completing must settle reserved credits

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

    async def complete_all(self, artifacts: Stored) -> bool:
        """The local engine's second and last transaction: every remaining phase event,
        every artifact, COMPLETED and the credits settled. False if the job had ended;
        StoredFirst (nothing written) if a concurrent run stored an artifact first."""
        job, by_kind = self.job, {kind.value: content for kind, content in artifacts.items()}
        async with transaction(self.runtime.db) as session:
            done = await complete_from(
                session,
                self.runtime.redis,
                job,
                job.progress,
                by_kind,
                engine=LOCAL,
                holds_credits=self.holds_credits,
            )
            if done.stored_first:
                lost = {ArtifactKind(kind) for kind in done.stored_first}
                raise StoredFirst(await stored_artifacts(session, job.id, lost))
        return done.completed


async def _step_delay(runtime: Runtime) -> None:
    if runtime.settings.pipeline_step_delay_s > 0:  # demos and fault-injection tests
        await asyncio.sleep(runtime.settings.pipeline_step_delay_s)


# Built once. The content arrives as JSON text and Postgres parses it: the worker never
# decodes or re-encodes an artifact. The unique (job, kind) keeps a concurrent run's
# artifact and reports ours as not stored.
_INSERT_ARTIFACTS = text(
    """
INSERT INTO artifacts (id, job_id, user_id, kind, content, engine)
SELECT gen_random_uuid(), :job, :user, a.kind, CAST(a.content AS jsonb), :engine
FROM unnest(CAST(:kinds AS text[]), CAST(:contents AS text[])) AS a(kind, content)
ON CONFLICT ON CONSTRAINT uq_artifacts_job_kind DO NOTHING
RETURNING kind
"""
)


async def _insert_artifacts(
    session: AsyncSession, job: TailoringJob, artifacts: Stored, engine: str
) -> Stored:
    """Insert each artifact once (one statement); returns those a concurrent run stored
    first."""
    if not artifacts:
        return {}
    params = {
        "job": job.id,
        "user": job.user_id,
        "engine": engine,
        "kinds": [kind.value for kind in artifacts],
        "contents": list(artifacts.values()),
    }
    inserted = {
        ArtifactKind(kind) for kind in (await session.execute(_INSERT_ARTIFACTS, params)).scalars()
    }
    lost = set(artifacts) - inserted
    return await stored_artifacts(session, job.id, lost) if lost else {}


async def stored_artifacts(
    session: AsyncSession, job_id: uuid.UUID, kinds: set[ArtifactKind] | None = None
) -> Stored:
    query = select(Artifact.kind, cast(Artifact.content, Text)).where(Artifact.job_id == job_id)
    if kinds is not None:
        query = query.where(Artifact.kind.in_(kinds))
    return {kind: content for kind, content in await session.execute(query)}


_JOBS = typing.cast(Table, TailoringJob.__table__)
_JOB_COLUMNS = [column.key for column in _JOBS.columns]
# The attempt's first read, built once: lock the job row and read both parsed inputs as
# JSON text (passed through to the engine, never decoded here) in one round trip.
_LOCK_WITH_INPUTS = (
    select(
        _JOBS,
        select(cast(Resume.parsed, Text))
        .where(Resume.id == _JOBS.c.resume_id)
        .scalar_subquery()
        .label("resume_json"),
        select(cast(JobDescription.parsed, Text))
        .where(JobDescription.id == _JOBS.c.job_description_id)
        .scalar_subquery()
        .label("posting_json"),
        holds_reservation(_JOBS.c.id).label("holds_credits"),
    )
    .where(_JOBS.c.id == bindparam("job_id"))
    .with_for_update(of=_JOBS)
)


@dataclass(frozen=True)
class Opened:
    """What the first transaction of an attempt found."""

    job: TailoringJob
    inputs: tuple[str, str] | None  # None: an input was deleted and the job FAILED
    stored: Stored
    holds_credits: bool = False


async def _input_missing(session: AsyncSession, redis: Redis, job_id: uuid.UUID) -> Opened:
    """FAIL the locked job for a deleted input (rare: the ORM path will do)."""
    job = await lock_job(session, job_id)
    assert job is not None  # locked by the caller
    started = begin_run(session, job)
    failed = await end_job(
        session, job, JobStatus.FAILED, error_code="INPUT_MISSING", error_message=INPUT_MISSING
    )
    announce(session, redis, [started, failed])
    return Opened(job, None, {})


async def _open(session: AsyncSession, redis: Redis, job_id: uuid.UUID) -> Opened | None:
    """Count the attempt, QUEUED -> RUNNING/PARSING, read the inputs (and a rerun's stored
    artifacts), then ANALYZING; or FAILED if an input was deleted. None if the job is over."""
    row = (await session.execute(_LOCK_WITH_INPUTS, {"job_id": job_id})).one_or_none()
    if row is None or row.status.terminal:
        return None
    if row.resume_json in _NO_DOCUMENT or row.posting_json in _NO_DOCUMENT:
        return await _input_missing(session, redis, job_id)
    # A snapshot of the locked row, not attached to the session (nothing is flushed).
    job = TailoringJob(**{key: getattr(row, key) for key in _JOB_COLUMNS})
    await begin_running(session, redis, job)
    # First attempt (the row lock makes the count exact): nothing can be stored yet.
    stored = await stored_artifacts(session, job.id) if job.attempts > 1 else {}
    return Opened(job, (row.resume_json, row.posting_json), stored, row.holds_credits)


async def start(runtime: Runtime, job_id: uuid.UUID) -> JobRun | None:
    """The attempt's first transaction (see `_open`). None if the job is over;
    InputMissing if it was FAILED for a deleted input."""
    async with transaction(runtime.db) as session:
        opened = await _open(session, runtime.redis, job_id)
    if opened is None:
        return None
    if opened.inputs is None:
        raise InputMissing
    resume_json, posting_json = opened.inputs
    run = JobRun(runtime, opened.job, resume_json, posting_json, opened.stored)
    run.holds_credits = opened.holds_credits
    await _step_delay(runtime)
    return run
