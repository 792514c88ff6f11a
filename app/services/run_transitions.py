"""A worker's multi-phase transitions, each ONE statement: start an attempt (QUEUED ->
RUNNING/PARSING -> ANALYZING) and, for the local engine, finish it (-> GENERATING ->
WRITING_COVER_LETTER -> EVALUATING -> COMPLETED).

Each statement changes the job row (the UPDATE takes the row lock that keeps `seq`
gap-free) and inserts one event per phase passed, seqs consecutive, in one round trip; the
events are announced in one publish after the caller's commit, in seq order. Built once
(building a statement costs more CPU than running it); the caller's session, never committed
here (`app.db.unit_of_work`).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any, cast

from redis.asyncio import Redis
from sqlalchemy import Table, TextClause, bindparam, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import TailoringJob
from app.db.models.enums import JobPhase, JobStatus
from app.db.unit_of_work import after_commit
from app.events.job_events import EventView, publish_all, step_message
from app.services.credits import settle_or_release

_JOBS = cast(Table, TailoringJob.__table__)
Steps = list[tuple[JobStatus, JobPhase]]

# One event per (status, phase) passed, from what the `moved` UPDATE returned. Every array
# parameter here is text[]: asyncpg knows text[] without asking the server, while a
# varchar[] or int[] parameter costs each pooled connection a type-introspection query
# the first time (~8 ms of Postgres planning each, 0.4 ms a job over a 200-job burst).
_EVENTS_FROM_MOVED = """
INSERT INTO job_events (job_id, user_id, seq, status, phase, progress, message, created_at)
SELECT moved.id, moved.user_id, moved.last_seq - :n + e.ord, e.status, e.phase,
       CAST(e.progress AS int), e.message, :at
FROM moved, unnest(
    CAST(:statuses AS text[]), CAST(:phases AS text[]), CAST(:progresses AS text[]),
    CAST(:messages AS text[])
) WITH ORDINALITY AS e(status, phase, progress, message, ord)
RETURNING id, user_id, seq
"""


def _moving(update: str) -> TextClause:
    return text(f"WITH moved AS ({update} RETURNING id, user_id, last_seq) {_EVENTS_FROM_MOVED}")


# The job's artifacts (JSON text, parsed by Postgres: the worker never decodes one), only
# if `moved` did; the unique (job, kind) keeps an artifact a concurrent run stored first and
# leaves ours out of RETURNING.
_ARTIFACTS_FROM_MOVED = """
INSERT INTO artifacts (id, job_id, user_id, kind, content, engine)
SELECT gen_random_uuid(), moved.id, moved.user_id, a.kind, CAST(a.content AS jsonb), :engine
FROM moved, unnest(CAST(:kinds AS text[]), CAST(:contents AS text[])) AS a(kind, content)
ON CONFLICT ON CONSTRAINT uq_artifacts_job_kind DO NOTHING
RETURNING kind
"""


# A locked, unfinished job: count the attempt; started_at is the first attempt's.
_BEGIN = _moving(
    """
    UPDATE tailoring_jobs
    SET attempts = attempts + 1, status = 'RUNNING', phase = :phase, progress = :progress,
        started_at = CASE WHEN status = 'QUEUED' THEN :at ELSE started_at END,
        last_seq = last_seq + :n, updated_at = now()
    WHERE id = :job
    """
)
# The local engine's whole job after ANALYZING: events, artifacts and completion in one
# statement. No row: the job ended, or a concurrent run moved it on (then lock and look).
_COMPLETE = text(
    f"""
