"""Worker start-up and shut-down: one Runtime per worker process."""

from __future__ import annotations

from typing import Any

from app.config import get_settings
from app.observability.logging import configure_logging
from app.observability.worker_metrics import start_metrics_server
from app.runtime import build_runtime


async def startup(ctx: dict[str, Any]) -> None:
    settings = get_settings()
    configure_logging(settings.log_level, json=settings.env.value == "production")
    if settings.worker_metrics_port:
        # Job counts, durations, error codes and export outcomes are counted here, in
        # the worker: serve them, or the API's /metrics shows them empty.
        start_metrics_server(settings.worker_metrics_port)
    ctx["runtime"] = await build_runtime(settings)


async def shutdown(ctx: dict[str, Any]) -> None:
    runtime = ctx.get("runtime")
    if runtime is not None:
        await runtime.close()
