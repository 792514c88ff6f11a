"""Subscription fan-out bench: delivery lag and memory per idle socket, every lag figure
next to a bare redis-py fan-out to the same number of subscribers measured in the same run.

Cases (the issue's): 1 socket on 1 job, BENCH_SOCKETS (200) sockets on 1 job, BENCH_MANY
(1,000) sockets each on its own job. Each socket subscribes with
`jobProgress(jobId, afterSeq: 0)` over graphql-transport-ws and gets the job's history
first; only events published after every socket is live are timed (a replayed event is not
a delivery). The bench then plays the worker: it appends an event to a job in Postgres the
way a transition does (row lock, next seq, commit) and publishes it with the project's own
`publish_all`; lag = client receive - just before the publish, on one clock (this process).
The baseline publishes the same payload to as many bare redis-py subscribers (on one channel,
or one channel each) in this process, one bare round after each API round so that both
see the same load on a shared machine.

API memory per idle socket = API RSS growth while the 1,000 sockets connect and subscribe /
sockets (that case runs first, in a fresh API process after one warm-up subscription).

Starts its own PostgreSQL, Redis and one API process (no worker: the bench publishes).
Run: .venv/bin/python bench/fanout.py  (BENCH_ROUNDS: events per case, default 200, 10x that
when each event reaches one socket; BENCH_CASES=1,200: only those socket counts)
"""

from __future__ import annotations

import asyncio
import gc
import json
import os
import random
import statistics
import sys
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import websockets
from redis.asyncio import Redis
from sqlalchemy import inspect, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if REPO not in sys.path:
    sys.path.insert(0, REPO)

from app.db.models import JobDescription, JobEvent, TailoringJob  # noqa: E402
from app.db.models.enums import JobPhase, JobStatus  # noqa: E402
from app.events.job_events import EventView, publish_all, record_event  # noqa: E402
from bench.harness.client import http_client, inputs, pct, sign_up, tailor  # noqa: E402
from bench.harness.stack import Stack, rss_kib, start_stack  # noqa: E402
from tests.fixtures.make_samples import samples_root  # noqa: E402

SOCKETS = int(os.environ.get("BENCH_SOCKETS", "200"))
MANY = int(os.environ.get("BENCH_MANY", "1000"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "200"))
# Which cases to run, by socket count (e.g. "200" while profiling one of them).
ONLY = {int(n) for n in os.environ.get("BENCH_CASES", "").split(",") if n}
WAVE = 50  # sockets connecting at once
PROGRESS = (
    "subscription($id: ID!) { jobProgress(jobId: $id, afterSeq: 0) "
    "{ seq status phase progress createdAt } }"
)


@dataclass
class Socket:
    """One WebSocket subscriber (`live` once its first event, a replayed one, arrived)."""

    job_id: str
    live: asyncio.Event = field(default_factory=asyncio.Event)
    task: asyncio.Task[None] | None = None


class Waiter:
    """Wakes the publisher once every subscriber of a channel has the seq it waits for."""

    def __init__(self) -> None:
        self.want: tuple[str, int] | None = None
        self.left = 0
        self.arrivals: list[float] = []
        self.done = asyncio.Event()

    def expect(self, channel: str, seq: int, count: int) -> None:
        self.want, self.left, self.arrivals = (channel, seq), count, []
        self.done.clear()

    def arrived(self, channel: str, seq: int, at: float) -> None:
        if self.want == (channel, seq):
            self.arrivals.append(at)
            self.left -= 1
            if self.left == 0:
                self.done.set()


