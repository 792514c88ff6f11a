"""The jobs this API process follows for `jobProgress` subscriptions: one feed per job,
shared by every subscriber of that job, and one batched read of Postgres where each
subscriber used to run its own.

* Starting a subscription: the ownership check and the replay (events after `afterSeq`)
  of every subscription that starts within a few milliseconds run as ONE query
  (`start_read`), so 1,000 sockets arriving together take a handful of pooled
  connections, not 2,000 round trips.
* Live events go from the hub to the job's feed to each follower's queue: no query.
* A follower that sees a gap, or a hub reconnect, asks the feed to re-read; requests made
  before a read starts share it (`read_since`): 200 sockets on a job cost one query.
* Silence: pub/sub is at-most-once, so every QUIET_RECHECK_S one query compares the
  `last_seq` of every followed job with what its followers have; only a job that is
  behind is re-read. An idle socket costs no query and no timer of its own.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections import deque
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

from sqlalchemy import ARRAY, Text, Uuid, and_, any_, bindparam, cast, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.db.driver_read import DriverRead, Record
from app.db.models import JobEvent, TailoringJob
from app.db.models.enums import JobPhase, JobStatus
from app.events.hub import EventHub, Wakeup
from app.events.job_events import EventView, events_after, job_channel
from app.events.recheck import PeriodicRecheck

QUIET_RECHECK_S = 10.0
# How long a subscription start waits for others to share its query, and how many share one.
START_BATCH_WINDOW_S = 0.002
START_BATCH_MAX = 500


@dataclass(eq=False)  # each follower is its own set member
class Follower:
    """One subscription's place in a job's events: `last` is the highest seq it has yielded,
    and its wake-ups not read yet. A deque and a future while waiting, not an
    asyncio.Queue: a few hundred bytes less for each idle socket."""

    last: int
    _pending: deque[Wakeup] = field(default_factory=deque)
    _waiter: asyncio.Future[None] | None = None

    def put(self, wakeup: Wakeup) -> None:
        self._pending.append(wakeup)
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)

    async def get(self) -> Wakeup:
        while not self._pending:
            self._waiter = asyncio.get_running_loop().create_future()
            try:
                await self._waiter
            finally:
                self._waiter = None
        return self._pending.popleft()


@dataclass(frozen=True)
class StartRead:
    """What a subscription needs to start: the job's owner (None: no such job) and its
    events after the requested seq."""

    owner: uuid.UUID | None
    events: list[EventView]


class JobFeed:
    """The followers of one job in this process."""

    def __init__(self, feeds: JobFeeds, job_id: uuid.UUID) -> None:
        self._feeds, self.job_id = feeds, job_id
        self.followers: set[Follower] = set()
        self._next_read: asyncio.Future[list[EventView]] | None = None
        self._next_from = 0

    def offer(self, wakeup: Wakeup) -> None:
        for follower in self.followers:
            follower.put(wakeup)

    async def read_since(self, last: int) -> list[EventView]:
        """Events after `last`, from a read that starts after this call: callers that ask
        before it starts share it."""
        if self._next_read is None:
            self._next_read = asyncio.get_running_loop().create_future()
            self._next_from = last
            asyncio.get_running_loop().call_soon(self._start_read)
        else:
            self._next_from = min(self._next_from, last)
        events = await asyncio.shield(self._next_read)
        return [e for e in events if e.seq > last]

    def _start_read(self) -> None:
        future, after = self._next_read, self._next_from
        self._next_read = None
        assert future is not None
        task = asyncio.create_task(events_after(self._feeds.db, self.job_id, after))
        task.add_done_callback(lambda done: _settle(future, done))

    @property
    def floor(self) -> int:
        return min((f.last for f in self.followers), default=0)


def _settle(future: asyncio.Future[list[EventView]], done: asyncio.Task[list[EventView]]) -> None:
    if future.done():
        return
    if done.cancelled():
        future.cancel()
    elif (exc := done.exception()) is not None:
        future.set_exception(exc)
    else:
        future.set_result(done.result())


class JobFeeds:
    """Every job followed in this process (one per hub), with the batched reads."""

    def __init__(self, db: async_sessionmaker[AsyncSession], hub: EventHub) -> None:
        self.db, self._hub = db, hub
        self.feeds: dict[uuid.UUID, JobFeed] = {}
        self._starts: dict[uuid.UUID, asyncio.Future[StartRead]] = {}
        self._start_after: dict[uuid.UUID, int] = {}
        self._flush: asyncio.TimerHandle | None = None
        self.quiet_recheck_s = QUIET_RECHECK_S
        self._recheck = PeriodicRecheck(
            "job_feeds",
            self._recheck_once,
            active=lambda: bool(self.feeds),
            interval_s=lambda: self.quiet_recheck_s,
        )

    @contextlib.asynccontextmanager
    async def follow(self, job_id: uuid.UUID, after_seq: int) -> AsyncIterator[Follower]:
        """A follower registered on the job's feed (listening before any read)."""
        feed = self.feeds.get(job_id)
        if feed is None:
            feed = self.feeds[job_id] = JobFeed(self, job_id)
            await self._hub.add(job_channel(job_id), feed.offer)
        follower = Follower(after_seq)
        feed.followers.add(follower)
        self._recheck.ensure_running()
        try:
            yield follower
        finally:
            feed.followers.discard(follower)
            if not feed.followers and self.feeds.get(job_id) is feed:
                del self.feeds[job_id]
                self._hub.remove(job_channel(job_id), feed.offer)

    def feed(self, job_id: uuid.UUID) -> JobFeed:
        return self.feeds[job_id]

    async def start_read(self, job_id: uuid.UUID, after_seq: int) -> StartRead:
        """The owner and events after `after_seq` of a job, read together with those of
        the other subscriptions starting now."""
        future = self._starts.get(job_id)
        if future is None:
            future = self._starts[job_id] = asyncio.get_running_loop().create_future()
            self._start_after[job_id] = after_seq
        else:
            self._start_after[job_id] = min(self._start_after[job_id], after_seq)
        if len(self._starts) >= START_BATCH_MAX:
            self._run_starts()
        elif self._flush is None:
            self._flush = asyncio.get_running_loop().call_later(
                START_BATCH_WINDOW_S, self._run_starts
            )
        read = await asyncio.shield(future)
        return StartRead(read.owner, [e for e in read.events if e.seq > after_seq])

    def _run_starts(self) -> None:
        if self._flush is not None:
            self._flush.cancel()
            self._flush = None
        starts, after = self._starts, self._start_after
        self._starts, self._start_after = {}, {}
        task = asyncio.create_task(_read_starts(self.db, after))

        def settle(done: asyncio.Task[dict[uuid.UUID, StartRead]]) -> None:
            for job_id, future in starts.items():
                if future.done():
                    continue
                if done.cancelled():
                    future.cancel()
                elif (exc := done.exception()) is not None:
                    future.set_exception(exc)
                else:
                    future.set_result(done.result().get(job_id, StartRead(None, [])))

        task.add_done_callback(settle)

    async def stop(self) -> None:
        await self._recheck.stop()

    async def _recheck_once(self) -> None:
        """One query for every followed job: wake the followers of jobs that are behind."""
        feeds = dict(self.feeds)
        if not feeds:
            return
        async with self.db() as session:
            rows = await session.execute(
                select(TailoringJob.id, TailoringJob.last_seq).where(
                    TailoringJob.id.in_(list(feeds))
                )
            )
            latest = {job_id: last_seq for job_id, last_seq in rows}
        for job_id, feed in feeds.items():
            if latest.get(job_id, 0) > feed.floor:
                feed.offer(None)  # "you may have missed something": they re-read, together


