"""Service-level fixtures: services are called directly with a session, the way resolvers,
tasks and the CLI call them, against the real test Postgres (and Redis for the queue).

- `session`: a session inside a transaction that is rolled back after the test.
- `service_runtime`: a Runtime whose jobs cost one credit (credit holds are visible).
- `make_inputs`: a signed-up user with a parsed resume and a job description, committed
  through the services in their own `transaction()` (rows another session must see, e.g.
  the pipeline's, have to be committed).
- `completed_job`: a job the pipeline ran to COMPLETED in-process (on `runtime`).
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import pytest_asyncio
from arq.constants import default_queue_name
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from app import queue
from app.config import Settings
from app.db.base import Base
from app.db.unit_of_work import reading, transaction
from app.main import create_app
from app.runtime import Runtime
from app.services import credits, job_descriptions, jobs, resumes, users
from app.services.pipeline import run_job
from tests.conftest import Servers
from tests.integration.conftest import make_settings

PASSWORD = "correct horse battery"
RESUME = "resumes/jonah-brandt-backend.md"
POSTING = "jobs/infrastructure-engineer-keelson.txt"


@pytest_asyncio.fixture
async def session(runtime: Runtime) -> AsyncIterator[AsyncSession]:
    """A session in a transaction that is rolled back after the test."""
    async with runtime.db() as db_session:
        await db_session.begin()
        try:
            yield db_session
        finally:
            await db_session.rollback()


@pytest_asyncio.fixture
async def service_runtime(servers: Servers, tmp_path: Path) -> AsyncIterator[Runtime]:
    """A Runtime (and its app's lifespan) in which a job holds one credit."""
    settings: Settings = make_settings(servers, tmp_path, credits_per_job=1)
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        runtime: Runtime = application.state.runtime
        yield runtime


@dataclass(frozen=True)
class Inputs:
    user_id: uuid.UUID
    resume_id: uuid.UUID
    job_description_id: uuid.UUID
    resume_key: str  # where the resume's original file is stored


PaidInputs = Inputs  # the name H-UOW-B's tests use


class MakeInputs(Protocol):
    async def __call__(self, *, credits_granted: int = 0) -> Inputs: ...


async def add_inputs(
    runtime: Runtime, samples: Path, *, credits_granted: int = 0, email: str | None = None
) -> Inputs:
    """A user (password PASSWORD) with a parsed resume and a job description, committed."""
    address = email or f"u-{uuid.uuid4().hex[:12]}@example.com"
    async with transaction(runtime.db) as session:
        user = await users.sign_up(session, address, PASSWORD, None)
        if credits_granted:
            await credits.grant(session, user.id, credits_granted)
        resume = await resumes.upload_resume(
            session,
            runtime,
            user.id,
            resumes.ResumeUpload((samples / RESUME).read_bytes(), "resume.md", None),
        )
        posting = await job_descriptions.create_job_description(
            session,
            runtime,
            user.id,
            job_descriptions.JobDescriptionInput(
                (samples / POSTING).read_text(), None, None, None, None
            ),
        )
    assert resume.storage_key is not None
    return Inputs(user.id, resume.id, posting.id, resume.storage_key)


@pytest_asyncio.fixture
async def make_inputs(service_runtime: Runtime, samples_dir: Path) -> MakeInputs:
    async def make(*, credits_granted: int = 0) -> Inputs:
        return await add_inputs(service_runtime, samples_dir, credits_granted=credits_granted)

    return make


async def count(runtime: Runtime, model: type[Base]) -> int:
    """Committed rows of `model`, read from a fresh session."""
    async with reading(runtime.db) as session:
        return int((await session.execute(select(func.count()).select_from(model))).scalar_one())


async def queued(runtime: Runtime, arq_id: str) -> bool:
    return await queue.entry_exists(runtime.queue, arq_id)


async def request_job(runtime: Runtime, inputs: Inputs) -> uuid.UUID:
    async with transaction(runtime.db) as session:
        outcome = await jobs.request_tailoring(
            session,
            runtime,
            inputs.user_id,
            jobs.TailorRequest(inputs.resume_id, inputs.job_description_id),
        )
    return outcome.job.id


@dataclass(frozen=True)
class CompletedJob:
    inputs: Inputs
    job_id: uuid.UUID


@pytest_asyncio.fixture
async def completed_job(runtime: Runtime, samples_dir: Path) -> CompletedJob:
    """A job the pipeline ran to COMPLETED in-process (the worker's code path); its queue
    entry is taken off the queue as a worker would, so tests see only what they queue."""
    inputs = await add_inputs(runtime, samples_dir)
    job_id = await request_job(runtime, inputs)
    assert await run_job(runtime, job_id) is not None
    arq_id = queue.tailoring_id(job_id)
    await runtime.queue.zrem(default_queue_name, arq_id)
    await runtime.queue.delete(queue.JOB_KEY_PREFIX + arq_id)
    assert not await queue.entry_exists(runtime.queue, arq_id)
    return CompletedJob(inputs, job_id)


async def until_a_lock_is_awaited(runtime: Runtime) -> None:
    """Wait (on the condition, not a clock) until some transaction waits for a lock."""
    async with asyncio.timeout(30):
        while True:
            async with reading(runtime.db) as session:
                waiting = await session.execute(
                    text("SELECT count(*) FROM pg_locks WHERE NOT granted")
                )
                if int(waiting.scalar_one()) > 0:
                    return
            await asyncio.sleep(0.02)
