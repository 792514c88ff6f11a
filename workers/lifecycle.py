"""Worker start-up and shut-down: one Runtime per worker process."""

from __future__ import annotations

from typing import Any

from app.config import get_settings
from app.observability.logging import configure_logging
from app.runtime import build_runtime


async def startup(ctx: dict[str, Any]) -> None:
    settings = get_settings()
    configure_logging(settings.log_level, json=settings.env.value == "production")
    ctx["runtime"] = await build_runtime(settings)


async def shutdown(ctx: dict[str, Any]) -> None:
    runtime = ctx.get("runtime")
    if runtime is not None:
        await runtime.close()
