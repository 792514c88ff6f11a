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
from typing import Any, cast

from redis.asyncio import Redis
from sqlalchemy import (
    Insert,
    Table,
    bindparam,
    func,
    insert,
    literal_column,
    null,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import JobEvent, TailoringJob
from app.db.models.enums import JobPhase, JobStatus
from app.db.unit_of_work import after_commit
from app.events.job_events import EventView, publish_all, record_event, step_message
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


def _moving_statement(*, ending: bool) -> Insert:
    """One round trip per transition: change the RUNNING job (the UPDATE takes the row lock
    that keeps `seq` gap-free) and insert its event from what the UPDATE returned. No row
    when the job is not RUNNING (or, for a step, already at or past the phase).

    Built once: building a statement costs more CPU than running it. Every value is a
    named parameter, none named like a column (an UPDATE adds such a parameter to its SET
    clause)."""
    where = [_JOBS.c.id == bindparam("t_job"), _JOBS.c.status == bindparam("t_running")]
    values: dict[str, Any] = {
        "phase": bindparam("t_phase"),
        "progress": bindparam("t_progress"),
        "last_seq": _JOBS.c.last_seq + literal_column("1"),
        "updated_at": func.now(),
    }
    if ending:
        values |= {
            "status": bindparam("t_status"),
            "warnings": bindparam("t_warnings"),
            "finished_at": bindparam("t_at"),
            "error_code": null(),
            "error_message": null(),
        }
    else:
        where.append(_JOBS.c.progress < bindparam("t_progress"))
    job = _JOBS.c
    moved = (
        update(_JOBS)
        .where(*where)
        .values(values)
        .returning(job.id, job.user_id, job.last_seq, job.status, job.phase, job.progress)
        .cte("moved")
    )
    columns = ["job_id", "user_id", "seq", "status", "phase", "progress", "message", "created_at"]
    rows = select(
        *(moved.c[name] for name in ("id", "user_id", "last_seq", "status", "phase", "progress")),
        bindparam("t_message", type_=_EVENTS.c.message.type),
        bindparam("t_at", type_=_EVENTS.c.created_at.type),
    )
    return (
        insert(_EVENTS)
        .from_select(columns, rows)
        .add_cte(moved)
        .returning(_EVENTS.c.id, _EVENTS.c.user_id, _EVENTS.c.seq)
    )


_STEP = _moving_statement(ending=False)
_COMPLETE = _moving_statement(ending=True)
_STATUS_FOR_UPDATE = (
    select(_JOBS.c.status).where(_JOBS.c.id == bindparam("job_id")).with_for_update()
)


async def _move(
    session: AsyncSession,
    redis: Redis,
    statement: Insert,
    job_id: uuid.UUID,
    phase: JobPhase,
    status: JobStatus,
    **extra: Any,
) -> bool:
    """Run a moving statement; on success announce its event after the commit."""
    at = dt.datetime.now(dt.UTC)
    params = {
        "t_job": job_id,
        "t_running": JobStatus.RUNNING,
        "t_phase": phase,
        "t_progress": phase.progress,
        "t_message": step_message(status),
        "t_at": at,
        **extra,
    }
    row = (await session.execute(statement, params)).one_or_none()
    if row is None:
        return False
    view = EventView.of_step(
        id=row.id,
        job_id=job_id,
        user_id=row.user_id,
        seq=row.seq,
        status=status,
        phase=phase,
        at=at,
    )
    after_commit(session, lambda: publish_all(redis, [view]))
    return True


async def step_forward(
    session: AsyncSession, redis: Redis, job_id: uuid.UUID, phase: JobPhase
) -> None:
    """Move a RUNNING job to `phase` and record its event, announced after the commit;
    nothing if it is already there or past it (a rerun). Raises NotRunning if the job
    ended."""
    if await _move(session, redis, _STEP, job_id, phase, JobStatus.RUNNING):
        return
    if await session.scalar(_STATUS_FOR_UPDATE, {"job_id": job_id}) is not JobStatus.RUNNING:
        raise NotRunning
    # already at or past `phase`: nothing to record


async def complete_running(
    session: AsyncSession, redis: Redis, job: TailoringJob, warnings: list[str]
) -> bool:
    """End a RUNNING job COMPLETED with its event (announced after the commit) and settle
    its reserved credits; False if it is not RUNNING any more. `job` may be a snapshot:
    only its id and user are read."""
    ended = await _move(
        session,
        redis,
        _COMPLETE,
        job.id,
        JobPhase.DONE,
        JobStatus.COMPLETED,
        t_status=JobStatus.COMPLETED,
        t_warnings=warnings,
    )
    if ended:
        await settle_or_release(session, job, completed=True)
    return ended


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
