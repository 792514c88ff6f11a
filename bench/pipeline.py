"""Pipeline benchmark: end-to-end latency (tailor mutation -> COMPLETED event) and jobs/s
with the local engine and one worker; subscription delivery lag with N concurrent sockets
next to a bare redis-py publish -> receive round trip measured in the same run.

Starts its own PostgreSQL, Redis, uvicorn and worker. Run: .venv/bin/python bench/pipeline.py
"""

# ruff: noqa: ASYNC220  (a benchmark driver: starting the servers may block briefly)

from __future__ import annotations

import asyncio
import base64
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import websockets
from redis.asyncio import Redis

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from app.local_services import LocalPostgres, LocalRedis, free_port, wait_for_port  # noqa: E402
from app.migrate import upgrade_head  # noqa: E402
from tests.fixtures.make_samples import SOURCE as SAMPLES  # noqa: E402

JOBS = int(os.environ.get("BENCH_JOBS", "40"))
SOCKETS = int(os.environ.get("BENCH_SOCKETS", "50"))

SIGN_UP = 'mutation($e: String!) { signUp(email: $e, password: "bench password") { accessToken } }'
UPLOAD = "mutation($i: UploadResumeInput!) { uploadResume(input: $i) { id } }"
CREATE_JD = "mutation($i: CreateJobDescriptionInput!) { createJobDescription(input: $i) { id } }"
TAILOR = "mutation($i: TailorInput!) { tailor(input: $i) { job { id } } }"
PROGRESS = (
    "subscription($id: ID!) { jobProgress(jobId: $id, afterSeq: 0) { seq status createdAt } }"
)


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def gql(
    http: httpx.AsyncClient, token: str | None, query: str, variables: dict[str, Any]
) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    body = (
        await http.post("/graphql", json={"query": query, "variables": variables}, headers=headers)
    ).json()
    if body.get("errors"):
        raise RuntimeError(body["errors"])
    return body["data"]