_EVENT_COLUMNS = [c.label(f"event_{c.key}") for c in JobEvent.__table__.c]
# Owners and events of many jobs in one statement (a job with no events yet still shows
# its owner: outer join), outside a transaction: one round trip (app.db.driver_read).
_STARTS = DriverRead(
    select(TailoringJob.id.label("job_id"), TailoringJob.user_id.label("owner"), *_EVENT_COLUMNS)
    .outerjoin(
        JobEvent,
        and_(JobEvent.job_id == TailoringJob.id, JobEvent.seq > bindparam("after_seq")),
    )
    # The ids go as text[], which asyncpg knows built in: a uuid[] parameter cost each
    # pooled connection a type-introspection query (~8 ms of Postgres planning) first.
    .where(TailoringJob.id == any_(cast(bindparam("job_ids", type_=ARRAY(Text)), ARRAY(Uuid))))
    .order_by(TailoringJob.id, JobEvent.seq)
)


async def _read_starts(
    db: async_sessionmaker[AsyncSession], after: dict[uuid.UUID, int]
) -> dict[uuid.UUID, StartRead]:
    """Owners and events of many jobs in one query."""
    ids = [str(job_id) for job_id in after]
    rows = await _STARTS.rows(db, job_ids=ids, after_seq=min(after.values()))
    out: dict[uuid.UUID, StartRead] = {}
    for row in rows:
        job_id = row["job_id"]
        read = out.setdefault(job_id, StartRead(row["owner"], []))
        if row["event_id"] is not None and row["event_seq"] > after[job_id]:
            read.events.append(_event_view(row))
    return out


def _event_view(row: Record) -> EventView:
    return EventView(
        id=row["event_id"],
        job_id=str(row["event_job_id"]),
        user_id=str(row["event_user_id"]),
        seq=row["event_seq"],
        status=JobStatus(row["event_status"]),
        phase=JobPhase(row["event_phase"]),
        progress=row["event_progress"],
        message=row["event_message"],
        error_code=row["event_error_code"],
        created_at=row["event_created_at"].isoformat(),
    )


def job_feeds(db: async_sessionmaker[AsyncSession], hub: EventHub) -> JobFeeds:
    """The process's job feeds (made on first use)."""
    if hub.job_feeds is None:
        hub.job_feeds = JobFeeds(db, hub)
    return hub.job_feeds
