"""One Redis pub/sub connection per API process, fanned out to every local subscriber.

Without it each WebSocket subscriber holds its own Redis connection and parses every
message itself; with it N sockets cost one connection and one parse per event. The hub
pattern-subscribes to all job channels once; listeners register a queue for the channel
they care about. When the hub loses Redis it tells every listener (a `None` wake-up) so
they re-read Postgres, which is the source of truth anyway.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import defaultdict
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

import structlog
from redis.asyncio import Redis
from redis.exceptions import RedisError

from app.events.job_events import EventView

if TYPE_CHECKING:
    from app.events.user_feed import UserFeed

log = structlog.get_logger("events.hub")

PATTERNS = ("job:*", "user:*:jobs", "version:*")
BACKOFF_S = (0.1, 0.25, 0.5, 1.0, 2.0)

Wakeup = EventView | None  # None: "you may have missed something, re-read Postgres"


class EventHub:
    def __init__(self, redis: Redis) -> None:
        self._redis = redis
        self._listeners: dict[str, set[asyncio.Queue[Wakeup]]] = defaultdict(set)
        self._task: asyncio.Task[None] | None = None
        self.connected = asyncio.Event()
        # One shared myJobs feed per user with live subscriptions (app.events.user_feed).
        self.user_feeds: dict[str, UserFeed] = {}

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="event-hub")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    @contextlib.asynccontextmanager
    async def listen(self, channel: str) -> AsyncIterator[asyncio.Queue[Wakeup]]:
        self.start()
        queue: asyncio.Queue[Wakeup] = asyncio.Queue()
        self._listeners[channel].add(queue)
        if not self.connected.is_set():
            # First listener of the process: give the hub a moment to subscribe, so the
            # usual case needs no Postgres re-read. Later misses are caught by rechecks.
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.connected.wait(), 1.0)
        try:
            yield queue
        finally:
            listeners = self._listeners.get(channel)
            if listeners is not None:
                listeners.discard(queue)
                if not listeners:
                    del self._listeners[channel]

    def _wake_all(self) -> None:
        for queues in self._listeners.values():
            for queue in queues:
                queue.put_nowait(None)

    async def _run(self) -> None:
        failures = 0
        while True:
            pubsub = self._redis.pubsub(ignore_subscribe_messages=True)
            try:
                await pubsub.psubscribe(*PATTERNS)
                self.connected.set()
                if failures:
                    self._wake_all()  # events published while we were away are in Postgres
                failures = 0
                while True:
                    message = await pubsub.get_message(timeout=5.0)
                    if message is None:
                        continue
                    channel = message["channel"]
                    name = channel.decode() if isinstance(channel, bytes) else str(channel)
                    queues = self._listeners.get(name)
                    if queues:
                        # version:* rings carry no event: a None wake-up, "re-read Postgres".
                        event = (
                            None
                            if name.startswith("version:")
                            else EventView.from_json(message["data"])
                        )
                        for queue in queues:
                            queue.put_nowait(event)
            except (RedisError, OSError) as exc:
                self.connected.clear()
                log.info("event_hub_redis_lost", error=type(exc).__name__)
                self._wake_all()
                await asyncio.sleep(BACKOFF_S[min(failures, len(BACKOFF_S) - 1)])
                failures += 1
            finally:
                with contextlib.suppress(RedisError, OSError):
                    await pubsub.aclose()  # type: ignore[no-untyped-call]