async def follow(
    ws_url: str, token: str, job_id: str, on_first: Any = None
) -> list[tuple[dict[str, Any], float]]:
    """Events with their local receive time."""
    received: list[tuple[dict[str, Any], float]] = []
    async with websockets.connect(ws_url, subprotocols=["graphql-transport-ws"]) as ws:  # type: ignore[list-item]
        await ws.send(
            json.dumps({"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}})
        )
        await ws.recv()
        await ws.send(
            json.dumps(
                {
                    "id": "1",
                    "type": "subscribe",
                    "payload": {"query": PROGRESS, "variables": {"id": job_id}},
                }
            )
        )
        while True:
            message = json.loads(await ws.recv())
            if message["type"] == "next":
                received.append((message["payload"]["data"]["jobProgress"], time.time()))
                if on_first is not None and len(received) == 1:
                    on_first()
            elif message["type"] == "complete":
                return received


async def tap_loop(pubsub: Any, published: dict[int, float]) -> None:
    """Note when each event of a job channel went by on Redis."""
    while True:
        message = await pubsub.get_message(timeout=1)
        if message is not None:
            published[json.loads(message["data"])["seq"]] = time.time()


async def redis_fanout(url: str, subscribers: int, rounds: int = 50) -> list[float]:
    """Baseline: bare redis-py publish -> receive, with the same number of subscribers
    (each on its own connection, all in this process), measured per delivery."""
    pub = Redis.from_url(url)
    clients = [Redis.from_url(url) for _ in range(subscribers)]
    pubsubs = [c.pubsub(ignore_subscribe_messages=True) for c in clients]
    for ps in pubsubs:
        await ps.subscribe("bench")
    lags: list[float] = []

    async def receive(ps: Any, sent_at: float) -> None:
        while (await ps.get_message(timeout=1)) is None:
            pass
        lags.append(time.perf_counter() - sent_at)

    for _ in range(rounds):
        sent_at = time.perf_counter()
        waiting = [asyncio.create_task(receive(ps, sent_at)) for ps in pubsubs]
        await pub.publish("bench", b"x")
        await asyncio.gather(*waiting)
    for ps in pubsubs:
        await ps.aclose()
    for c in [pub, *clients]:
        await c.aclose()
    return lags


async def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="tailor-bench-"))
    os.chmod(work, 0o755)
    pg = LocalPostgres(work / "pg", free_port(), fsync=False)
    redis = LocalRedis(work / "redis", free_port())
    pg.start()
    redis.start()
    pg.create_database("bench")
    db_url = pg.database_url("bench")
    await asyncio.to_thread(upgrade_head, db_url)  # alembic runs its own event loop
    port = free_port()
    env = {
        **os.environ,
        "TAILOR_ENV": "test",
        "TAILOR_DATABASE_URL": db_url,
        "TAILOR_REDIS_URL": redis.url,
        "TAILOR_PORT": str(port),
        "TAILOR_STORAGE_ROOT": str(work / "files"),
        "TAILOR_LOG_LEVEL": "WARNING",
        "TAILOR_TAILOR_RATE_LIMIT_PER_MINUTE": "0",
    }
    procs = [
        subprocess.Popen([sys.executable, "-m", "app.cli", "serve"], env=env),
        subprocess.Popen([sys.executable, "-m", "app.cli", "worker"], env=env),
    ]
    try:
        wait_for_port(port)
        base, ws_url = f"http://127.0.0.1:{port}", f"ws://127.0.0.1:{port}/graphql"
        async with httpx.AsyncClient(base_url=base, timeout=60) as http:
            data = await gql(
                http,
                None,
                SIGN_UP,
                {"e": f"b{uuid.uuid4().hex[:8]}@example.com"},
            )
            token = data["signUp"]["accessToken"]
            resume = (SAMPLES / "resumes" / "jonah-brandt-backend.md").read_bytes()
            resume_id = (
                await gql(
                    http, token, UPLOAD, {"i": {"contentBase64": base64.b64encode(resume).decode()}}
                )
            )["uploadResume"]["id"]
            jd_text = (SAMPLES / "jobs" / "infrastructure-engineer-keelson.txt").read_text()
            jd_ids = [
                (await gql(http, token, CREATE_JD, {"i": {"text": jd_text}}))[
                    "createJobDescription"
                ]["id"]
                for _ in range(JOBS)
            ]

            # 1. End-to-end latency, one job at a time.
            latencies = []
            for jd_id in jd_ids[: JOBS // 2]:
                start = time.time()
                job_id = (
                    await gql(
                        http,
                        token,
                        TAILOR,
                        {"i": {"resumeId": resume_id, "jobDescriptionId": jd_id}},
                    )
                )["tailor"]["job"]["id"]
                events = await follow(ws_url, token, job_id)
                assert events[-1][0]["status"] == "COMPLETED"
                latencies.append(events[-1][1] - start)

            # 2. Throughput: the rest submitted at once, one worker.
            start = time.time()
            ids = [
                (
                    await gql(
                        http,
                        token,
                        TAILOR,
                        {"i": {"resumeId": resume_id, "jobDescriptionId": jd_id}},
                    )
                )["tailor"]["job"]["id"]
                for jd_id in jd_ids[JOBS // 2 :]
            ]
            await asyncio.gather(*(follow(ws_url, token, j) for j in ids))
            throughput = len(ids) / (time.time() - start)

            # 3. Delivery lag: sockets follow one job from before it starts; lag = receive
            #    time - the event's createdAt (stamped just before its commit and publish).
            lag_runs: dict[int, list[float]] = {}
            commit_lags: dict[int, list[float]] = {}
            for sockets in sorted({1, SOCKETS}):
                procs[-1].terminate()  # no worker while the sockets connect
                procs[-1].wait(timeout=15)
                extra_jd = (await gql(http, token, CREATE_JD, {"i": {"text": jd_text}}))[
                    "createJobDescription"
                ]["id"]
                job_id = (
                    await gql(
                        http,
                        token,
                        TAILOR,
                        {"i": {"resumeId": resume_id, "jobDescriptionId": extra_jd}},
                    )
                )["tailor"]["job"]["id"]
                ready = asyncio.Event()
                connected = [0]

                def on_first(
                    n: int = sockets, count: list[int] = connected, done: asyncio.Event = ready
                ) -> None:
                    count[0] += 1
                    if count[0] == n:
                        done.set()

                tasks = [
                    asyncio.create_task(follow(ws_url, token, job_id, on_first))
                    for _ in range(sockets)
                ]
                await ready.wait()  # every socket has the QUEUED event: now run the job
                # A bare redis-py subscriber on the job's channel marks when each event was
                # published (its receive time, less half the bare round trip), so the lag
                # below is publish -> WebSocket client, not commit -> client.
                tap = Redis.from_url(redis.url)
                tap_sub = tap.pubsub(ignore_subscribe_messages=True)
                await tap_sub.subscribe(f"job:{job_id}")
                published: dict[int, float] = {}

                tapper = asyncio.create_task(tap_loop(tap_sub, published))
                procs.append(subprocess.Popen([sys.executable, "-m", "app.cli", "worker"], env=env))
                streams = await asyncio.gather(*tasks)
                tapper.cancel()
                await tap_sub.aclose()
                await tap.aclose()
                commit_lags[sockets] = [
                    received - dt_from(event["createdAt"])
                    for stream in streams
                    for event, received in stream
                    if event["seq"] > 1
                ]
                lag_runs[sockets] = [
                    received - published[event["seq"]]
                    for stream in streams
                    for event, received in stream
                    if event["seq"] in published
                ]
        p50, p99 = statistics.median(latencies), pct(latencies, 0.99)
        print(
            f"end-to-end latency (mutation -> COMPLETED), {len(latencies)} jobs: "
            f"p50 {p50 * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms"
        )
        print(f"throughput, 1 worker, local engine: {throughput:.1f} jobs/s")
        for sockets, tapped in lag_runs.items():
            baseline = await redis_fanout(redis.url, sockets)
            base50, base99 = statistics.median(baseline), pct(baseline, 0.99)
            single = statistics.median(await redis_fanout(redis.url, 1))
            lags = [lag + single / 2 for lag in tapped]
            lag50, lag99 = statistics.median(lags), pct(lags, 0.99)
            commit = commit_lags[sockets]
            print(
                f"event commit -> client, {sockets} socket(s): p50 "
                f"{statistics.median(commit) * 1000:.2f} ms, p99 {pct(commit, 0.99) * 1000:.2f} ms"
            )
            print(
                f"subscription delivery lag (publish -> client), {sockets} socket(s): "
                f"p50 {lag50 * 1000:.2f} ms, "
                f"p99 {lag99 * 1000:.2f} ms | bare redis-py fan-out to {sockets}: "
                f"p50 {base50 * 1000:.2f} ms, p99 {base99 * 1000:.2f} ms | "
                f"ratio p50 {lag50 / base50:.1f}x, p99 {lag99 / base99:.1f}x (target <= 3x)"
            )
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            p.wait(timeout=15)
        redis.stop()
        pg.stop()


def dt_from(iso: str) -> float:
    import datetime as dt

    return dt.datetime.fromisoformat(iso).timestamp()


if __name__ == "__main__":
    asyncio.run(main())
