"""Live job events for subscriptions: `jobProgress` (one job) and `myJobs` (all of a user's).

The one way from the GraphQL layer to app.events for jobs. Starting a `jobProgress`
subscription costs one shared query (the ownership check and the replay of every
subscription starting at that moment, read together); afterwards the events come from the
process's feed for the job without touching Postgres.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

from app.errors import NotFound
from app.events.job_events import EventView
from app.events.job_feed import job_feeds
from app.events.stream import follow_job, follow_user
from app.runtime import Runtime


async def follow_job_progress(
    runtime: Runtime, user_id: uuid.UUID, job_id: uuid.UUID, after_seq: int = 0
) -> AsyncIterator[EventView]:
    """Every event of the caller's job with seq > after_seq, in order, each once; ends after
    the terminal event. NotFound if the job is not the caller's (or does not exist)."""
    feeds = job_feeds(runtime.db, runtime.hub)
    after_seq = max(after_seq, 0)
    async with feeds.follow(job_id, after_seq) as follower:
        # Listening before reading history: nothing can fall between the two.
        start = await feeds.start_read(job_id, after_seq)
        if start.owner != user_id:
            raise NotFound("job")  # someone else's job and a missing one look the same
        async for event in follow_job(feeds.feed(job_id), follower, start.events):
            yield event


def follow_my_jobs(runtime: Runtime, user_id: uuid.UUID) -> AsyncIterator[EventView]:
    """Every event of every job of the user from now on, each once; never ends."""
    return follow_user(runtime.db, runtime.hub, user_id)
