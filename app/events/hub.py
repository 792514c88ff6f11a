"""One Redis pub/sub connection per API process, fanned out to every local subscriber.

Without it each WebSocket subscriber holds its own Redis connection and parses every
message itself; with it N sockets cost one connection and one parse per event. The hub
pattern-subscribes to every live channel once (jobs, users' job feeds, versions, users'
application changes); listeners register a callback (or a queue) for the channel they care
about. When the hub loses Redis it tells every listener (a `None` wake-up) so they re-read
Postgres, which is the source of truth anyway.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import defaultdict
from collections.abc import AsyncIterator, Callable
from typing import TYPE_CHECKING, Any

import structlog
from redis.asyncio import Redis
from redis.exceptions import RedisError

from app.events.job_events import EventView, user_channel

if TYPE_CHECKING:
    from app.events.job_feed import JobFeeds
    from app.events.key_watch import KeyWatch
    from app.events.user_feed import UserFeed

log = structlog.get_logger("events.hub")

PATTERNS = ("job:*", "version:*", "user:*:applications")
# Channels whose messages are job events; the others are doorbells ("re-read Postgres").
# A job event is published once, on its job's channel; the hub also hands it to the
# listeners of its owner's key (user_channel): one message per event, not two.
JOB_CHANNEL_PREFIX = "job:"
USER_JOBS_SUFFIX = ":jobs"
BACKOFF_S = (0.1, 0.25, 0.5, 1.0, 2.0)

Wakeup = EventView | None  # None: "you may have missed something, re-read Postgres"
Listener = Callable[[Wakeup], None]


class EventHub:
    def __init__(self, redis: Redis) -> None:
        self._redis = redis
        self._listeners: dict[str, set[Listener]] = defaultdict(set)
        self._user_keys = 0  # user_channel keys with listeners: 0 saves parsing events
        self._task: asyncio.Task[None] | None = None
        self.connected = asyncio.Event()
        # One shared myJobs feed per user with live subscriptions (app.events.user_feed).
        self.user_feeds: dict[str, UserFeed] = {}
        # The jobs followed by jobProgress subscriptions (app.events.job_feed), made on first use.
        self.job_feeds: JobFeeds | None = None
        # Doorbell subscriptions' shared rechecks (app.events.key_watch), by kind of key.
        self.key_watches: dict[str, KeyWatch[Any]] = {}

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="event-hub")

    async def stop(self) -> None:
        if self.job_feeds is not None:
            await self.job_feeds.stop()
        for watch in self.key_watches.values():
            await watch.stop()
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def add(self, channel: str, listener: Listener) -> None:
        """Call `listener` for every message on `channel` (and None on a reconnect)."""
        self.start()
        if channel not in self._listeners and _is_user_key(channel):
            self._user_keys += 1
        self._listeners[channel].add(listener)
        if not self.connected.is_set():
            # First listener of the process: give the hub a moment to subscribe, so the
            # usual case needs no Postgres re-read. Later misses are caught by rechecks.
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.connected.wait(), 1.0)

    def remove(self, channel: str, listener: Listener) -> None:
        listeners = self._listeners.get(channel)
        if listeners is not None:
            listeners.discard(listener)
            if not listeners:
                del self._listeners[channel]
                if _is_user_key(channel):
                    self._user_keys -= 1

    @contextlib.asynccontextmanager
    async def listen(self, channel: str) -> AsyncIterator[asyncio.Queue[Wakeup]]:
        queue: asyncio.Queue[Wakeup] = asyncio.Queue()
        await self.add(channel, queue.put_nowait)
        try:
            yield queue
        finally:
            self.remove(channel, queue.put_nowait)

    def _wake_all(self) -> None:
        for listeners in list(self._listeners.values()):
            for listener in list(listeners):
                listener(None)

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
                    # A blocking read: no timer armed and cancelled per message.
                    message = await pubsub.get_message(timeout=None)
                    if message is None:
                        continue  # a subscribe confirmation
                    channel = message["channel"]
                    name = channel.decode() if isinstance(channel, bytes) else str(channel)
                    self._dispatch(name, message["data"])
                    # The subscribers just woken deliver before the hub re-arms its read
                    # (redis-py's read path is ~50 us of Python, on every delivery's way).
                    await asyncio.sleep(0)
            except (RedisError, OSError) as exc:
                self.connected.clear()
                log.info("event_hub_redis_lost", error=type(exc).__name__)
                self._wake_all()
                await asyncio.sleep(BACKOFF_S[min(failures, len(BACKOFF_S) - 1)])
                failures += 1
            finally:
                with contextlib.suppress(RedisError, OSError):
                    await pubsub.aclose()  # type: ignore[no-untyped-call]

    def _dispatch(self, channel: str, data: str | bytes) -> None:
        """A job event to its job's and its owner's listeners; a doorbell (version and
        application rings) to its key's listeners as None."""
        listeners = self._listeners.get(channel)
        if not channel.startswith(JOB_CHANNEL_PREFIX):
            _call(listeners, None)
            return
        if not listeners and not self._user_keys:
            return  # nobody here follows it: not even parsed
        event = EventView.from_json(data)
        _call(listeners, event)
        if self._user_keys:
            _call(self._listeners.get(user_channel(event.user_id)), event)


def _call(listeners: set[Listener] | None, wakeup: Wakeup) -> None:
    if listeners:
        for listener in list(listeners):
            listener(wakeup)


def _is_user_key(channel: str) -> bool:
    return channel.startswith("user:") and channel.endswith(USER_JOBS_SUFFIX)
