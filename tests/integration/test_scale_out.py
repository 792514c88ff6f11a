"""Scale-out: two API processes and two worker processes on one Redis and one Postgres.

A client subscribed on API process A follows jobs submitted through B and run by either
worker; killing a worker (SIGKILL) or the API process a client is subscribed on loses
nothing: every job completes once, every event arrives once and in order.
"""

from __future__ import annotations

import asyncio
import json
import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import websockets
from sqlalchemy import func, select

from app.db.models import Artifact, JobEvent, TailoringJob
from app.local_services import free_port, wait_for_port
from app.runtime import Runtime
from tests.conftest import Servers
from tests.integration.conftest import WorkerProcesses
from tests.integration.gql_ops import JOB_PROGRESS, TAILOR
from tests.integration.live_client import LiveClient
from tests.integration.test_jobs_flow import PHASES, _shape


@dataclass
class ApiProcess:
    process: subprocess.Popen[bytes]
    base_url: str
    ws_url: str


@pytest.fixture
def apis(servers: Servers, workers: WorkerProcesses) -> Iterator[list[ApiProcess]]:
    """Two `tailor serve` processes with the workers' settings (same secrets, same stores)."""
    started: list[ApiProcess] = []
    try:
        for _ in range(2):
            port = free_port()
            env = {
                **workers.env,
                "TAILOR_PORT": str(port),
                "TAILOR_PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
            }
            process = subprocess.Popen([sys.executable, "-m", "app.cli", "serve"], env=env)
            started.append(
                ApiProcess(process, f"http://127.0.0.1:{port}", f"ws://127.0.0.1:{port}/graphql")
            )
        for api in started:
            wait_for_port(int(api.base_url.rsplit(":", 1)[1]), timeout_s=120)
        yield started
    finally:
        for api in started:
            if api.process.poll() is None:
                api.process.terminate()
        for api in started:
            api.process.wait(timeout=15)


async def _follow(ws_url: str, token: str, job_id: str, after_seq: int, seen: list[Any]) -> None:
    """Append every event to `seen` as it arrives; return when the server completes."""
    async with websockets.connect(ws_url, subprotocols=["graphql-transport-ws"]) as ws:  # type: ignore[list-item]
        init = {"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}}
        await ws.send(json.dumps(init))
        assert json.loads(await ws.recv())["type"] == "connection_ack"
        variables = {"jobId": job_id, "afterSeq": after_seq}
        payload = {"query": JOB_PROGRESS, "variables": variables}
        await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": payload}))
        while True:
            message = json.loads(await ws.recv())
            if message["type"] == "complete":
                return
            assert message["type"] == "next" and not message["payload"].get("errors"), message
            seen.append(message["payload"]["data"]["jobProgress"])


async def _follow_across(
    urls: list[str], token: str, job_id: str, seen: list[Any], timeout_s: float = 120
) -> None:
    """Follow on the first API process; if it dies, resume on the next from the last seq."""
    async with asyncio.timeout(timeout_s):
        for url in urls:
            try:
                await _follow(url, token, job_id, seen[-1]["seq"] if seen else 0, seen)
                return
            except (websockets.ConnectionClosed, OSError):
                continue
    raise AssertionError("no API process finished the subscription")


class Stream(list[Any]):
    """The events a client received; `running` is set once the job is RUNNING."""

    def __init__(self) -> None:
        super().__init__()
        self.running = asyncio.Event()

    def append(self, event: Any) -> None:
        super().append(event)
        if event["status"] == "RUNNING":
            self.running.set()


async def _exactly_once(runtime: Runtime, job_id: str) -> None:
    jid = uuid.UUID(job_id)
    async with runtime.db() as session:
        job = await session.get(TailoringJob, jid)
        artifacts = (
            await session.execute(
                select(func.count(), func.count(func.distinct(Artifact.kind))).where(
                    Artifact.job_id == jid
                )
            )
        ).one()
        seqs = list(
            (
                await session.execute(
                    select(JobEvent.seq).where(JobEvent.job_id == jid).order_by(JobEvent.seq)
                )
            ).scalars()
        )
    assert job is not None and job.status.value == "COMPLETED"
    assert artifacts[0] == artifacts[1] == 6  # one of each kind
    assert seqs == list(range(1, 8))


async def _submit(client: LiveClient, samples: Path, pairs: list[tuple[str, str]]) -> list[str]:
    ids = []
    for resume, posting in pairs:
        resume_id, jd_id = await client.add_pair(samples, resume, posting)
        data = await client.ok(
            TAILOR, {"input": {"resumeId": resume_id, "jobDescriptionId": jd_id}}
        )
        ids.append(data["tailor"]["job"]["id"])
    return ids


PAIRS = [
    ("jonah-brandt-backend.md", "infrastructure-engineer-keelson.txt"),
    ("ines-carvalho-data.txt", "data-scientist-fernway.txt"),
    ("jonah-brandt-backend.md", "data-scientist-fernway.txt"),
    ("ines-carvalho-data.txt", "infrastructure-engineer-keelson.txt"),
]


async def test_subscriber_on_a_follows_jobs_submitted_through_b(
    apis: list[ApiProcess], workers: WorkerProcesses, samples_dir: Path, runtime: Runtime
) -> None:
    a, b = apis
    workers.start()
    workers.start()
    through_b = LiveClient(b.base_url, b.ws_url)
    try:
        await through_b.sign_up()
        assert through_b.token is not None
        job_ids = await _submit(through_b, samples_dir, PAIRS)
        streams: list[list[Any]] = [[] for _ in job_ids]
        await asyncio.gather(
            *(
                _follow_across([a.ws_url], through_b.token, job_id, seen)
                for job_id, seen in zip(job_ids, streams, strict=True)
            )
        )
    finally:
        await through_b.aclose()
    for job_id, seen in zip(job_ids, streams, strict=True):
        assert _shape(seen) == PHASES
        await _exactly_once(runtime, job_id)


async def test_killing_a_worker_and_an_api_process_loses_nothing(
    apis: list[ApiProcess], workers: WorkerProcesses, samples_dir: Path, runtime: Runtime
) -> None:
    a, b = apis
    victim = workers.start(TAILOR_PIPELINE_STEP_DELAY_S="0.6")
    through_b = LiveClient(b.base_url, b.ws_url)
    try:
        await through_b.sign_up()
        assert through_b.token is not None
        job_ids = await _submit(through_b, samples_dir, PAIRS[:2])
        streams = [Stream() for _ in job_ids]
        followers = [
            asyncio.create_task(_follow_across([a.ws_url, b.ws_url], through_b.token, j, s))
            for j, s in zip(job_ids, streams, strict=True)
        ]
        # Every job is running on the victim (its only worker so far, running several jobs
        # at once) and clients on A have seen it: kill the worker, start the survivor, then
        # kill API A.
        async with asyncio.timeout(60):
            for stream in streams:
                await stream.running.wait()
        victim.send_signal(signal.SIGKILL)
        victim.wait()
        workers.start()
        a.process.send_signal(signal.SIGKILL)
        a.process.wait()
        await asyncio.gather(*followers)
    finally:
        await through_b.aclose()
    for job_id, seen in zip(job_ids, streams, strict=True):
        assert _shape(seen) == PHASES  # each event once, in order, across both API processes
        await _exactly_once(runtime, job_id)