WITH moved AS (
    UPDATE tailoring_jobs
    SET status = 'COMPLETED', phase = 'DONE', progress = 100, last_seq = last_seq + :n,
        warnings = CAST(:warnings AS jsonb), finished_at = :at, error_code = NULL,
        error_message = NULL, updated_at = now()
    WHERE id = :job AND status = 'RUNNING' AND progress = :known
    RETURNING id, user_id, last_seq
),
events AS ({_EVENTS_FROM_MOVED}),
stored AS ({_ARTIFACTS_FROM_MOVED})
SELECT id, user_id, seq, CAST(NULL AS varchar) AS kind FROM events
UNION ALL SELECT NULL, NULL, NULL, kind FROM stored
"""
)
_STATUS_AND_PROGRESS = (
    select(_JOBS.c.status, _JOBS.c.progress)
    .where(_JOBS.c.id == bindparam("job_id"))
    .with_for_update()
)
_LATER_PHASES = (JobPhase.GENERATING, JobPhase.WRITING_COVER_LETTER, JobPhase.EVALUATING)


@dataclass(frozen=True)
class _Event:
    id: int
    user_id: uuid.UUID
    seq: int


@dataclass(frozen=True)
class Completion:
    """What `complete_from` did: whether the job completed, and which of the given
    artifacts a concurrent run had stored first (ours were not stored)."""

    completed: bool
    stored_first: frozenset[str] = frozenset()


async def _events(
    session: AsyncSession, statement: TextClause, steps: Steps, **params: Any
) -> list[_Event]:
    rows = await session.execute(statement, _step_values(steps) | params)
    return sorted((_Event(r.id, r.user_id, r.seq) for r in rows), key=lambda e: e.seq)


def _step_values(steps: Steps) -> dict[str, Any]:
    return {
        "n": len(steps),
        "statuses": [status.value for status, _ in steps],
        "phases": [phase.value for _, phase in steps],
        "progresses": [str(phase.progress) for _, phase in steps],  # text[]: see above
        "messages": [step_message(status) for status, _ in steps],
    }


def _announce(
    session: AsyncSession,
    redis: Redis,
    job_id: uuid.UUID,
    events: list[_Event],
    steps: Steps,
    at: dt.datetime,
) -> None:
    views = [
        EventView.of_step(
            id=event.id,
            job_id=job_id,
            user_id=event.user_id,
            seq=event.seq,
            status=status,
            phase=phase,
            at=at,
        )
        for event, (status, phase) in zip(events, steps, strict=True)
    ]
    if views:
        after_commit(session, lambda: publish_all(redis, views))


def _opening_steps(job: TailoringJob) -> Steps:
    steps: Steps = []
    if job.status is JobStatus.QUEUED:
        steps.append((JobStatus.RUNNING, JobPhase.PARSING))
    if job.progress < JobPhase.ANALYZING.progress:
        steps.append((JobStatus.RUNNING, JobPhase.ANALYZING))
    return steps


async def begin_running(session: AsyncSession, redis: Redis, job: TailoringJob) -> None:
    """Count an attempt of a job the caller locked (QUEUED or RUNNING) and move it to
    RUNNING/ANALYZING with an event per phase passed (PARSING, ANALYZING), announced after
    the commit. `job` is the caller's snapshot of the locked row; it is updated to match."""
    steps, at = _opening_steps(job), dt.datetime.now(dt.UTC)
    phase = steps[-1][1] if steps else job.phase
    params = {"job": job.id, "phase": phase.value, "progress": phase.progress, "at": at}
    events = await _events(session, _BEGIN, steps, **params)
    _announce(session, redis, job.id, events, steps, at)
    if job.status is JobStatus.QUEUED:
        job.started_at = at
    job.attempts += 1
    job.status, job.phase, job.progress = JobStatus.RUNNING, phase, phase.progress
    job.last_seq += len(steps)


def _closing_steps(progress: int) -> Steps:
    later: Steps = [(JobStatus.RUNNING, p) for p in _LATER_PHASES if p.progress > progress]
    return [*later, (JobStatus.COMPLETED, JobPhase.DONE)]


async def _complete(
    session: AsyncSession, steps: Steps, params: dict[str, Any]
) -> tuple[list[_Event], set[str]]:
    events: list[_Event] = []
    stored: set[str] = set()
    for row in await session.execute(_COMPLETE, _step_values(steps) | params):
        if row.kind is None:
            events.append(_Event(row.id, row.user_id, row.seq))
        else:
            stored.add(row.kind)
    return sorted(events, key=lambda e: e.seq), stored


async def complete_from(
    session: AsyncSession,
    redis: Redis,
    job: TailoringJob,
    known: int,
    artifacts: dict[str, str],
    *,
    engine: str,
    holds_credits: bool,
) -> Completion:
    """Move a RUNNING job from progress `known` through every remaining phase to COMPLETED,
    one event per phase (announced in one publish after the commit), store `artifacts`
    (JSON text by kind) and settle its credits (`holds_credits`: it reserved some). If a
    concurrent run stored one of the artifacts first, the caller must roll back. `job` may
    be a snapshot: only its id is read."""
    at = dt.datetime.now(dt.UTC)
    params = {
        "job": job.id,
        "known": known,
        "warnings": "[]",
        "at": at,
        "engine": engine,
        "kinds": list(artifacts),
        "contents": list(artifacts.values()),
    }
    steps = _closing_steps(known)
    events, stored = await _complete(session, steps, params)
    if not events:  # ended, or moved on by a concurrent run: lock and look
        found = (await session.execute(_STATUS_AND_PROGRESS, {"job_id": job.id})).one_or_none()
        if found is None or found.status is not JobStatus.RUNNING:
            return Completion(False)
        steps = _closing_steps(found.progress)
        events, stored = await _complete(session, steps, params | {"known": found.progress})
    _announce(session, redis, job.id, events, steps, at)
    if holds_credits:
        await settle_or_release(session, job, completed=True)
    return Completion(True, frozenset(set(artifacts) - stored))
