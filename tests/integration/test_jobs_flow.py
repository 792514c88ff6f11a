"""Tailoring jobs end to end: GraphQL over HTTP and WebSocket, a real worker process,
real Redis and Postgres."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest_asyncio

from tests.integration.conftest import LiveServer, WorkerProcesses
from tests.integration.gql_ops import JOB_RESULT, TAILOR
from tests.integration.live_client import LiveClient

PHASES = [
    ("QUEUED", "QUEUED", 0),
    ("RUNNING", "PARSING", 5),
    ("RUNNING", "ANALYZING", 25),
    ("RUNNING", "GENERATING", 50),
    ("RUNNING", "WRITING_COVER_LETTER", 70),
    ("RUNNING", "EVALUATING", 95),
    ("COMPLETED", "DONE", 100),
]


@pytest_asyncio.fixture
async def live(live_server: LiveServer) -> AsyncIterator[LiveClient]:
    client = LiveClient(live_server.base_url, live_server.ws_url)
    await client.sign_up()
    yield client
    await client.aclose()


def _shape(events: list[dict[str, Any]]) -> list[tuple[str, str, int]]:
    return [(e["status"], e["phase"], e["progress"]) for e in events]


async def _tailor(live: LiveClient, resume_id: str, jd_id: str, **extra: Any) -> dict[str, Any]:
    data = await live.ok(
        TAILOR, {"input": {"resumeId": resume_id, "jobDescriptionId": jd_id, **extra}}
    )
    payload: dict[str, Any] = data["tailor"]
    return payload


async def test_full_flow_every_phase_in_order_exactly_once(
    live: LiveClient, workers: WorkerProcesses, samples_dir: Path
) -> None:
    resume_id, jd_id = await live.add_pair(
        samples_dir, "alex-rivera-backend.md", "platform-engineer-orbital.txt"
    )
    payload = await _tailor(live, resume_id, jd_id)
    assert payload["cached"] is False and payload["job"]["status"] == "QUEUED"
    job_id = payload["job"]["id"]
    subscription = asyncio.create_task(live.subscribe(job_id))
    workers.start()
    events = await subscription
    assert _shape(events) == PHASES
    assert [e["seq"] for e in events] == list(range(1, 8))

    job = (await live.ok(JOB_RESULT, {"id": job_id}))["job"]
    assert job["status"] == "COMPLETED" and job["attempts"] == 1
    result = job["result"]
    assert "Lumen Freight" in result["tailoredResume"]["markdown"]
    assert "Orbital Payments" in result["coverLetter"]["markdown"]
    assert result["atsAfter"]["score"] >= result["atsBefore"]["score"]
    assert result["plan"] and result["diff"] and result["interviewPrep"] and result["formData"]

    late = await live.subscribe(job_id)  # a late subscriber gets the whole history
    assert _shape(late) == PHASES
    resumed = await live.subscribe(job_id, after_seq=4)
    assert [e["seq"] for e in resumed] == [5, 6, 7]
