"""The processes and the client of a chaos run (bench/chaos.py): PostgreSQL, Redis, the API
and workers as real processes, and a driver that submits work through the API."""

from __future__ import annotations

import asyncio
import functools
import json
import os
import random
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import websockets
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from app.local_services import LocalPostgres, LocalRedis, free_port, wait_for_port  # noqa: E402
from app.migrate import upgrade_head  # noqa: E402

TERMINAL = ("COMPLETED", "FAILED", "CANCELLED")
RESUME = """# Mara Okafor
mara.okafor@example.com | Oakland, CA

## Experience
### Senior Software Engineer, Tidewater Freight (2020-03 to present)
- Cut invoice reconciliation time 40% with event-driven Python services
- Ran PostgreSQL and Redis for 30 services on Kubernetes

## Skills
Python, Go, PostgreSQL, Redis, Kubernetes, Terraform, AWS
"""
POSTING = """Senior Backend Engineer
{company} - Remote

Requirements
- 5+ years of Python
- PostgreSQL and Redis in production
- Kubernetes

Nice to have
- Terraform
"""
TAILOR = "mutation($i: TailorInput!) { tailor(input: $i) { job { id } } }"
ACCEPT = (
    "mutation($j: ID!) { accept(jobId: $j, "
    "input: {applyAll: true, exportFormats: [MARKDOWN]}) { id } }"
)
PROGRESS = "subscription($j: ID!) { jobProgress(jobId: $j, afterSeq: 0) { seq status } }"


@dataclass
class ChaosConfig:
    jobs: int = 500
    workers: int = 2
    kills: int = 5
    redis_restarts: int = 1
    postgres_restarts: int = 1
    users: int = 10
    subscribed: int = 20
    concurrency: int = 16
    settle_timeout_s: float = 600.0
    seed: int = 7


class Stack:
    """Postgres, Redis, one API and N workers, each a real process."""

    def __init__(self, work: Path, workers: int) -> None:
        work.mkdir(parents=True, exist_ok=True)
        os.chmod(work, 0o755)
        self.postgres = LocalPostgres(work / "pg", free_port(), fsync=False)
        self.redis = LocalRedis(work / "redis", free_port())
        self.api_port = free_port()
        self.env: dict[str, str] = {}
        self.worker_count = workers
        self.workers: list[subprocess.Popen[bytes]] = []
        self.api: subprocess.Popen[bytes] | None = None
        self.work = work

    def start(self) -> None:
        self.postgres.start()
        self.redis.start()
        self.postgres.create_database("chaos")
        url = self.postgres.database_url("chaos")
        upgrade_head(url)
        self.env = {
            **os.environ,
            "TAILOR_ENV": "test",
            "TAILOR_DATABASE_URL": url,
            "TAILOR_REDIS_URL": self.redis.url,
            "TAILOR_PORT": str(self.api_port),
            "TAILOR_PUBLIC_BASE_URL": f"http://127.0.0.1:{self.api_port}",
            "TAILOR_STORAGE_ROOT": str(self.work / "files"),
            "TAILOR_JWT_SECRET": "chaos-secret-" + "x" * 40,
            "TAILOR_STORAGE_SIGNING_SECRET": "chaos-signing-" + "y" * 40,
            "TAILOR_LOG_LEVEL": "ERROR",
            "TAILOR_TAILOR_RATE_LIMIT_PER_MINUTE": "0",
            "TAILOR_UPLOAD_RATE_LIMIT_PER_MINUTE": "0",
            "TAILOR_SIGN_IN_LIMIT_PER_IP": "100000",
            "TAILOR_JOB_TIMEOUT_S": "120",
            "TAILOR_SWEEP_INTERVAL_S": "2",
            "TAILOR_WORKER_HEARTBEAT_S": "1",
            "TAILOR_PIPELINE_STEP_DELAY_S": "0.05",
        }
        cli = [sys.executable, "-m", "app.cli"]
        self.api = subprocess.Popen([*cli, "serve"], env=self.env, cwd=REPO)
        for _ in range(self.worker_count):
            self.start_worker()
        wait_for_port(self.api_port, timeout_s=180)  # a loaded machine starts slowly

    def start_worker(self) -> None:
        cli = [sys.executable, "-m", "app.cli", "worker"]
        self.workers.append(subprocess.Popen(cli, env=self.env, cwd=REPO))

    def kill_worker(self, rng: random.Random) -> None:
        """SIGKILL a random live worker and start a replacement."""
        alive = [w for w in self.workers if w.poll() is None]
        victim = rng.choice(alive)
        victim.send_signal(signal.SIGKILL)
        victim.wait()
        self.workers.remove(victim)
        self.start_worker()

    def restart_postgres(self) -> None:
        self.postgres.stop()
        self.postgres.start()

    def stop(self) -> None:
        for process in [*self.workers, *([self.api] if self.api else [])]:
            if process.poll() is None:
                process.terminate()
        for process in [*self.workers, *([self.api] if self.api else [])]:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
        self.redis.stop()
        self.postgres.stop()