async def subscribe(url: str, token: str, socket: Socket, waiter: Waiter) -> None:
    protocols = [websockets.Subprotocol("graphql-transport-ws")]
    # No client pings: browsers and graphql-ws clients send none at the WebSocket level (the
    # API's own keep-alive pings stay); 1,000 clients pinging every 20 s in this process were
    # load the bare redis-py subscribers do not have.
    async with websockets.connect(
        url, subprotocols=protocols, max_queue=None, proxy=None, ping_interval=None
    ) as ws:
        init = {"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}}
        await ws.send(json.dumps(init))
        await ws.recv()
        payload = {"query": PROGRESS, "variables": {"id": socket.job_id}}
        await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": payload}))
        async for raw in ws:
            at = time.perf_counter()  # before parsing: the parse is the bench's own cost
            message = json.loads(raw)
            if message["type"] != "next" or message["payload"].get("errors"):
                raise RuntimeError(message)
            seq = message["payload"]["data"]["jobProgress"]["seq"]
            socket.live.set()
            waiter.arrived(socket.job_id, seq, at)


class BareFanout:
    """The baseline: `subscribers` bare redis-py connections in this process, each on channel
    `i % channels`, each read by a task that notes the arrival time the same way the
    WebSocket clients do (before parsing)."""

    def __init__(self, url: str, subscribers: int, channels: int) -> None:
        self.url, self.subscribers, self.channels = url, subscribers, channels
        self.redis = Redis.from_url(url)
        self.clients: list[Redis] = []
        self.tasks: list[asyncio.Task[None]] = []
        self.waiter = Waiter()

    async def start(self) -> None:
        for i in range(self.subscribers):
            client = Redis.from_url(self.url)
            pubsub = client.pubsub(ignore_subscribe_messages=True)
            await pubsub.subscribe(f"bare:{i % self.channels}")
            self.clients.append(client)
            self.tasks.append(asyncio.create_task(self._read(pubsub, str(i % self.channels))))

    async def _read(self, pubsub: Any, channel: str) -> None:
        async for message in pubsub.listen():
            at = time.perf_counter()
            if message["type"] == "message":
                self.waiter.arrived(channel, int(message["data"].split(b" ", 1)[0]), at)

    async def round(self, seq: int, payload: str) -> list[float]:
        channel = random.randrange(self.channels)
        targets = len(range(channel, self.subscribers, self.channels))
        self.waiter.expect(str(channel), seq, targets)
        sent = time.perf_counter()
        await self.redis.publish(f"bare:{channel}", f"{seq} {payload}")
        await asyncio.wait_for(self.waiter.done.wait(), 30)
        return [at - sent for at in self.waiter.arrivals]

    async def stop(self) -> None:
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)
        for client in [self.redis, *self.clients]:
            await client.aclose()


def _clone(row: Any, **changes: Any) -> Any:
    cls = type(row)
    data = {attr.key: getattr(row, attr.key) for attr in inspect(cls).column_attrs}
    return cls(**{**data, **changes})


async def make_jobs(db: async_sessionmaker[AsyncSession], first_job: str, count: int) -> list[str]:
    """`count - 1` more QUEUED jobs like the first (each with its own job description, as
    one active job per pair requires) and their QUEUED event: what `tailor` writes, without
    1,000 round trips through the API before the bench starts."""
    ids = [first_job]
    async with db() as session, session.begin():
        job = await session.get(TailoringJob, uuid.UUID(first_job))
        assert job is not None
        jd = await session.get(JobDescription, job.job_description_id)
        first_event = (
            await session.execute(select(JobEvent).where(JobEvent.job_id == job.id))
        ).scalar_one()
        for _ in range(count - 1):
            new_jd = _clone(jd, id=uuid.uuid4())
            new_job = _clone(job, id=uuid.uuid4(), job_description_id=new_jd.id)
            new_event = _clone(first_event, id=None, job_id=new_job.id)
            session.add_all([new_jd, new_job])
            await session.flush()
            session.add(new_event)
            ids.append(str(new_job.id))
    return ids


async def advance(db: async_sessionmaker[AsyncSession], job_id: str) -> EventView:
    """One more non-terminal event of the job, written as a transition writes it."""
    async with db() as session, session.begin():
        job = await session.get(TailoringJob, uuid.UUID(job_id), with_for_update=True)
        assert job is not None
        job.status, job.phase = JobStatus.RUNNING, JobPhase.GENERATING
        job.progress = min(99, job.last_seq)
        event = record_event(session, job)
        await session.flush()
        return EventView.from_row(event)


@dataclass
class Case:
    label: str
    sockets: int
    jobs: int


async def connect(
    url: str, token: str, job_ids: list[str], sockets: int, waiter: Waiter
) -> list[Socket]:
    subs = [Socket(job_ids[i % len(job_ids)]) for i in range(sockets)]
    for start in range(0, sockets, WAVE):  # clients arrive in waves, not all in one instant
        wave = subs[start : start + WAVE]
        for sub in wave:
            sub.task = asyncio.create_task(subscribe(url, token, sub, waiter))
        await asyncio.gather(*(sub.live.wait() for sub in wave))
    return subs


async def play(
    db: async_sessionmaker[AsyncSession],
    redis: Redis,
    subs: list[Socket],
    waiter: Waiter,
    bare: BareFanout,
) -> tuple[list[float], list[float]]:
    """Events through the API, each followed by one through the bare fan-out, so both see
    the same load on this shared machine. Returns (API lags, bare lags). A case with one
    delivery per event plays 10x more events: its p99 is then the 20th worst of 2,000,
    not one of a handful of unlucky samples (with 1,000 the ratio swung ~1x run to run)."""
    by_job: dict[str, int] = {}
    for sub in subs:
        by_job[sub.job_id] = by_job.get(sub.job_id, 0) + 1
    lags: list[float] = []
    base: list[float] = []
    rounds = ROUNDS if len(subs) // len(by_job) > 1 else 10 * ROUNDS
    for _ in range(rounds):
        job_id = random.choice(list(by_job))
        event = await advance(db, job_id)
        waiter.expect(job_id, event.seq, by_job[job_id])
        sent = time.perf_counter()
        await publish_all(redis, [event])
        await asyncio.wait_for(waiter.done.wait(), 30)
        lags += [at - sent for at in waiter.arrivals]
        await asyncio.sleep(0.005)  # let both sides settle between events
        base += await bare.round(event.seq, event.to_json())
        await asyncio.sleep(0.005)
    return lags, base


