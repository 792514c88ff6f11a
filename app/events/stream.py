"""Follow a job's events: listen first, replay from Postgres, then stream live, never
yielding a seq twice. Redis only wakes us; Postgres tells the story, so a lost publish or a
Redis restart costs at most a short delay, never an event.

The listening and the reads are shared per process (app.events.job_feed): a subscriber
holds a place on its job's feed and a `last` seq, nothing else: no timer, no query while
events arrive in order.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

from app.events.job_events import EventView
from app.events.job_feed import Follower, JobFeed
from app.events.user_feed import follow_user

__all__ = ["follow_job", "follow_user"]


async def follow_job(
    feed: JobFeed, follower: Follower, replay: list[EventView]
) -> AsyncIterator[EventView]:
    """`replay` (the events read after the follower was registered), then live events, in
    seq order, each once; ends after the terminal event."""
    pending = replay
    while True:
        for event in pending:
            if event.seq <= follower.last:
                continue  # already sent
            if event.seq > follower.last + 1:
                break  # a gap: something was missed, Postgres has it
            yield event
            follower.last = event.seq
            if event.terminal:
                return
        else:
            wakeup = await follower.get()
            if wakeup is not None and wakeup.seq <= follower.last + 1:
                pending = [wakeup]  # the common case: the very next event, no query
                continue
        # A gap, a reconnect or a recheck that found us behind: one read, shared with every
        # follower of the job that asks before it starts.
        pending = await feed.read_since(follower.last)
