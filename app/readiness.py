"""Readiness (/ready): can this process serve traffic? Postgres, Redis and the object store.

Also the start-up storage set-up: create the S3 bucket when configured (docker compose's
MinIO starts empty) and give it a CORS rule for the configured browser origins.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Awaitable, Callable

import structlog
from sqlalchemy import text

from app.config import Settings
from app.runtime import Runtime
from app.storage.filesystem import FilesystemStore
from app.storage.protocol import ObjectStore
from app.storage.s3 import S3Store

log = structlog.get_logger("readiness")

CHECK_TIMEOUT_S = 3.0


async def _postgres(runtime: Runtime) -> None:
    async with runtime.engine.connect() as conn:
        await conn.execute(text("SELECT 1"))


async def _redis(runtime: Runtime) -> None:
    await runtime.redis.ping()


async def _storage(runtime: Runtime) -> None:
    await check_store(runtime.store)


async def check_store(store: ObjectStore) -> None:
    if isinstance(store, S3Store):
        await store.check()
    elif isinstance(store, FilesystemStore):
        root = store.root
        if not (root.is_dir() and os.access(root, os.W_OK)):
            raise OSError(f"storage root {root} is not a writable folder")


CHECKS: dict[str, Callable[[Runtime], Awaitable[None]]] = {
    "postgres": _postgres,
    "redis": _redis,
    "storage": _storage,
}


async def readiness(runtime: Runtime) -> dict[str, str]:
    """'ok' or 'unavailable' per dependency; each check is bounded in time."""

    async def run(name: str) -> tuple[str, str]:
        try:
            await asyncio.wait_for(CHECKS[name](runtime), CHECK_TIMEOUT_S)
            return name, "ok"
        except Exception as exc:  # any failure means "not ready"; the kind is logged
            log.warning("readiness_check_failed", check=name, error_type=type(exc).__name__)
            return name, "unavailable"

    results = await asyncio.gather(*(run(name) for name in CHECKS))
    return dict(results)


async def prepare_storage(settings: Settings, store: ObjectStore) -> None:
    """Start-up: create the bucket and its CORS rule when TAILOR_S3_CREATE_BUCKET is set."""
    if not isinstance(store, S3Store) or not settings.s3_create_bucket:
        return
    await store.ensure_bucket()
    if settings.cors_origins:
        await store.allow_browser_downloads(settings.cors_origins)
    log.info("s3_bucket_ready", bucket=store.bucket)
