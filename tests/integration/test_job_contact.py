"""The contact block given on `tailor` heads the tailored resume and the cover letter;
a bad one is INVALID_INPUT and creates nothing. Real API server, worker, Postgres, Redis."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest_asyncio
from sqlalchemy import func, select

from app.db.models import TailoringJob
from tests.integration.conftest import LiveServer, WorkerProcesses
from tests.integration.gql_ops import JOB_RESULT, TAILOR
from tests.integration.live_client import LiveClient

RESUME, JOB = "jonah-brandt-backend.md", "infrastructure-engineer-keelson.txt"
CONTACT = {
    "name": "Jonah A. Brandt",
    "email": "jonah@brandt.example",
    "location": "Duluth, MN",
    "links": ["jonahbrandt.dev"],
}


@pytest_asyncio.fixture
async def live(live_server: LiveServer) -> AsyncIterator[LiveClient]:
    client = LiveClient(live_server.base_url, live_server.ws_url)
    await client.sign_up()
    yield client
    await client.aclose()


async def _job_count(runtime: Any) -> int:
    async with runtime.db() as session:
        count = await session.execute(select(func.count()).select_from(TailoringJob))
        return int(count.scalar_one())


async def _completed(live: LiveClient, job_id: str) -> dict[str, Any]:
    async with asyncio.timeout(60):
        while True:
            job: dict[str, Any] = (await live.ok(JOB_RESULT, {"id": job_id}))["job"]
            if job["status"] in {"COMPLETED", "FAILED"}:
                return job
            await asyncio.sleep(0.1)


async def _tailor(live: LiveClient, resume_id: str, jd_id: str, **extra: Any) -> dict[str, Any]:
    variables = {"input": {"resumeId": resume_id, "jobDescriptionId": jd_id, **extra}}
    payload: dict[str, Any] = (await live.ok(TAILOR, variables))["tailor"]
    return payload


async def test_override_heads_both_documents(
    live: LiveClient, workers: WorkerProcesses, samples_dir: Path
) -> None:
    resume_id, jd_id = await live.add_pair(samples_dir, RESUME, JOB)
    workers.start()
    plain = await _completed(live, (await _tailor(live, resume_id, jd_id))["job"]["id"])
    assert "jonah.brandt@example.com" in plain["result"]["coverLetter"]["text"]

    given = await _tailor(live, resume_id, jd_id, contact=CONTACT)
    assert given["cached"] is False  # a different contact block is a different request
    job = await _completed(live, given["job"]["id"])
    assert job["status"] == "COMPLETED"
    letter = job["result"]["coverLetter"]["text"]
    resume = job["result"]["tailoredResume"]["markdown"]
    for document in (letter, resume):
        head = document[:300]
        assert "Jonah A. Brandt" in head and "jonah@brandt.example" in head
        assert "Duluth, MN" in head and "jonahbrandt.dev" in head
        assert "+1 (555) 019-4470" in head  # left out of the override: the resume's own
        assert "jonah.brandt@example.com" not in document
    contact_lines = [
        line["text"]
        for section in job["result"]["tailoredSections"]
        if section["section"] == "CONTACT" or section["kind"] == "CONTACT"
        for line in section["lines"]
    ]
    assert any("jonah@brandt.example" in text for text in contact_lines)
    # The user's own contact block is truth: no guard warning about it.
    assert not [w for w in job["result"]["warnings"] if "contact" in w["message"].lower()]

    again = await _tailor(live, resume_id, jd_id, contact=CONTACT)
    assert again["cached"] is True and again["job"]["id"] == given["job"]["id"]


async def test_bad_contact_is_invalid_input_and_creates_nothing(
    live: LiveClient, samples_dir: Path, runtime: Any
) -> None:
    resume_id, jd_id = await live.add_pair(samples_dir, RESUME, JOB)
    bad = [
        {"email": "not-an-address"},
        {"email": "jonah@brandt.example\r\nBcc: x@y.example"},
        {"name": "Jonah\nBrandt"},
        {"phone": "call me maybe"},
        {"name": "J" * 101},
        {"links": ["a.example"] * 6},
    ]
    for contact in bad:
        body = await live.run(
            TAILOR,
            {"input": {"resumeId": resume_id, "jobDescriptionId": jd_id, "contact": contact}},
        )
        assert body["errors"][0]["extensions"]["code"] == "INVALID_INPUT", contact
    assert await _job_count(runtime) == 0
    assert await runtime.queue.zcard("arq:queue") == 0