async def run_case(
    stack: Stack, ws_url: str, token: str, job_ids: list[str], case: Case, db: Any
) -> tuple[list[float], list[float], float]:
    """(API lags, bare redis-py lags, API KiB per idle socket) for one case."""
    redis = Redis.from_url(stack.redis.url)
    waiter = Waiter()
    api_pid = stack.apis[0].process.pid
    before = rss_kib(api_pid)
    subs = await connect(ws_url, token, job_ids[: case.jobs], case.sockets, waiter)
    await asyncio.sleep(1.0)  # idle: whatever the subscriptions hold is allocated by now
    per_socket = (rss_kib(api_pid) - before) / case.sockets
    bare = BareFanout(stack.redis.url, case.sockets, case.jobs)
    await bare.start()
    # This process holds both sides' clients (1,000 WebSockets, 1,000 redis-py
    # connections): a full collection over them took ~190 ms here, landing on an API round
    # or a bare one by chance and deciding a case's p99 ratio. Frozen, collections skip
    # them; neither system under test is measured with this process's GC in its figures.
    gc.collect()
    gc.freeze()
    try:
        lags, base = await play(db, redis, subs, waiter, bare)
    finally:
        gc.unfreeze()
        await asyncio.gather(*_cancel(subs), return_exceptions=True)
        await bare.stop()
        await redis.aclose()
    return lags, base, per_socket


def lag_line(case: Case, lags: list[float], base: list[float]) -> str:
    lag50, lag99 = statistics.median(lags), pct(lags, 0.99)
    base50, base99 = statistics.median(base), pct(base, 0.99)
    verdict = "met" if lag99 <= 3 * base99 else "NOT met"
    return (
        f"{case.label}: lag p50 {lag50 * 1000:.2f} ms, p99 {lag99 * 1000:.2f} ms "
        f"({len(lags)} deliveries) | bare redis-py to {case.sockets}: p50 {base50 * 1000:.2f} "
        f"ms, p99 {base99 * 1000:.2f} ms | ratio p50 {lag50 / base50:.1f}x, p99 "
        f"{lag99 / base99:.1f}x (target p99 <= 3x: {verdict})"
    )


async def main() -> None:
    # The 1,000-socket case first: its RSS growth is measured in a fresh API process (after
    # one warm-up subscription), not in memory that earlier cases' sockets freed.
    cases = [
        Case(f"{MANY} sockets on {MANY} jobs", MANY, MANY),
        Case("1 socket on 1 job", 1, 1),
        Case(f"{SOCKETS} sockets on 1 job", SOCKETS, 1),
    ]
    cases = [c for c in cases if not ONLY or c.sockets in ONLY]
    stack = await start_stack()
    engine = create_async_engine(stack.db_url)
    db = async_sessionmaker(engine, expire_on_commit=False)
    lines: list[str] = []
    try:
        api = stack.start_api()
        async with http_client(api.http) as http:
            token = await sign_up(http)
            resume_id, jd_ids = await inputs(http, token, samples_root(), 3)
            many = await make_jobs(db, await tailor(http, token, resume_id, jd_ids[0]), MANY)
            # A fresh job per one-job case: a job with a long history would make every
            # new subscription replay it.
            alone = [await tailor(http, token, resume_id, jd_ids[1])]
            crowd = [await tailor(http, token, resume_id, jd_ids[2])]
        warm_up = await connect(api.ws, token, alone, 1, Waiter())
        await asyncio.gather(*_cancel(warm_up), return_exceptions=True)
        for case in cases:
            job_ids = many if case.jobs > 1 else alone if case.sockets == 1 else crowd
            lags, base, per_socket = await run_case(stack, api.ws, token, job_ids, case, db)
            lines.append(lag_line(case, lags, base))
            if case is cases[0] and case.sockets > 1:
                lines.append(
                    f"API memory per idle socket ({case.label}): {per_socket:.1f} KiB "
                    "(RSS growth while they connect and subscribe / sockets)"
                )
    finally:
        await engine.dispose()
        stack.stop()
    for text in lines:
        print(text)


def _cancel(subs: list[Socket]) -> list[asyncio.Task[None]]:
    tasks = [s.task for s in subs if s.task is not None]
    for task in tasks:
        task.cancel()
    return tasks


if __name__ == "__main__":
    print(f"cores: {os.cpu_count()}, load average at start: {os.getloadavg()[0]:.2f}")
    asyncio.run(main())
    print(f"load average at end: {os.getloadavg()[0]:.2f} (other processes share the machine)")
