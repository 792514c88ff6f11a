"""Real worker processes: their metrics can be scraped, and a job whose worker was killed
is picked up by another within seconds (a heartbeat), not after arq's 310 s."""

from __future__ import annotations

import asyncio
import signal
import uuid
from typing import Any

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from app.db.models import TailoringJob
from app.db.models.enums import JobStatus
from app.local_services import free_port
from app.runtime import Runtime
from tests.integration.conftest import GraphQLClient, WorkerProcesses
from tests.integration.hardening_support import ACCEPT, CREATE_JD, JOB_TEXT, RESUME_TEXT, UPLOAD

TAILOR = "mutation($i: TailorInput!) { tailor(input: $i) { job { id } } }"
POLL_S = 0.2


async def _submit(client: GraphQLClient) -> uuid.UUID:
    resume = (await client.ok(UPLOAD, {"i": {"text": RESUME_TEXT}}))["uploadResume"]["id"]
    jd = (await client.ok(CREATE_JD, {"i": {"text": JOB_TEXT}}))["createJobDescription"]["id"]
    job = await client.ok(TAILOR, {"i": {"resumeId": resume, "jobDescriptionId": jd}})
    return uuid.UUID(job["tailor"]["job"]["id"])


async def _job(runtime: Runtime, job_id: uuid.UUID) -> TailoringJob:
    async with runtime.db() as session:
        row = await session.get(TailoringJob, job_id)
    assert row is not None
    return row


async def _wait_for_status(runtime: Runtime, job_id: uuid.UUID, status: JobStatus) -> None:
    while True:
        if (await _job(runtime, job_id)).status is status:
            return
        await asyncio.sleep(POLL_S)


def _samples(text: str, name: str) -> dict[tuple[tuple[str, str], ...], float]:
    found: dict[tuple[tuple[str, str], ...], float] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name:
                found[tuple(sorted(sample.labels.items()))] = sample.value
    return found


async def _scrape_until(port: int, name: str, labels: dict[str, str]) -> float:
    """The sample's value once the worker's scrape shows it (a counter lands just after
    the row it counts is committed)."""
    key = tuple(sorted(labels.items()))
    async with httpx.AsyncClient() as http:
        while True:
            body = (await http.get(f"http://127.0.0.1:{port}/metrics")).text
            value = _samples(body, name).get(key, 0.0)
            if value > 0:
                return value
            await asyncio.sleep(POLL_S)


@pytest.mark.timeout(120)
async def test_jobs_and_exports_run_by_a_worker_show_up_in_its_scrape(
    client: GraphQLClient, user: tuple[str, str], runtime: Runtime, workers: WorkerProcesses
) -> None:
    port = free_port()
    workers.start(TAILOR_WORKER_METRICS_PORT=str(port))
    job_id = await _submit(client)
    await _wait_for_status(runtime, job_id, JobStatus.COMPLETED)
    completed = {"status": "COMPLETED"}
    assert await _scrape_until(port, "tailor_jobs_finished_total", completed) == 1.0
    assert await _scrape_until(port, "tailor_job_seconds_count", {"engine": "local"}) == 1.0

    await client.ok(ACCEPT, {"j": str(job_id), "i": {"applyAll": True, "exportFormats": ["TEXT"]}})
    ready = {"format": "TEXT", "status": "READY"}
    assert await _scrape_until(port, "tailor_exports_finished_total", ready) >= 1.0


@pytest.mark.timeout(150)
async def test_a_killed_workers_job_is_taken_over_within_seconds(
    client: GraphQLClient, user: tuple[str, str], runtime: Runtime, workers: WorkerProcesses
) -> None:
    # A long arq timeout (in-progress key TTL 310 s without the heartbeat) and a slow job.
    slow: dict[str, Any] = {
        "TAILOR_JOB_TIMEOUT_S": "300",
        "TAILOR_PIPELINE_STEP_DELAY_S": "1.0",
        "TAILOR_WORKER_HEARTBEAT_S": "1",
    }
    first = workers.start(**slow)
    job_id = await _submit(client)
    await _wait_for_status(runtime, job_id, JobStatus.RUNNING)
    first.send_signal(signal.SIGKILL)
    first.wait()
    workers.start(**slow)
    # Well inside the test's timeout only if the dead worker's claim expired in seconds.
    await _wait_for_status(runtime, job_id, JobStatus.COMPLETED)
    assert (await _job(runtime, job_id)).attempts >= 2
