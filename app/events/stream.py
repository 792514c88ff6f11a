"""Follow a job's events: listen first, replay from Postgres, then stream
live, never yielding a seq twice. Redis only wakes us; Postgres tells the story, so a lost
publish or a Redis restart costs at most a short delay, never an event."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.events.hub import EventHub, Wakeup
from app.events.job_events import EventView, events_after, job_channel
from app.events.user_feed import follow_user

__all__ = ["follow_job", "follow_user"]

# How long a subscriber trusts silence before checking Postgres itself: bounds the delay
# when a publish was lost (pub/sub is at-most-once). A lost Redis connection wakes every
# subscriber at once (the hub), so this only covers a publish lost on a live connection;
# it is also a query every few seconds for every idle socket, hence not shorter.
QUIET_RECHECK_S = 10.0


async def _next_wakeup(queue: asyncio.Queue[Wakeup], timeout_s: float) -> Wakeup:
    if not queue.empty():
        return queue.get_nowait()
    try:
        # asyncio.timeout, not wait_for: no task per wait (there is one wait per event per
        # subscriber).
        async with asyncio.timeout(timeout_s):
            return await queue.get()
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
