"""Status/phase changes of a tailoring job: row lock, update, event row, commit, publish.

Phases only move forward; a repeated transition to a phase already reached records nothing,
so a retried run never duplicates events.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import JobEvent, TailoringJob
from app.db.models.enums import JobPhase, JobStatus
from app.events.job_events import EventView, publish, record_event
from app.runtime import Runtime


@dataclass(frozen=True)
class Transition:
    job: TailoringJob
    event: EventView | None  # None: nothing changed (already there, or job ended)


async def lock_job(session: AsyncSession, job_id: uuid.UUID) -> TailoringJob | None:
    return await session.get(TailoringJob, job_id, with_for_update=True, populate_existing=True)


async def _commit_and_publish(
    runtime: Runtime, session: AsyncSession, job: TailoringJob, event_row: JobEvent | None
) -> Transition:
    await session.commit()
    if event_row is None:
        return Transition(job, None)
    view = EventView.from_row(event_row)
    await publish(runtime.redis, view)
    return Transition(job, view)


async def start_running(runtime: Runtime, job_id: uuid.UUID) -> Transition | None:
    """QUEUED -> RUNNING/PARSING (counting the attempt); None if the job is already over."""
    async with runtime.db() as session:
        job = await lock_job(session, job_id)
        if job is None or job.status.terminal:
            return None
        job.attempts += 1
        event = None
        if job.status is JobStatus.QUEUED:
            job.status = JobStatus.RUNNING
            job.phase = JobPhase.PARSING
            job.progress = JobPhase.PARSING.progress
            job.started_at = dt.datetime.now(dt.UTC)
            event = record_event(session, job)
        return await _commit_and_publish(runtime, session, job, event)


async def advance(runtime: Runtime, job_id: uuid.UUID, phase: JobPhase) -> bool:
    """Move a RUNNING job forward to `phase`. False if the job ended (e.g. cancelled)."""
    async with runtime.db() as session:
        job = await lock_job(session, job_id)
        if job is None or job.status is not JobStatus.RUNNING:
            await session.rollback()
            return False
        event = None
        if phase.progress > job.progress:
            job.phase = phase
            job.progress = phase.progress
            event = record_event(session, job)
        await _commit_and_publish(runtime, session, job, event)
        return True


async def finish(
    runtime: Runtime,
    job_id: uuid.UUID,
    status: JobStatus,
    *,
    error_code: str | None = None,
    error_message: str | None = None,
    only_if: frozenset[JobStatus] = frozenset({JobStatus.QUEUED, JobStatus.RUNNING}),
    warnings: list[str] | None = None,
    on_locked: Callable[[AsyncSession, TailoringJob], None] | None = None,
) -> Transition | None:
    """End the job (COMPLETED, FAILED or CANCELLED) exactly once."""
    async with runtime.db() as session:
        job = await lock_job(session, job_id)
        if job is None or job.status not in only_if:
            await session.rollback()
            return None
        job.status = status
        if status is JobStatus.COMPLETED:
            job.phase = JobPhase.DONE
            job.progress = JobPhase.DONE.progress
        job.error_code = error_code
        job.error_message = error_message
        if warnings is not None:
            job.warnings = warnings
        job.finished_at = dt.datetime.now(dt.UTC)
        if on_locked is not None:
            on_locked(session, job)  # e.g. charge credits in the same transaction
        event = record_event(
            session, job, message=error_message or status.value.lower(), error_code=error_code
        )
        return await _commit_and_publish(runtime, session, job, event)
