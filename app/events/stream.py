"""Follow a job's (or a user's) events: listen first, replay from Postgres, then stream
live, never yielding a seq twice. Redis only wakes us; Postgres tells the story, so a lost
publish or a Redis restart costs at most a short delay, never an event."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from collections.abc import AsyncIterator

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.events.hub import EventHub, Wakeup
from app.events.job_events import (
    EventView,
    events_after,
    job_channel,
    user_channel,
    user_events_since,
)

# How long a subscriber trusts silence before checking Postgres itself: bounds the delay
# when a publish was lost (pub/sub is at-most-once).
QUIET_RECHECK_S = 2.0


async def _next_wakeup(queue: asyncio.Queue[Wakeup], timeout_s: float) -> Wakeup:
    try:
        return await asyncio.wait_for(queue.get(), timeout_s)
    except TimeoutError:
        return None


async def follow_job(
    db: async_sessionmaker[AsyncSession],
    hub: EventHub,
    job_id: uuid.UUID,
    after_seq: int = 0,
    *,
    quiet_recheck_s: float = QUIET_RECHECK_S,
) -> AsyncIterator[EventView]:
    last = after_seq
    async with hub.listen(job_channel(job_id)) as queue:
        # Listening before reading history: nothing can fall between the two.
        pending = await events_after(db, job_id, last)
        while True:
            for event in pending:
                if event.seq <= last:
                    continue  # already sent
                yield event
                last = event.seq
                if event.terminal:
                    return
            wakeup = await _next_wakeup(queue, quiet_recheck_s)
            if wakeup is not None and wakeup.seq == last + 1:
                pending = [wakeup]  # the common case: the very next event, no query
            elif wakeup is not None and wakeup.seq <= last:
                pending = []
            else:
                # Silence, a gap or a reconnect: Postgres has the full, ordered story.
                pending = await events_after(db, job_id, last)


# Events of different jobs commit in any order, so a user's stream cannot resume from an
# id: it re-reads a short window by time and skips what it sent, per job and seq.
COMMIT_SKEW = dt.timedelta(seconds=5)


async def follow_user(
    db: async_sessionmaker[AsyncSession],
    hub: EventHub,
    user_id: uuid.UUID,
    *,
    quiet_recheck_s: float = QUIET_RECHECK_S,
) -> AsyncIterator[EventView]:
    """Every event of every job of the user from now on, each once; never ends."""
    async with hub.listen(user_channel(user_id)) as queue:
        floor = dt.datetime.now(dt.UTC) - COMMIT_SKEW
        # What already happened belongs to the past: mark it as sent.
        sent: dict[str, int] = {}
        for event in await user_events_since(db, user_id, floor):
            sent[event.job_id] = max(sent.get(event.job_id, 0), event.seq)
        while True:
            for event in await user_events_since(db, user_id, floor):
                if event.seq <= sent.get(event.job_id, 0):
                    continue
                yield event
                sent[event.job_id] = event.seq
                floor = max(floor, dt.datetime.fromisoformat(event.created_at) - COMMIT_SKEW)
            await _next_wakeup(queue, quiet_recheck_s)
