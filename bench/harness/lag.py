"""Delivery lag: WebSocket subscribers vs a bare redis-py fan-out to as many subscribers.

Lag is publish -> client: a bare redis-py subscriber on the job channels (the tap) marks
when each event went by on Redis; a client's receive time minus that mark (plus half a bare
round trip, the tap's own delay) is the time spent in the API process and the socket.
"""

from __future__ import annotations

import asyncio
import json
import random
import statistics
import time
from typing import Any

from redis.asyncio import Redis

from bench.harness.client import Received, pct


class Tap:
    """Notes when each (job, seq) event was published."""

    def __init__(self, url: str) -> None:
        self.redis = Redis.from_url(url)
        self.pubsub = self.redis.pubsub(ignore_subscribe_messages=True)
        self.published: dict[tuple[str, int], float] = {}
        self.task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        await self.pubsub.psubscribe("job:*")
        self.task = asyncio.create_task(self._run())

    async def _run(self) -> None:
        while True:
            message = await self.pubsub.get_message(timeout=1)
            if message is not None:
                event = json.loads(message["data"])
                self.published[(event["job_id"], event["seq"])] = time.time()

    async def stop(self) -> None:
        if self.task is not None:
            self.task.cancel()
        await self.pubsub.aclose()
        await self.redis.aclose()

    def lags(self, streams: list[tuple[str, Received]], correction: float) -> list[float]:
        """Per event delivered live: receive time - publish time (+ the tap's own delay).
        Events published before the stream's first receive were replayed from Postgres when
        the subscription started (e.g. QUEUED while no worker runs): not a delivery lag."""
        lags = []
        for job_id, stream in streams:
            if not stream:
                continue
            subscribed_by = stream[0][1]
            for event, received in stream:
                published = self.published.get((job_id, event["seq"]))
                if published is not None and published >= subscribed_by:
                    lags.append(received - published + correction)
        return lags


async def redis_fanout(
    url: str, subscribers: int, channels: int = 1, rounds: int = 60
) -> list[float]:
    """Baseline: bare redis-py publish -> receive with `subscribers` connections in this
    process, on one shared channel (every subscriber receives every message) or each on
    its own channel (one subscriber receives each message), per delivery."""
    pub = Redis.from_url(url)
    clients = [Redis.from_url(url) for _ in range(subscribers)]
    pubsubs = [c.pubsub(ignore_subscribe_messages=True) for c in clients]
    for i, ps in enumerate(pubsubs):
        await ps.subscribe(f"bench:{i % channels}")
    lags: list[float] = []

    async def receive(ps: Any, sent_at: float) -> None:
        while (await ps.get_message(timeout=1)) is None:
            pass
        lags.append(time.perf_counter() - sent_at)

    for _ in range(rounds):
        channel = random.randrange(channels)
        targets = [ps for i, ps in enumerate(pubsubs) if i % channels == channel]
        sent_at = time.perf_counter()
        waiting = [asyncio.create_task(receive(ps, sent_at)) for ps in targets]
        await pub.publish(f"bench:{channel}", b"x")
        await asyncio.gather(*waiting)
    for ps in pubsubs:
        await ps.aclose()
    for c in [pub, *clients]:
        await c.aclose()
    return lags


def lag_line(label: str, lags: list[float], base: list[float], sockets: int) -> str:
    lag50, lag99 = statistics.median(lags), pct(lags, 0.99)
    base50, base99 = statistics.median(base), pct(base, 0.99)
    return (
        f"delivery lag (publish -> client), {label}: p50 {lag50 * 1000:.2f} ms, "
        f"p99 {lag99 * 1000:.2f} ms | bare redis-py to {sockets}: p50 {base50 * 1000:.2f} ms, "
        f"p99 {base99 * 1000:.2f} ms | ratio p50 {lag50 / base50:.1f}x, "
        f"p99 {lag99 / base99:.1f}x (target p99 <= 3x)"
    )
