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


async def startup(ctx: dict[str, Any]) -> None:
    settings = get_settings()
    configure_logging(settings.log_level, json=settings.env.value == "production")
    if settings.worker_metrics_port:
        # Job counts, durations, error codes and export outcomes are counted here, in
        # the worker: serve them, or the API's /metrics shows them empty.
        start_metrics_server(settings.worker_metrics_port)
    ctx["runtime"] = await build_runtime(settings)
    # Started now (interpreter, imports, a warm-up job: about 2 s each), not by the first job.
    engines = engine_pool()
    engines.configure(settings.local_engine_processes, settings.local_engine_timeout_s)
    try:
        await asyncio.to_thread(engines.warm_up, settings.local_engine_processes)
    except EngineUnavailable:  # jobs start it on demand (and fail clearly if it cannot)
        log.warning("engine_process_start_failed")
    freeze_startup_heap()  # as the API does: app/process_heap.py


async def shutdown(ctx: dict[str, Any]) -> None:
    runtime = ctx.get("runtime")
    if runtime is not None:
        await runtime.close()
    await asyncio.to_thread(engine_pool().shutdown)
