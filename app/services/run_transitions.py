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
from app.events.job_events import EventView, publish_all
from app.services.credits import settle_or_release

_JOBS = cast(Table, TailoringJob.__table__)
Steps = list[tuple[JobStatus, JobPhase]]

# One event per (status, phase) passed, from what the `moved` UPDATE returned.
_EVENTS_FROM_MOVED = """
INSERT INTO job_events (job_id, user_id, seq, status, phase, progress, message, created_at)
SELECT moved.id, moved.user_id, moved.last_seq - :n + e.ord, e.status, e.phase, e.progress,
       e.message, :at
FROM moved, unnest(
    CAST(:statuses AS varchar[]), CAST(:phases AS varchar[]), CAST(:progresses AS int[]),
    CAST(:messages AS text[])
) WITH ORDINALITY AS e(status, phase, progress, message, ord)
RETURNING id, user_id, seq
"""


def _moving(update: str) -> TextClause:
    return text(f"WITH moved AS ({update} RETURNING id, user_id, last_seq) {_EVENTS_FROM_MOVED}")


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
# No row: the job ended, or a concurrent run moved it on (then lock and look).
_COMPLETE = _moving(
    """
    UPDATE tailoring_jobs
    SET status = 'COMPLETED', phase = 'DONE', progress = 100, last_seq = last_seq + :n,
        warnings = CAST(:warnings AS jsonb), finished_at = :at, error_code = NULL,
        error_message = NULL, updated_at = now()
    WHERE id = :job AND status = 'RUNNING' AND progress = :known
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


def _message(status: JobStatus) -> str | None:
    return None if status is JobStatus.RUNNING else status.value.lower()


async def _run(
    session: AsyncSession, statement: TextClause, steps: Steps, **params: Any
) -> list[_Event]:
    values = {
        "n": len(steps),
        "statuses": [status.value for status, _ in steps],
        "phases": [phase.value for _, phase in steps],
        "progresses": [phase.progress for _, phase in steps],
        "messages": [_message(status) for status, _ in steps],
        **params,
    }
    rows = await session.execute(statement, values)
    return sorted((_Event(r.id, r.user_id, r.seq) for r in rows), key=lambda e: e.seq)


def _announce(
    session: AsyncSession,
    redis: Redis,
    job_id: uuid.UUID,
    events: list[_Event],
    steps: Steps,
    at: dt.datetime,
) -> None:
    views = [
        EventView(
            id=event.id,
            job_id=str(job_id),
            user_id=str(event.user_id),
            seq=event.seq,
            status=status,
            phase=phase,
            progress=phase.progress,
            message=_message(status),
            error_code=None,
            created_at=at.isoformat(),
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
    events = await _run(session, _BEGIN, steps, **params)
    _announce(session, redis, job.id, events, steps, at)
    if job.status is JobStatus.QUEUED:
        job.started_at = at
    job.attempts += 1
    job.status, job.phase, job.progress = JobStatus.RUNNING, phase, phase.progress
    job.last_seq += len(steps)


def _closing_steps(progress: int) -> Steps:
    later: Steps = [(JobStatus.RUNNING, p) for p in _LATER_PHASES if p.progress > progress]
    return [*later, (JobStatus.COMPLETED, JobPhase.DONE)]


async def complete_from(
    session: AsyncSession, redis: Redis, job: TailoringJob, known: int, warnings_json: str
) -> bool:
    """Move a RUNNING job from progress `known` through every remaining phase to COMPLETED,
    one event per phase (announced in one publish after the commit), and settle its credits.
    False if the job is not RUNNING any more. `job` may be a snapshot: only its id is read."""
    at = dt.datetime.now(dt.UTC)
    params = {"job": job.id, "warnings": warnings_json, "at": at}
    steps = _closing_steps(known)
    events = await _run(session, _COMPLETE, steps, known=known, **params)
    if not events:  # ended, or moved on by a concurrent run: lock and look
        found = (await session.execute(_STATUS_AND_PROGRESS, {"job_id": job.id})).one_or_none()
        if found is None or found.status is not JobStatus.RUNNING:
            return False
        steps = _closing_steps(found.progress)
        events = await _run(session, _COMPLETE, steps, known=found.progress, **params)
    _announce(session, redis, job.id, events, steps, at)
    await settle_or_release(session, job, completed=True)
    return True
