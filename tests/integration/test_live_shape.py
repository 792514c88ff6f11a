"""Against the real server and workers: progress events carry the job itself (a client
cache updates from events alone), export READY/FAILED is pushed by versionUpdates, and
the typed diff's section keys are exactly what `accept` takes."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest_asyncio

from tests.integration.conftest import LiveServer, WorkerProcesses
from tests.integration.gql_ops import TAILOR
from tests.integration.live_client import LiveClient
from tests.integration.shape_helpers import POSTING, RESUME, ws_collect

PROGRESS = """
subscription($jobId: ID!) { jobProgress(jobId: $jobId) {
  seq status progress job { id status phase progress finishedAt engine strategy }
} }
"""
RESULT = """
query($id: ID!) { job(id: $id) { status result {
  diff { section kind change before after }
  atsBefore { score fit requirements { label status importance } }
  atsAfter { score fit }
  plan { fit strengths { label evidence { lineId text } } gaps { label importance } }
  interviewPrep { questions { question category } }
  formData { name email workHistory { employer title } }
  warnings { code message }
} } }
"""
ACCEPT = """
mutation($jobId: ID!, $input: AcceptInput!) { accept(jobId: $jobId, input: $input) {
  id downloadLinks { exportId status url } } }
"""
UPDATES = """
subscription($id: ID!) { versionUpdates(versionId: $id) {
  id downloadLinks { exportId format status url } } }
"""


@pytest_asyncio.fixture
async def live(live_server: LiveServer) -> AsyncIterator[LiveClient]:
    client = LiveClient(live_server.base_url, live_server.ws_url)
    await client.sign_up()
    yield client
    await client.aclose()


async def _completed(live: LiveClient, workers: WorkerProcesses, samples: Path) -> str:
    resume_id, jd_id = await live.add_pair(samples, RESUME, POSTING)
    job_id: str = (
        await live.ok(TAILOR, {"input": {"resumeId": resume_id, "jobDescriptionId": jd_id}})
    )["tailor"]["job"]["id"]
    events = asyncio.create_task(ws_collect(live.ws_url, live.token, PROGRESS, {"jobId": job_id}))
    workers.start()
    progress = [p["jobProgress"] for p in await events]
    assert all(e["job"]["id"] == job_id for e in progress)
    last = progress[-1]
    assert last["status"] == "COMPLETED" and last["job"]["status"] == "COMPLETED"
    assert last["job"]["progress"] == 100 and last["job"]["finishedAt"]
    assert (last["job"]["engine"], last["job"]["strategy"]) == ("LOCAL", "DEFAULT")
    return job_id


async def test_events_carry_the_job_and_exports_are_pushed(
    live: LiveClient, workers: WorkerProcesses, samples_dir: Path
) -> None:
    job_id = await _completed(live, workers, samples_dir)
    version = (
        await live.ok(
            ACCEPT,
            {"jobId": job_id, "input": {"applyAll": True, "exportFormats": ["MARKDOWN", "TEXT"]}},
        )
    )["accept"]
    updates = [
        p["versionUpdates"]
        for p in await ws_collect(live.ws_url, live.token, UPDATES, {"id": version["id"]})
    ]
    assert all(u["id"] == version["id"] for u in updates)
    final = updates[-1]["downloadLinks"]
    assert len(final) == 4 and all(link["status"] == "READY" and link["url"] for link in final)
    states = [tuple(link["status"] for link in u["downloadLinks"]) for u in updates]
    assert len(set(states)) == len(states)  # an update only when something changed


async def test_typed_result_and_diff_keys_are_what_accept_takes(
    live: LiveClient, workers: WorkerProcesses, samples_dir: Path
) -> None:
    job_id = await _completed(live, workers, samples_dir)
    result: dict[str, Any] = (await live.ok(RESULT, {"id": job_id}))["job"]["result"]
    assert result["atsBefore"]["fit"] in {"STRONG", "PARTIAL", "POOR"}
    assert result["atsBefore"]["requirements"] and result["plan"]["strengths"]
    assert result["formData"]["workHistory"] and result["interviewPrep"]["questions"]
    keys = [d["section"] for d in result["diff"]]
    assert len(keys) == len(set(keys)) and "experience" in keys
    assert all(
        k.split(":")[0] == d["kind"].lower() for k, d in zip(keys, result["diff"], strict=True)
    )
    choices = [{"section": key, "accept": i % 2 == 0} for i, key in enumerate(keys)]
    accepted = await live.run(ACCEPT, {"jobId": job_id, "input": {"sections": choices}})
    assert not accepted.get("errors"), accepted
