"""The doorbell of a version's export changes: a Redis publish on `version:{id}` after
the status commits. Subscribers re-read Postgres (see version_events.py)."""

from __future__ import annotations

import uuid

import structlog

from app.runtime import Runtime

log = structlog.get_logger("events")


def version_channel(version_id: uuid.UUID | str) -> str:
    return f"version:{version_id}"


async def ring(runtime: Runtime, version_id: uuid.UUID) -> None:
    """Best effort: a lost ring only delays subscribers until their next recheck."""
    try:
        await runtime.redis.publish(version_channel(version_id), "exports")
    except Exception as exc:
        log.warning("version_publish_failed", version_id=str(version_id), error=type(exc).__name__)
