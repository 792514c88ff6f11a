"""Status/phase changes of a tailoring job: row lock, update, event row, commit, publish.

The session-level helpers (`move_forward`, `end_job`) change a locked row and record its
event without committing, so the pipeline can commit a step's artifacts and its phase
change as one transaction; `finish` is the same for callers with nothing else to write
(cancel, the sweeper, a failed run).

Phases only move forward; a repeated transition to a phase already reached records nothing,
so a retried run never duplicates events.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import JobEvent, TailoringJob
from app.db.models.enums import JobPhase, JobStatus
from app.events.job_events import EventView, publish_all, record_event
from app.runtime import Runtime
from app.services.credits import settle_or_release


@dataclass(frozen=True)
class Transition:
    job: TailoringJob
    event: EventView | None  # None: nothing changed (already there, or job ended)


async def lock_job(session: AsyncSession, job_id: uuid.UUID) -> TailoringJob | None:
    return await session.get(TailoringJob, job_id, with_for_update=True, populate_existing=True)


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


async def commit_and_publish(
    runtime: Runtime, session: AsyncSession, events: Sequence[JobEvent | None]
) -> list[EventView]:
    """Commit, then ring the doorbell once for every event the transaction recorded."""
    await session.commit()
    views = [EventView.from_row(e) for e in events if e is not None]
    if views:
        await publish_all(runtime.redis, views)
    return views


async def finish(
    runtime: Runtime,
    job_id: uuid.UUID,
    status: JobStatus,
    *,
    error_code: str | None = None,
    error_message: str | None = None,
    only_if: frozenset[JobStatus] = frozenset({JobStatus.QUEUED, JobStatus.RUNNING}),
    warnings: list[str] | None = None,
) -> Transition | None:
    """End the job exactly once; None if it was not in `only_if` (e.g. already ended)."""
    async with runtime.db() as session:
        job = await lock_job(session, job_id)
        if job is None or job.status not in only_if:
            await session.rollback()
            return None
        event = await end_job(
            session,
            job,
            status,
            error_code=error_code,
            error_message=error_message,
            warnings=warnings,
        )
        views = await commit_and_publish(runtime, session, [event])
        return Transition(job, views[0])
