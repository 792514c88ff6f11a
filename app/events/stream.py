"""Follow a job's (or a user's) events: subscribe first, replay from Postgres, then stream
live, never yielding a seq twice. Survives Redis restarts by re-reading Postgres."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator

import structlog
from redis.asyncio import Redis
from redis.asyncio.client import PubSub
from redis.exceptions import RedisError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.events.job_events import (
    EventView,
    events_after,
    job_channel,
    user_channel,
    user_events_after,
)

log = structlog.get_logger("events.stream")

# How long a subscriber trusts silence before checking Postgres itself: bounds the delay
# when a publish was lost (pub/sub is at-most-once).
QUIET_RECHECK_S = 2.0
RECONNECT_BACKOFF_S = (0.1, 0.25, 0.5, 1.0, 2.0)


async def _open(redis: Redis, channel: str) -> PubSub:
    pubsub = redis.pubsub(ignore_subscribe_messages=True)
    await pubsub.subscribe(channel)
    return pubsub


async def _close(pubsub: PubSub | None) -> None:
    if pubsub is None:
        return
    with contextlib.suppress(RedisError, OSError):
        await pubsub.aclose()  # type: ignore[no-untyped-call]


async def follow_job(
    db: async_sessionmaker[AsyncSession],
    redis: Redis,
    job_id: uuid.UUID,
    after_seq: int = 0,
    *,
    quiet_recheck_s: float = QUIET_RECHECK_S,
) -> AsyncIterator[EventView]:
    last = after_seq
    failures = 0
    while True:
        pubsub: PubSub | None = None
        try:
            pubsub = await _open(redis, job_channel(job_id))
            failures = 0
            # Subscribed before reading history: nothing can fall between the two.
            for event in await events_after(db, job_id, last):
                yield event
                last = event.seq
                if event.terminal:
                    return
            while True:
                message = await pubsub.get_message(timeout=quiet_recheck_s)
                live = EventView.from_json(message["data"]) if message else None
                if live is not None and live.seq <= last:
                    continue  # already sent (replayed from Postgres)
                if live is not None and live.seq == last + 1:
                    pending = [live]
                else:
                    # Silence or a gap: Postgres has the full, ordered story.
                    pending = await events_after(db, job_id, last)
                for event in pending:
                    yield event
                    last = event.seq
                    if event.terminal:
                        return
        except (RedisError, OSError) as exc:
            log.info("subscriber_redis_lost", job_id=str(job_id), error=type(exc).__name__)
            for event in await events_after(db, job_id, last):
                yield event
                last = event.seq
                if event.terminal:
                    return
            await asyncio.sleep(RECONNECT_BACKOFF_S[min(failures, len(RECONNECT_BACKOFF_S) - 1)])
            failures += 1
        finally:
            await _close(pubsub)


async def follow_user(
    db: async_sessionmaker[AsyncSession],
    redis: Redis,
    user_id: uuid.UUID,
    after_id: int,
    *,
    quiet_recheck_s: float = QUIET_RECHECK_S,
) -> AsyncIterator[EventView]:
    """Every event of every job of the user, from event id `after_id` on; never ends."""
    last = after_id
    failures = 0
    while True:
        pubsub: PubSub | None = None
        try:
            pubsub = await _open(redis, user_channel(user_id))
            failures = 0
            while True:
                for event in await user_events_after(db, user_id, last):
                    yield event
                    last = event.id
                message = await pubsub.get_message(timeout=quiet_recheck_s)
                if message is not None:
                    live = EventView.from_json(message["data"])
                    if live.id <= last:
                        continue
                    # Events of different jobs commit in any order: read Postgres, by id.
        except (RedisError, OSError) as exc:
            log.info("user_subscriber_redis_lost", error=type(exc).__name__)
            await asyncio.sleep(RECONNECT_BACKOFF_S[min(failures, len(RECONNECT_BACKOFF_S) - 1)])
            failures += 1
        finally:
            await _close(pubsub)