class Driver:
    """Submits the work through the API and audits the database afterwards."""

    def __init__(self, stack: Stack, config: ChaosConfig) -> None:
        self.stack = stack
        self.config = config
        self.http = httpx.AsyncClient(base_url=f"http://127.0.0.1:{stack.api_port}", timeout=60)
        self.engine: AsyncEngine = create_async_engine(
            stack.env["TAILOR_DATABASE_URL"], pool_pre_ping=True
        )
        self.errors: dict[str, int] = {}
        self.job_ids: list[str] = []
        self.accepted: set[str] = set()
        self.received: dict[str, list[int]] = {}
        self.owners: dict[str, str] = {}  # job id -> its owner's token
        self.followers: list[asyncio.Task[None]] = []

    async def gql(self, query: str, variables: dict[str, Any], token: str) -> dict[str, Any]:
        """One operation, retried on transient failures (the servers are being restarted)."""
        for attempt in range(60):
            try:
                response = await self.http.post(
                    "/graphql",
                    json={"query": query, "variables": variables},
                    headers={"Authorization": f"Bearer {token}"} if token else {},
                )
                body: dict[str, Any] = response.json()
            except (httpx.HTTPError, ValueError):
                await asyncio.sleep(min(5.0, 0.2 * (attempt + 1)))
                continue
            codes = [(e.get("extensions") or {}).get("code") for e in body.get("errors") or []]
            for code in codes:
                self.errors[str(code)] = self.errors.get(str(code), 0) + 1
            if "SERVICE_UNAVAILABLE" in codes or "INTERNAL_ERROR" in codes:
                await asyncio.sleep(min(5.0, 0.2 * (attempt + 1)))
                continue
            return body
        raise RuntimeError(f"gave up on {query[:40]}")

    async def sign_up(self) -> str:
        body = await self.gql(
            'mutation($e: String!) { signUp(email: $e, password: "chaos password 1") '
            "{ accessToken } }",
            {"e": f"chaos-{uuid.uuid4().hex[:10]}@example.com"},
            "",
        )
        token: str = body["data"]["signUp"]["accessToken"]
        return token

    async def submit(self, token: str, resume_id: str, n: int) -> str | None:
        posting = POSTING.format(company=f"Harbor {n} Analytics")
        jd = await self.gql(
            "mutation($t: String!) { createJobDescription(input: {text: $t}) { id } }",
            {"t": posting},
            token,
        )
        if not jd.get("data"):
            return None
        tailored = await self.gql(
            TAILOR,
            {
                "i": {
                    "resumeId": resume_id,
                    "jobDescriptionId": jd["data"]["createJobDescription"]["id"],
                }
            },
            token,
        )
        return tailored["data"]["tailor"]["job"]["id"] if tailored.get("data") else None

    async def submit_all(self) -> None:
        """Every job, concurrently (bounded); the first few are followed live."""
        tokens = [await self.sign_up() for _ in range(self.config.users)]
        resumes = []
        for token in tokens:
            up = await self.gql(
                "mutation($t: String!) { uploadResume(input: {text: $t}) { id } }",
                {"t": RESUME},
                token,
            )
            resumes.append(up["data"]["uploadResume"]["id"])
        gate = asyncio.Semaphore(self.config.concurrency)

        async def one(n: int) -> None:
            async with gate:
                who = n % len(tokens)
                job_id = await self.submit(tokens[who], resumes[who], n)
                if job_id:
                    self.owners[job_id] = tokens[who]
                    self.job_ids.append(job_id)
                    if len(self.followers) < self.config.subscribed:
                        follow = self.subscribe(job_id, tokens[who])
                        self.followers.append(asyncio.create_task(follow))

        await asyncio.gather(*(one(n) for n in range(self.config.jobs)))

    async def subscribe(self, job_id: str, token: str) -> None:
        """Follow one job live; reconnect (afterSeq = last seen) when the socket drops."""
        seen = self.received.setdefault(job_id, [])
        url = f"ws://127.0.0.1:{self.stack.api_port}/graphql"
        while True:
            try:
                async with websockets.connect(url, subprotocols=["graphql-transport-ws"]) as ws:  # type: ignore[list-item]
                    await ws.send(
                        json.dumps(
                            {
                                "type": "connection_init",
                                "payload": {"Authorization": f"Bearer {token}"},
                            }
                        )
                    )
                    if json.loads(await ws.recv())["type"] != "connection_ack":
                        raise ConnectionError("not acknowledged")
                    after = max(seen, default=0)
                    query = PROGRESS.replace("afterSeq: 0", f"afterSeq: {after}")
                    await ws.send(
                        json.dumps(
                            {
                                "id": "1",
                                "type": "subscribe",
                                "payload": {"query": query, "variables": {"j": job_id}},
                            }
                        )
                    )
                    while True:
                        message = json.loads(await ws.recv())
                        if message["type"] == "complete":
                            return
                        data = (message.get("payload") or {}).get("data") or {}
                        event = data.get("jobProgress")
                        if event:
                            seen.append(event["seq"])
                            if event["status"] in TERMINAL:
                                return
                        elif message["type"] in ("error", "next"):
                            raise ConnectionError(str(message)[:200])
            except (OSError, ConnectionError, websockets.WebSocketException):
                await asyncio.sleep(0.5)

    async def rows(self, sql: str) -> list[Any]:
        for _ in range(60):
            try:
                async with self.engine.connect() as conn:
                    return list((await conn.execute(text(sql))).all())
            except Exception:  # Postgres restarting: try again
                await asyncio.sleep(1)
        raise RuntimeError("database unreachable")

    async def terminal_fraction(self) -> float:
        if not self.job_ids:
            return 0.0
        done = await self.rows(
            "SELECT count(*) FROM tailoring_jobs WHERE status IN ('COMPLETED','FAILED','CANCELLED')"
        )
        return float(done[0][0]) / max(1, self.config.jobs)

    async def accept_completed(self, stop: asyncio.Event) -> None:
        """Accept every completed job once, with one export format (two files)."""
        gate = asyncio.Semaphore(self.config.concurrency)

        async def one(job_id: str) -> None:
            async with gate:
                body = await self.gql(ACCEPT, {"j": job_id}, self.owners[job_id])
                if body.get("data"):
                    self.accepted.add(job_id)

        while not stop.is_set():
            done = await self.rows("SELECT id FROM tailoring_jobs WHERE status = 'COMPLETED'")
            todo = [str(r[0]) for r in done if str(r[0]) not in self.accepted]
            todo = [j for j in todo if j in self.owners]
            await asyncio.gather(*(one(j) for j in todo))
            await asyncio.sleep(0.5)

    async def unleash(self, rng: random.Random) -> dict[str, int]:
        """Kills and restarts, spread over the run by progress (so all hit live work)."""
        plan = ["kill"] * self.config.kills
        plan += ["redis"] * self.config.redis_restarts + [
            "postgres"
        ] * self.config.postgres_restarts
        rng.shuffle(plan)
        done = {"worker_kills": 0, "redis_restarts": 0, "postgres_restarts": 0}
        for i, what in enumerate(plan):
            target = (i + 1) / (len(plan) + 1)
            await self.until(functools.partial(self.reached, target), 0.3, float("inf"))
            if what == "kill":
                await asyncio.to_thread(self.stack.kill_worker, rng)
                done["worker_kills"] += 1
            elif what == "redis":
                await asyncio.to_thread(self.stack.redis.restart)
                done["redis_restarts"] += 1
            else:
                await asyncio.to_thread(self.stack.restart_postgres)
                done["postgres_restarts"] += 1
        return done

    async def reached(self, fraction: float) -> bool:
        return await self.terminal_fraction() >= fraction

    @staticmethod
    async def until(
        condition: Callable[[], Awaitable[bool]], every_s: float, timeout_s: float
    ) -> bool:
        """Poll `condition` until it holds or `timeout_s` passes."""
        deadline = time.monotonic() + timeout_s
        while True:
            if await condition():
                return True
            if time.monotonic() >= deadline:
                return False
            await asyncio.sleep(every_s)

    async def settled(self) -> bool:
        open_jobs = await self.rows(
            "SELECT count(*) FROM tailoring_jobs "
            "WHERE status NOT IN ('COMPLETED','FAILED','CANCELLED')"
        )
        completed = await self.rows(
            "SELECT count(*) FROM tailoring_jobs WHERE status = 'COMPLETED'"
        )
        pending = await self.rows("SELECT count(*) FROM exports WHERE status = 'PENDING'")
        accepted_all = len(self.accepted) >= int(completed[0][0])
        return int(open_jobs[0][0]) == 0 and accepted_all and int(pending[0][0]) == 0
