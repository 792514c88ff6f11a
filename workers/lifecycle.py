"""Worker start-up and shut-down: one Runtime per worker process."""

from __future__ import annotations

import asyncio
from typing import Any

import structlog

from app.config import get_settings
from app.observability.logging import configure_logging
from app.observability.worker_metrics import start_metrics_server
from app.process_heap import freeze_startup_heap
from app.runtime import build_runtime
from app.tailoring.engine_process import EngineUnavailable, engine_pool

log = structlog.get_logger("worker")

_WARM_UP = "engine_warm_up"


async def startup(ctx: dict[str, Any]) -> None:
    settings = get_settings()
    configure_logging(settings.log_level, json=settings.env.value == "production")
    if settings.worker_metrics_port:
        # Job counts, durations, error codes and export outcomes are counted here, in
        # the worker: serve them, or the API's /metrics shows them empty.
        start_metrics_server(settings.worker_metrics_port)
    ctx["runtime"] = await build_runtime(settings)
    freeze_startup_heap()  # as the API does: app/process_heap.py
    # Started now (interpreter, imports, a warm-up job: about 2 s each), not by the first
    # job; in the background, so the worker takes jobs meanwhile (a job's first steps need
    # no engine; the pool is bounded, so a job that needs it waits for this start).
    engines = engine_pool()
    engines.configure(settings.local_engine_processes, settings.local_engine_timeout_s)
    ctx[_WARM_UP] = asyncio.create_task(_warm_up(settings.local_engine_processes))


async def _warm_up(processes: int) -> None:
    try:
        await asyncio.to_thread(engine_pool().warm_up, processes)
    except EngineUnavailable:  # jobs start it on demand (and fail clearly if it cannot)
        log.warning("engine_process_start_failed")


async def shutdown(ctx: dict[str, Any]) -> None:
    warm_up = ctx.get(_WARM_UP)
    if warm_up is not None:
        await warm_up  # a process it is starting must be in the pool before the pool shuts
    runtime = ctx.get("runtime")
    if runtime is not None:
        await runtime.close()
    await asyncio.to_thread(engine_pool().shutdown)
