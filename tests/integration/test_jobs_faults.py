"""Faults: a worker killed mid-job, Redis restarted mid-job, a job past its maximum
duration, and a third-party subscription client."""

from __future__ import annotations

import asyncio
import datetime as dt
import signal
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest_asyncio
from gql import Client, gql
from gql.transport.websockets import WebsocketsTransport
from sqlalchemy import func, select

from app.db.models import Artifact, CreditLedgerEntry, JobEvent, TailoringJob
from app.runtime import Runtime
from app.services.sweeper import sweep
from tests.conftest import Servers
from tests.integration.conftest import LiveServer, WorkerProcesses
from tests.integration.gql_ops import JOB_PROGRESS, TAILOR
from tests.integration.live_client import LiveClient
from tests.integration.test_jobs_flow import PHASES, _shape


@pytest_asyncio.fixture
async def live(live_server: LiveServer) -> AsyncIterator[LiveClient]:
    client = LiveClient(live_server.base_url, live_server.ws_url)
    await client.sign_up()
    yield client
    await client.aclose()


async def _start(live: LiveClient, samples: Path) -> str:
    resume_id, jd_id = await live.add_pair(
        samples, "jonah-brandt-backend.md", "infrastructure-engineer-keelson.txt"
    )
    data = await live.ok(TAILOR, {"input": {"resumeId": resume_id, "jobDescriptionId": jd_id}})
    job_id: str = data["tailor"]["job"]["id"]
    return job_id


async def _counts(runtime: Runtime, job_id: str) -> tuple[int, int, list[int]]:
    jid = uuid.UUID(job_id)
    async with runtime.db() as session:
        artifacts = (
            await session.execute(
                select(func.count()).select_from(Artifact).where(Artifact.job_id == jid)
            )
        ).scalar_one()
        kinds = (
            await session.execute(
                select(func.count(func.distinct(Artifact.kind))).where(Artifact.job_id == jid)
            )
        ).scalar_one()
        seqs = list(
            (
                await session.execute(
                    select(JobEvent.seq).where(JobEvent.job_id == jid).order_by(JobEvent.seq)
                )
            ).scalars()
        )
    return int(artifacts), int(kinds), seqs


async def _phase_reached(
    runtime: Runtime, job_id: str, progress: int, timeout_s: float = 30
) -> None:
    async with asyncio.timeout(timeout_s):
        while True:
            async with runtime.db() as session:
                job = await session.get(TailoringJob, uuid.UUID(job_id))
            if job is not None and job.progress >= progress:
                return
            await asyncio.sleep(0.05)


async def test_worker_killed_mid_job_completes_exactly_once(
    live: LiveClient, workers: WorkerProcesses, samples_dir: Path, runtime: Runtime
) -> None:
    victim = workers.start(TAILOR_PIPELINE_STEP_DELAY_S="1.5")
    job_id = await _start(live, samples_dir)
    subscription = asyncio.create_task(live.subscribe(job_id, timeout_s=90))
    # ANALYZING committed, the engine at work: the local engine stores every artifact with
    # the job's completion, so a killed try leaves none and the next computes them all.
    await _phase_reached(runtime, job_id, 25)
    victim.send_signal(signal.SIGKILL)
    victim.wait()
    workers.start()  # a fresh worker picks the job up once arq's in-progress key expires
    events = await subscription
    # The invariant, whatever the timing: completed exactly once, nothing doubled. How many
    # tries it took depends on when arq's in-progress key expires on a loaded machine.
    assert _shape(events) == PHASES  # one COMPLETED event, every phase once, in order
    artifacts, kinds, seqs = await _counts(runtime, job_id)
    assert artifacts == kinds == 6  # no duplicate artifacts
    assert seqs == list(range(1, 8))  # no duplicate events
    async with runtime.db() as session:
        job = await session.get(TailoringJob, uuid.UUID(job_id))
        charged = (
            await session.execute(
                select(func.coalesce(func.sum(CreditLedgerEntry.delta), 0)).where(
                    CreditLedgerEntry.job_id == uuid.UUID(job_id)
                )
            )
        ).scalar_one()
    assert job is not None and job.status.value == "COMPLETED"
    assert job.finished_at is not None and job.attempts >= 2  # the killed try never finished
    assert charged == -runtime.settings.credits_per_job  # charged once (nothing if free)


