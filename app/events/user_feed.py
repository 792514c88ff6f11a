"""One live feed of a user's job events per API process, shared by all of that user's
`myJobs` subscriptions.

Each subscription used to poll Postgres every 2 s on its own: 200 idle sockets cost a third
of a core. The feed wakes on pub/sub and delivers the very next event of a job straight
from the message; it re-reads Postgres only when something may have been missed: a gap in
a job's seq, a first event of a job that does not start at seq 1, the hub reconnecting to
Redis, or a long silence (a lost publish, since pub/sub is at-most-once).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import uuid
from collections.abc import AsyncIterator

import structlog
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.events.hub import EventHub, Wakeup
from app.events.job_events import EventView, user_channel, user_events_since

log = structlog.get_logger("events.user_feed")

# Events of different jobs commit in any order, so a user's stream cannot resume from an
# id: it re-reads a short window by time and skips what it sent, per job and seq.
COMMIT_SKEW = dt.timedelta(seconds=5)
# How long the feed trusts silence before checking Postgres itself.
SILENCE_RECHECK_S = 30.0


class FeedStopped(Exception):
    """The shared feed could not go on; the subscription ends with an error."""


class UserFeed:
    def __init__(
        self,
        db: async_sessionmaker[AsyncSession],
        hub: EventHub,
        user_id: uuid.UUID,
        silence_recheck_s: float,
    ) -> None:
        self._db, self._hub, self.user_id = db, hub, user_id
        self._silence_recheck_s = silence_recheck_s
        # None tells a subscriber the feed stopped (e.g. Postgres unreachable).
        self.subscribers: set[asyncio.Queue[EventView | None]] = set()
        self._sent: dict[str, int] = {}  # job id -> last seq delivered
        self._floor = dt.datetime.now(dt.UTC) - COMMIT_SKEW
        self.task: asyncio.Task[None] | None = None
        self.live = asyncio.Event()  # set once the past is marked: events from here are new

    async def run(self) -> None:
        async with self._hub.listen(user_channel(self.user_id)) as wakeups:
            # What already happened belongs to the past: mark it as sent.
            for event in await user_events_since(self._db, self.user_id, self._floor):
                self._sent[event.job_id] = max(self._sent.get(event.job_id, 0), event.seq)
            self.live.set()
            while True:
                wakeup = await _next(wakeups, self._silence_recheck_s)
                if wakeup is not None and wakeup.seq == self._sent.get(wakeup.job_id, 0) + 1:
                    self._deliver(wakeup)  # the common case: no query
                elif wakeup is None or wakeup.seq > self._sent.get(wakeup.job_id, 0):
                    await self._catch_up()  # a gap, a reconnect or a long silence

    async def _catch_up(self) -> None:
        for event in await user_events_since(self._db, self.user_id, self._floor):
            if event.seq > self._sent.get(event.job_id, 0):
                self._deliver(event)

    def _deliver(self, event: EventView) -> None:
        self._sent[event.job_id] = event.seq
        created = dt.datetime.fromisoformat(event.created_at)
        self._floor = max(self._floor, created - COMMIT_SKEW)
        for queue in self.subscribers:
            queue.put_nowait(event)


async def _next(queue: asyncio.Queue[Wakeup], timeout_s: float) -> Wakeup:
    try:
        async with asyncio.timeout(timeout_s):
            return await queue.get()
    except TimeoutError:
        return None


async def follow_user(
    db: async_sessionmaker[AsyncSession],
    hub: EventHub,
    user_id: uuid.UUID,
    *,
    silence_recheck_s: float = SILENCE_RECHECK_S,
) -> AsyncIterator[EventView]:
    """Every event of every job of the user from now on, each once; never ends."""
    key = str(user_id)
    feed = hub.user_feeds.get(key)
    if feed is None or feed.task is None or feed.task.done():
        feed = UserFeed(db, hub, user_id, silence_recheck_s)
        feed.task = asyncio.create_task(_run_logged(feed), name=f"user-feed-{key}")
        hub.user_feeds[key] = feed
    queue: asyncio.Queue[EventView | None] = asyncio.Queue()
    feed.subscribers.add(queue)
    try:
        while (event := await queue.get()) is not None:
            yield event
        raise FeedStopped("live job events are unavailable; subscribe again")
    finally:
        feed.subscribers.discard(queue)
        if not feed.subscribers and hub.user_feeds.get(key) is feed:
            del hub.user_feeds[key]  # the last subscriber left: stop the feed
            if feed.task is not None:
                feed.task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await feed.task


async def _run_logged(feed: UserFeed) -> None:
    try:
        await feed.run()
    except asyncio.CancelledError:
        raise
    except Exception as exc:  # e.g. Postgres down: the next subscription starts a new feed
        log.warning("user_feed_stopped", error=type(exc).__name__)
        for queue in feed.subscribers:
            queue.put_nowait(None)
