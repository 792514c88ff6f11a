"""Status/phase changes of a tailoring job: row lock, update, event row; the publish runs
after the caller's commit.

Every function takes the caller's session first and never commits (the caller wraps the
use case in `app.db.unit_of_work.transaction`); each recorded event is published on Redis
by an after-commit hook, so an event is announced only once it is durable, once.

Phases only move forward; a repeated transition to a phase already reached records nothing,
so a retried run never duplicates events. `step_forward` is the worker's hot path: one
UPDATE ... RETURNING and one INSERT per step, no ORM row loaded.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

from redis.asyncio import Redis
from sqlalchemy import Insert, Table, bindparam, func, insert, literal_column, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import JobEvent, TailoringJob
from app.db.models.enums import JobPhase, JobStatus
from app.db.unit_of_work import after_commit
from app.events.job_events import EventView, publish_all, record_event
from app.services.credits import settle_or_release

_JOBS = cast(Table, TailoringJob.__table__)
_EVENTS = cast(Table, JobEvent.__table__)
ACTIVE = frozenset({JobStatus.QUEUED, JobStatus.RUNNING})


@dataclass(frozen=True)
class Transition:
    job: TailoringJob
    event: JobEvent


async def lock_job(session: AsyncSession, job_id: uuid.UUID) -> TailoringJob | None:
    return await session.get(TailoringJob, job_id, with_for_update=True, populate_existing=True)


def announce(session: AsyncSession, redis: Redis, events: Sequence[JobEvent | None]) -> None:
    """Publish the recorded events (one Redis round trip) once the transaction commits."""
    rows = [e for e in events if e is not None]
    if rows:
        after_commit(session, lambda: publish_all(redis, [EventView.from_row(e) for e in rows]))


def begin_run(session: AsyncSession, job: TailoringJob) -> JobEvent | None:
    """Count an attempt of a locked, unfinished job; QUEUED -> RUNNING/PARSING."""
    job.attempts += 1
    if job.status is not JobStatus.QUEUED:
        return None  # a rerun: the job is already RUNNING
    job.status = JobStatus.RUNNING
    job.phase = JobPhase.PARSING
    job.progress = JobPhase.PARSING.progress
    job.started_at = dt.datetime.now(dt.UTC)
    return record_event(session, job)


def move_forward(session: AsyncSession, job: TailoringJob, phase: JobPhase) -> JobEvent | None:
    """Move a locked RUNNING job to `phase`; None if it is already there or past it."""
    if phase.progress <= job.progress:
        return None
    job.phase = phase
    job.progress = phase.progress
    return record_event(session, job)


class NotRunning(Exception):
    """The job is missing or no longer RUNNING (cancelled, failed by the sweeper)."""


def _step_statement() -> Insert:
    """One round trip per step: move the RUNNING job forward (the UPDATE takes the row lock
    that keeps `seq` gap-free) and insert its event from what the UPDATE returned. No row
    when the job is not RUNNING or already at or past the phase. Built once: building a
    statement costs more CPU than running it. Every value is a named parameter, none named
    like a column (an UPDATE would add that column to its SET clause)."""
    moved = (
        update(_JOBS)
        .where(
            _JOBS.c.id == bindparam("step_job"),
            _JOBS.c.status == bindparam("running"),
            _JOBS.c.progress < bindparam("to_progress"),
        )
        .values(
            phase=bindparam("to_phase"),
            progress=bindparam("to_progress"),
            last_seq=_JOBS.c.last_seq + literal_column("1"),
            updated_at=func.now(),
        )
        .returning(_JOBS.c.id, _JOBS.c.user_id, _JOBS.c.last_seq, _JOBS.c.phase, _JOBS.c.progress)
        .cte("moved")
    )
    columns = ["job_id", "user_id", "seq", "status", "phase", "progress", "created_at"]
    rows = select(
        moved.c.id,
        moved.c.user_id,
        moved.c.last_seq,
        bindparam("event_status", type_=_EVENTS.c.status.type),
        moved.c.phase,
        moved.c.progress,
        bindparam("event_at", type_=_EVENTS.c.created_at.type),
    )
    return (
        insert(_EVENTS)
        .from_select(columns, rows)
        .add_cte(moved)
        .returning(_EVENTS.c.id, _EVENTS.c.user_id, _EVENTS.c.seq)
    )


_STEP = _step_statement()
_STATUS_FOR_UPDATE = (
    select(_JOBS.c.status).where(_JOBS.c.id == bindparam("job_id")).with_for_update()
)


async def step_forward(
    session: AsyncSession, redis: Redis, job_id: uuid.UUID, phase: JobPhase
) -> None:
    """Move a RUNNING job to `phase` and record its event, announced after the commit;
    nothing if it is already there or past it (a rerun). Raises NotRunning if the job
    ended."""
    created_at = dt.datetime.now(dt.UTC)
    params = {
        "step_job": job_id,
        "running": JobStatus.RUNNING,
        "event_status": JobStatus.RUNNING,
        "to_phase": phase,
        "to_progress": phase.progress,
        "event_at": created_at,
    }
    row = (await session.execute(_STEP, params)).one_or_none()
    if row is None:
        status = await session.scalar(_STATUS_FOR_UPDATE, {"job_id": job_id})
        if status is not JobStatus.RUNNING:
            raise NotRunning
        return  # already at or past `phase`
    view = EventView(
        id=row.id,
        job_id=str(job_id),
        user_id=str(row.user_id),
        seq=row.seq,
        status=JobStatus.RUNNING,
        phase=phase,
        progress=phase.progress,
        message=None,
        error_code=None,
        created_at=created_at.isoformat(),
    )
    after_commit(session, lambda: publish_all(redis, [view]))


async def end_job(
    session: AsyncSession,
    job: TailoringJob,
    status: JobStatus,
    *,
    error_code: str | None = None,
    error_message: str | None = None,
    warnings: list[str] | None = None,
) -> JobEvent:
    """End a locked job (COMPLETED, FAILED or CANCELLED), settling or releasing its
    reserved credits in the same transaction; the caller checked it may end."""
    job.status = status
    if status is JobStatus.COMPLETED:
        job.phase = JobPhase.DONE
        job.progress = JobPhase.DONE.progress
    job.error_code = error_code
    job.error_message = error_message
    if warnings is not None:
        job.warnings = warnings
    job.finished_at = dt.datetime.now(dt.UTC)
    await settle_or_release(session, job, completed=status is JobStatus.COMPLETED)
    return record_event(
        session, job, message=error_message or status.value.lower(), error_code=error_code
    )


async def finish(
    session: AsyncSession,
    redis: Redis,
    job_id: uuid.UUID,
    status: JobStatus,
    *,
    error_code: str | None = None,
    error_message: str | None = None,
    only_if: frozenset[JobStatus] = ACTIVE,
    warnings: list[str] | None = None,
) -> Transition | None:
    """End the job exactly once, announced after the commit; None if it was not in
    `only_if` (e.g. already ended)."""
    job = await lock_job(session, job_id)
    if job is None or job.status not in only_if:
        return None
    event = await end_job(
        session,
        job,
        status,
        error_code=error_code,
        error_message=error_message,
        warnings=warnings,
    )
    announce(session, redis, [event])
    return Transition(job, event)