async def test_redis_restart_mid_job_loses_nothing(
    live: LiveClient,
    workers: WorkerProcesses,
    samples_dir: Path,
    runtime: Runtime,
    servers: Servers,
) -> None:
    workers.start(TAILOR_PIPELINE_STEP_DELAY_S="0.7")
    job_id = await _start(live, samples_dir)
    subscription = asyncio.create_task(live.subscribe(job_id, timeout_s=90))
    await _phase_reached(runtime, job_id, 25)
    servers.redis.restart()  # no persistence: the queue and in-flight pub/sub are gone
    events = await subscription
    assert _shape(events) == PHASES
    assert [e["seq"] for e in events] == list(range(1, 8))


async def test_sweeper_fails_a_job_past_max_duration(
    live: LiveClient, samples_dir: Path, runtime: Runtime
) -> None:
    job_id = await _start(live, samples_dir)  # no worker runs: it stays QUEUED
    later = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=runtime.settings.job_max_duration_s + 1)
    report = await sweep(runtime, now=later)
    assert report.timed_out == [uuid.UUID(job_id)]
    events = await live.subscribe(job_id)
    assert events[-1]["status"] == "FAILED" and events[-1]["errorCode"] == "JOB_TIMEOUT"
    again = await sweep(runtime, now=later)
    assert again.timed_out == []


async def test_sweeper_requeues_a_lost_queue_entry(
    live: LiveClient, workers: WorkerProcesses, samples_dir: Path, runtime: Runtime
) -> None:
    job_id = await _start(live, samples_dir)
    await runtime.queue.flushdb()  # the queue entry is lost, the job row says QUEUED
    report = await sweep(runtime, now=dt.datetime.now(dt.UTC) + dt.timedelta(seconds=10))
    assert report.requeued == [uuid.UUID(job_id)]
    workers.start()
    events = await live.subscribe(job_id)
    assert _shape(events) == PHASES


async def test_gql_library_websocket_client(
    live: LiveClient, live_server: LiveServer, workers: WorkerProcesses, samples_dir: Path
) -> None:
    workers.start()
    job_id = await _start(live, samples_dir)
    transport = WebsocketsTransport(
        url=live_server.ws_url, init_payload={"Authorization": f"Bearer {live.token}"}
    )
    seen: list[dict[str, Any]] = []
    async with Client(transport=transport) as session:
        request = gql(JOB_PROGRESS)
        request.variable_values = {"jobId": job_id, "afterSeq": 0}
        async for result in session.subscribe(request):
            seen.append(result["jobProgress"])
    assert _shape(seen) == PHASES


async def test_cancel_a_running_job(
    live: LiveClient, workers: WorkerProcesses, samples_dir: Path, runtime: Runtime
) -> None:
    workers.start(TAILOR_PIPELINE_STEP_DELAY_S="1.0")
    job_id = await _start(live, samples_dir)
    subscription = asyncio.create_task(live.subscribe(job_id, timeout_s=60))
    await _phase_reached(runtime, job_id, 25)
    cancelled = await live.ok(
        "mutation($id: ID!) { cancelJob(jobId: $id) { status } }", {"id": job_id}
    )
    assert cancelled["cancelJob"]["status"] == "CANCELLED"
    events = await subscription
    assert events[-1]["status"] == "CANCELLED"
    assert [e["seq"] for e in events] == list(range(1, len(events) + 1))
    await asyncio.sleep(3)  # the worker would have reached the next phases by now
    _, _, seqs = await _counts(runtime, job_id)
    assert seqs == [e["seq"] for e in events]  # nothing recorded after the cancellation
    async with runtime.db() as session:
        job = await session.get(TailoringJob, uuid.UUID(job_id))
    assert job is not None and job.status.value == "CANCELLED"
