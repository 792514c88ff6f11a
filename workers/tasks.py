"""arq task functions: thin wrappers over app.services."""

from __future__ import annotations

import random
import uuid
from typing import Any

import structlog
from arq import Retry
from redis.exceptions import RedisError
from sqlalchemy.exc import InterfaceError, OperationalError

from app.db.unit_of_work import transaction
from app.runtime import Runtime
from app.services import exports as export_service
from app.services.pipeline import fail, run_job
from app.services.sweeper import sweep
from app.tailoring.engine_process import EngineUnavailable

log = structlog.get_logger("worker")

TRANSIENT = (OperationalError, InterfaceError, RedisError, ConnectionError, TimeoutError, OSError)


def backoff_s(attempt: int) -> float:
    """Exponential backoff with full jitter: 1 s, 2 s, 4 s ... capped at 30 s."""
    return random.uniform(0, min(30.0, 2.0 ** (attempt - 1)))


def retry_if_tries_left(
    ctx: dict[str, Any], runtime: Runtime, exc: Exception, **log_kw: Any
) -> None:
    """Raise arq's Retry (with backoff) while tries remain; return when they are used up."""
    attempt = int(ctx.get("job_try", 1))
    if attempt < runtime.settings.job_max_tries:
        log.warning("task_transient_error", attempt=attempt, error=type(exc).__name__, **log_kw)
        raise Retry(defer=backoff_s(attempt)) from exc


async def run_tailoring_job(ctx: dict[str, Any], job_id: str) -> str | None:
    runtime: Runtime = ctx["runtime"]
    try:
        status = await run_job(runtime, uuid.UUID(job_id))
    except EngineUnavailable as exc:  # the engine process died or hung: it is replaced
        retry_if_tries_left(ctx, runtime, exc, job_id=job_id)
        await fail(runtime, uuid.UUID(job_id), exc.code, exc.message)
        return "FAILED"
    except TRANSIENT as exc:
        retry_if_tries_left(ctx, runtime, exc, job_id=job_id)
        await fail(
            runtime,
            uuid.UUID(job_id),
            "TEMPORARY_FAILURE",
            "a temporary problem stopped the job several times; try again in a minute",
        )
        return "FAILED"
    except Exception:
        log.exception("job_crashed", job_id=job_id)
        await fail(
            runtime,
            uuid.UUID(job_id),
            "INTERNAL_ERROR",
            "an unexpected error stopped the job; it has been logged. Try again.",
        )
        return "FAILED"
    return status.value if status else None


async def sweep_jobs(ctx: dict[str, Any]) -> dict[str, int]:
    report = await sweep(ctx["runtime"])
    return {"timed_out": len(report.timed_out), "requeued": len(report.requeued)}


async def run_export(ctx: dict[str, Any], export_id: str) -> str | None:
    runtime: Runtime = ctx["runtime"]
    try:
        status = await export_service.run_export(runtime, uuid.UUID(export_id))
    except TRANSIENT as exc:
        retry_if_tries_left(ctx, runtime, exc, export_id=export_id)
        # Out of tries: say so, so that retryExport can pick it up later.
        async with transaction(runtime.db) as session:
            await export_service.mark_failed(
                session, runtime, uuid.UUID(export_id), "EXPORT_FAILED"
            )
        return "FAILED"
    return status.value if status else None
