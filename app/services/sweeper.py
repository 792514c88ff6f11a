"""The sweeper (an arq cron): fails jobs stuck past their maximum duration and re-enqueues
queued or running jobs whose queue entry vanished (e.g. Redis restarted without
persistence, or a worker was killed and its entry expired)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

import structlog
from sqlalchemy import select

from app import queue
from app.db.models import TailoringJob
from app.db.models.enums import ACTIVE_STATUSES, ExportStatus, JobStatus
from app.db.unit_of_work import after_commit, reading, transaction
from app.runtime import Runtime
from app.services import exports as export_service
from app.services.email_delivery import sweep_lost_sends
from app.services.job_transitions import finish, lock_job
from app.services.jobs import enqueue

log = structlog.get_logger("sweeper")

# A job younger than this may simply not have been enqueued yet by its API request.
ENQUEUE_GRACE_S = 5.0


@dataclass
class SweepReport:
    timed_out: list[uuid.UUID]
    requeued: list[uuid.UUID]
    exports_requeued: list[uuid.UUID] = field(default_factory=list)
    exports_failed: list[uuid.UUID] = field(default_factory=list)
    emails_requeued: list[uuid.UUID] = field(default_factory=list)


async def sweep(runtime: Runtime, *, now: dt.datetime | None = None) -> SweepReport:
    now = now or dt.datetime.now(dt.UTC)
    max_age = dt.timedelta(seconds=runtime.settings.job_max_duration_s)
    report = SweepReport(timed_out=[], requeued=[])
    async with reading(runtime.db) as session:
        result = await session.execute(
            select(TailoringJob).where(TailoringJob.status.in_(list(ACTIVE_STATUSES)))
        )
        active = list(result.scalars())
    for job in active:  # one job, one transaction: one job's trouble holds no other lock
        since = job.started_at or job.created_at
        if now - since > max_age:
            async with transaction(runtime.db) as session:
                ended = await finish(
                    session,
                    runtime.redis,
                    job.id,
                    JobStatus.FAILED,
                    error_code="JOB_TIMEOUT",
                    error_message=(
                        "the job took longer than "
                        f"{runtime.settings.job_max_duration_s} s and was stopped; try again"
                    ),
                )
            if ended is not None:
                report.timed_out.append(job.id)
            continue
        if (now - job.created_at).total_seconds() < ENQUEUE_GRACE_S:
            continue
        if job.arq_job_id and await queue.entry_exists(runtime.queue, job.arq_job_id):
            continue
        if await _requeue(runtime, job.id):
            report.requeued.append(job.id)
    await _sweep_exports(runtime, now, report)
    report.emails_requeued = await sweep_lost_sends(runtime, now)  # apply-by-e-mail sends
    if report.timed_out or report.requeued or report.exports_requeued or report.exports_failed:
        log.info(
            "sweep",
            timed_out=len(report.timed_out),
            requeued=len(report.requeued),
            exports_requeued=len(report.exports_requeued),
            exports_failed=len(report.exports_failed),
        )
    return report


async def _sweep_exports(runtime: Runtime, now: dt.datetime, report: SweepReport) -> None:
    """Exports lose their queue entry like jobs do; queue them again or give up."""
    async with reading(runtime.db) as session:
        candidates = await export_service.lost_export_candidates(session, now)
    for export_id in candidates:
        async with transaction(runtime.db) as session:  # one export, one transaction
            outcome = await export_service.requeue_lost(session, runtime, export_id, now)
        if outcome is ExportStatus.PENDING:
            report.exports_requeued.append(export_id)
        elif outcome is ExportStatus.FAILED:
            report.exports_failed.append(export_id)


async def _requeue(runtime: Runtime, job_id: uuid.UUID) -> bool:
    """Give the job a fresh arq id (a kept result under the old id would block enqueue)
    and queue it once that is committed."""
    async with transaction(runtime.db) as session:
        job = await lock_job(session, job_id)
        if job is None or job.status not in ACTIVE_STATUSES:
            return False
        job.arq_job_id = queue.fresh_tailoring_id(job.id)
        locked = job
        after_commit(session, lambda: enqueue(runtime, locked))
    return True
