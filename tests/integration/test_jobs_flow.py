"""Tailoring jobs end to end: GraphQL over HTTP and WebSocket, a real worker process,
real Redis and Postgres."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
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
        samples_dir, "jonah-brandt-backend.md", "infrastructure-engineer-keelson.txt"
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
    assert "Quarry Logistics" in result["tailoredResume"]["markdown"]
    assert "Keelson Bank" in result["coverLetter"]["markdown"]
    assert result["atsAfter"]["score"] >= result["atsBefore"]["score"]
    assert result["plan"] and result["diff"] and result["interviewPrep"] and result["formData"]

    late = await live.subscribe(job_id)  # a late subscriber gets the whole history
    assert _shape(late) == PHASES
    resumed = await live.subscribe(job_id, after_seq=4)
    assert [e["seq"] for e in resumed] == [5, 6, 7]


async def _wait_status(
    live: LiveClient, job_id: str, status: str, timeout_s: float = 60
) -> dict[str, Any]:
    async with asyncio.timeout(timeout_s):
        while True:
            job = (await live.ok(JOB_RESULT, {"id": job_id}))["job"]
            if job["status"] == status:
                return dict(job)
            await asyncio.sleep(0.1)


async def test_idempotent_client_request_id_under_concurrency(
    live: LiveClient, samples_dir: Path, runtime: Any
) -> None:
    resume_id, jd_id = await live.add_pair(
        samples_dir, "ines-carvalho-data.txt", "data-scientist-fernway.txt"
    )
    calls = [_tailor(live, resume_id, jd_id, clientRequestId="click-1") for _ in range(20)]
    payloads = await asyncio.gather(*calls)
    assert len({p["job"]["id"] for p in payloads}) == 1
    assert await _job_count(runtime) == 1
    assert await runtime.queue.zcard("arq:queue") == 1  # enqueued once


async def test_one_active_job_per_inputs_under_concurrency(
    live: LiveClient, samples_dir: Path, runtime: Any
) -> None:
    resume_id, jd_id = await live.add_pair(
        samples_dir, "ines-carvalho-data.txt", "data-scientist-fernway.txt"
    )
    bodies = await asyncio.gather(
        *[
            live.run(
                TAILOR,
                {"input": {"resumeId": resume_id, "jobDescriptionId": jd_id, "regenerate": True}},
            )
            for _ in range(10)
        ]
    )
    winners = [b for b in bodies if not b.get("errors")]
    losers = [b["errors"][0]["extensions"]["code"] for b in bodies if b.get("errors")]
    assert len(winners) == 1
    assert losers == ["JOB_ALREADY_ACTIVE"] * 9
    assert await _job_count(runtime) == 1


async def _job_count(runtime: Any) -> int:
    from sqlalchemy import func, select

    from app.db.models import TailoringJob

    async with runtime.db() as session:
        return int(
            (await session.execute(select(func.count()).select_from(TailoringJob))).scalar_one()
        )


async def test_cached_result_and_regenerate(
    live: LiveClient, workers: WorkerProcesses, samples_dir: Path
) -> None:
    workers.start()
    resume_id, jd_id = await live.add_pair(
        samples_dir, "jonah-brandt-backend.md", "data-scientist-fernway.txt"
    )
    first = await _tailor(live, resume_id, jd_id)
    job_id = first["job"]["id"]
    await _wait_status(live, job_id, "COMPLETED")
    again = await _tailor(live, resume_id, jd_id)
    assert again["cached"] is True and again["job"]["id"] == job_id
    other_strategy = await _tailor(live, resume_id, jd_id, strategy="CONSERVATIVE")
    assert other_strategy["cached"] is False and other_strategy["job"]["id"] != job_id
    await _wait_status(live, other_strategy["job"]["id"], "COMPLETED")  # one active at a time

    regenerated = (
        await live.ok(
            "mutation($id: ID!) { regenerate(jobId: $id) { cached job { id status } } }",
            {"id": job_id},
        )
    )["regenerate"]
    assert regenerated["cached"] is False and regenerated["job"]["id"] != job_id
    done = await _wait_status(live, regenerated["job"]["id"], "COMPLETED")
    assert done["result"]["tailoredResume"]["markdown"]


async def test_cancel_a_queued_job(live: LiveClient, samples_dir: Path) -> None:
    resume_id, jd_id = await live.add_pair(
        samples_dir, "jonah-brandt-backend.md", "infrastructure-engineer-keelson.txt"
    )
    job_id = (await _tailor(live, resume_id, jd_id))["job"]["id"]
    cancelled = await live.ok(
        "mutation($id: ID!) { cancelJob(jobId: $id) { status } }", {"id": job_id}
    )
    assert cancelled["cancelJob"]["status"] == "CANCELLED"
    events = await live.subscribe(job_id)
    assert _shape(events) == [("QUEUED", "QUEUED", 0), ("CANCELLED", "QUEUED", 0)]
    body = await live.run("mutation($id: ID!) { cancelJob(jobId: $id) { status } }", {"id": job_id})
    assert not body.get("errors")  # cancelling twice is harmless
    # The slot is free again: a new job for the same inputs is accepted.
    assert (await _tailor(live, resume_id, jd_id))["job"]["status"] == "QUEUED"


async def test_bad_tailor_input_creates_nothing(
    live: LiveClient, samples_dir: Path, runtime: Any
) -> None:
    resume_id, jd_id = await live.add_pair(
        samples_dir, "jonah-brandt-backend.md", "infrastructure-engineer-keelson.txt"
    )
    other = LiveClient(live.base_url, live.ws_url)
    await other.sign_up()
    foreign = await other.run(TAILOR, {"input": {"resumeId": resume_id, "jobDescriptionId": jd_id}})
    await other.aclose()
    assert foreign["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    bad_id = await live.run(TAILOR, {"input": {"resumeId": "nope", "jobDescriptionId": jd_id}})
    assert bad_id["errors"][0]["extensions"]["code"] == "INVALID_INPUT"
    bad_strategy = await live.run(
        TAILOR, {"input": {"resumeId": resume_id, "jobDescriptionId": jd_id, "strategy": "wild"}}
    )
    assert bad_strategy["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert await _job_count(runtime) == 0
    assert await runtime.queue.zcard("arq:queue") == 0


async def test_my_jobs_streams_every_job_of_the_user(
    live: LiveClient, workers: WorkerProcesses, samples_dir: Path
) -> None:
    from tests.integration.live_client import collect_my_jobs

    resume_id, jd_id = await live.add_pair(
        samples_dir, "ines-carvalho-data.txt", "data-scientist-fernway.txt"
    )
    started = asyncio.Event()
    watcher = asyncio.create_task(collect_my_jobs(live, "COMPLETED", started))
    await started.wait()
    job_id = (await _tailor(live, resume_id, jd_id))["job"]["id"]
    workers.start()
    events = await watcher
    assert {e["jobId"] for e in events} == {job_id}
    assert [e["seq"] for e in events] == list(range(1, 8))


async def test_client_request_id_reused_for_another_request(
    live: LiveClient, samples_dir: Path, runtime: Any
) -> None:
    resume_id, jd_id = await live.add_pair(
        samples_dir, "ines-carvalho-data.txt", "data-scientist-fernway.txt"
    )
    await _tailor(live, resume_id, jd_id, clientRequestId="k-1")
    body = await live.run(
        TAILOR,
        {
            "input": {
                "resumeId": resume_id,
                "jobDescriptionId": jd_id,
                "strategy": "CONSERVATIVE",
                "clientRequestId": "k-1",
            }
        },
    )
    assert body["errors"][0]["extensions"]["code"] == "IDEMPOTENCY_KEY_REUSED"
    assert await _job_count(runtime) == 1


async def test_another_users_job_is_not_found_over_websocket(
    live: LiveClient, samples_dir: Path
) -> None:
    resume_id, jd_id = await live.add_pair(
        samples_dir, "jonah-brandt-backend.md", "infrastructure-engineer-keelson.txt"
    )
    job_id = (await _tailor(live, resume_id, jd_id))["job"]["id"]
    stranger = LiveClient(live.base_url, live.ws_url)
    await stranger.sign_up()
    try:
        with pytest.raises(AssertionError, match="NOT_FOUND"):  # the server's error message
            await stranger.subscribe(job_id, timeout_s=10)
    finally:
        await stranger.aclose()
