"""The local engine's job path: one engine-process request and two transactions, every
phase event still recorded and published once and in order; a rerun and a concurrent run
build on the artifacts stored first; a hung engine process is killed, retried, then the job
fails with a stable code."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from arq import Retry
from redis.asyncio.client import PubSub
from sqlalchemy import event, func, select, update

from app.db.models import Artifact, CreditLedgerEntry, JobEvent, Resume, TailoringJob
from app.db.models.enums import ArtifactKind, JobPhase, JobStatus
from app.db.unit_of_work import reading, transaction
from app.events.job_events import EventView, job_channel
from app.main import create_app
from app.runtime import Runtime
from app.services.job_attempt import JobRun, start
from app.services.pipeline import _run_local, run_job
from app.tailoring import LocalEngine
from app.tailoring.engine_process import documents, engine_pool, rendered
from app.tailoring.types import Strategy, TailoredResume
from tests.conftest import Servers
from tests.integration.conftest import make_settings
from tests.integration.services.conftest import add_inputs, request_job
from workers.tasks import run_tailoring_job

AFTER_QUEUED = [
    ("RUNNING", "PARSING"),
    ("RUNNING", "ANALYZING"),
    ("RUNNING", "GENERATING"),
    ("RUNNING", "WRITING_COVER_LETTER"),
    ("RUNNING", "EVALUATING"),
    ("COMPLETED", "DONE"),
]


async def _events(runtime: Runtime, job_id: uuid.UUID) -> list[JobEvent]:
    async with reading(runtime.db) as session:
        query = select(JobEvent).where(JobEvent.job_id == job_id).order_by(JobEvent.seq)
        return list((await session.execute(query)).scalars())


async def _artifacts(runtime: Runtime, job_id: uuid.UUID) -> dict[ArtifactKind, Any]:
    async with reading(runtime.db) as session:
        rows = await session.execute(
            select(Artifact.kind, Artifact.content).where(Artifact.job_id == job_id)
        )
        found = [(kind, content) for kind, content in rows]
    assert len(found) == len({kind for kind, _ in found})  # one row per kind
    return dict(found)


async def _job(runtime: Runtime, job_id: uuid.UUID) -> TailoringJob:
    async with reading(runtime.db) as session:
        job = await session.get(TailoringJob, job_id)
    assert job is not None
    return job


@contextmanager
def _counting(runtime: Runtime) -> Iterator[dict[str, int]]:
    """Statements and commits the runtime's engine runs inside the block."""
    seen = {"statements": 0, "commits": 0}

    def statement(*_: Any) -> None:
        seen["statements"] += 1

    def commit(*_: Any) -> None:
        seen["commits"] += 1

    engine = runtime.engine.sync_engine
    event.listen(engine, "before_cursor_execute", statement)
    event.listen(engine, "commit", commit)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", statement)
        event.remove(engine, "commit", commit)


async def _first(pubsub: PubSub, count: int) -> list[EventView]:
    """The first `count` events published on the subscribed channel."""
    got: list[EventView] = []
    async with asyncio.timeout(60):
        while len(got) < count:
            message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=30)
            if message is not None:
                got.append(EventView.from_json(message["data"]))
    return got


async def test_two_transactions_every_phase_recorded_and_published_in_order(
    runtime: Runtime, samples_dir: Path
) -> None:
    job_id = await request_job(runtime, await add_inputs(runtime, samples_dir))
    pubsub = runtime.redis.pubsub()
    await pubsub.subscribe(job_channel(job_id))  # confirmed before the job runs
    try:
        with _counting(runtime) as seen:
            assert await run_job(runtime, job_id) is JobStatus.COMPLETED
        published = await _first(pubsub, len(AFTER_QUEUED))
    finally:
        await pubsub.aclose()  # type: ignore[no-untyped-call]
    # Two transactions: lock + inputs, then begin (PARSING, ANALYZING); then every later
    # phase, the artifacts and the completion in one statement (a free job settles nothing).
    assert seen == {"commits": 2, "statements": 3}
    assert [(v.status.value, v.phase.value) for v in published] == AFTER_QUEUED
    assert [v.seq for v in published] == list(range(2, 8))
    rows = await _events(runtime, job_id)
    assert [(r.status.value, r.phase.value) for r in rows[1:]] == AFTER_QUEUED
    assert [r.seq for r in rows] == list(range(1, 8))
    assert [v.id for v in published] == [r.id for r in rows[1:]]
    assert set(await _artifacts(runtime, job_id)) == set(ArtifactKind)
    job = await _job(runtime, job_id)
    assert job.attempts == 1 and job.progress == 100 and job.finished_at is not None


def _aggressive_draft(run: JobRun) -> tuple[dict[ArtifactKind, str], Any]:
    """A plan and tailored resume another attempt might have stored: drafted with another
    strategy than the job's, so whatever builds on it shows it."""
    resume, posting = documents(json.loads(run.resume_json), json.loads(run.posting_json), None)
    engine = LocalEngine()
    plan = engine.plan(resume, posting)
    draft = engine.draft(resume, posting, plan, Strategy.AGGRESSIVE_KEYWORDS)
    stored = {
        ArtifactKind.PLAN: json.dumps(plan.to_dict()),
        ArtifactKind.TAILORED_RESUME: json.dumps(rendered(draft)),
    }
    expected = engine.evaluate(resume, posting, TailoredResume.from_dict(rendered(draft)))
    return stored, expected.to_dict()


async def _store_two_steps(run: JobRun, stored: dict[ArtifactKind, str]) -> None:
    """What a step-wise run commits for its first two steps."""
    plan = {ArtifactKind.PLAN: stored[ArtifactKind.PLAN]}
    await run.commit(plan, JobPhase.GENERATING, "local")
    draft = {ArtifactKind.TAILORED_RESUME: stored[ArtifactKind.TAILORED_RESUME]}
    await run.commit(draft, JobPhase.WRITING_COVER_LETTER, "local")


async def _completed_on(
    runtime: Runtime, job_id: uuid.UUID, stored: dict[ArtifactKind, str], evaluation: Any
) -> None:
    """The job completed on the tailored resume stored first (its evaluation is of that
    resume), with every artifact and every phase event once, in order."""
    artifacts = await _artifacts(runtime, job_id)
    assert set(artifacts) == set(ArtifactKind)
    assert artifacts[ArtifactKind.TAILORED_RESUME] == json.loads(
        stored[ArtifactKind.TAILORED_RESUME]
    )
    assert artifacts[ArtifactKind.EVALUATION] == evaluation
    rows = await _events(runtime, job_id)
    assert [(r.status.value, r.phase.value) for r in rows[1:]] == AFTER_QUEUED
    assert [r.seq for r in rows] == list(range(1, 8))


async def test_a_rerun_builds_on_what_the_earlier_attempt_stored(
    runtime: Runtime, samples_dir: Path
) -> None:
    job_id = await request_job(runtime, await add_inputs(runtime, samples_dir))
    earlier = await start(runtime, job_id)  # attempt 1 stores two steps, then dies
    assert earlier is not None
    stored, expected_evaluation = _aggressive_draft(earlier)
    await _store_two_steps(earlier, stored)
    assert await run_job(runtime, job_id) is JobStatus.COMPLETED  # attempt 2
    await _completed_on(runtime, job_id, stored, expected_evaluation)
    assert (await _job(runtime, job_id)).attempts == 2


async def test_a_concurrent_run_stored_first_theirs_win_and_the_later_steps_use_theirs(
    runtime: Runtime, samples_dir: Path
) -> None:
    job_id = await request_job(runtime, await add_inputs(runtime, samples_dir))
    ours = await start(runtime, job_id)
    theirs = await start(runtime, job_id)  # arq delivered the job twice
    assert ours is not None and theirs is not None
    stored, expected_evaluation = _aggressive_draft(theirs)
    await _store_two_steps(theirs, stored)  # theirs first
    assert await _run_local(ours)
    await _completed_on(runtime, job_id, stored, expected_evaluation)


@contextmanager
def _engine_hangs(deadline_s: float) -> Iterator[int]:
    """Freeze the worker's engine process (SIGSTOP) and give its calls a short deadline."""
    pool = engine_pool()
    pool.warm_up()
    (pid,) = pool.idle_pids()
    before, pool.timeout_s = pool.timeout_s, deadline_s
    os.kill(pid, signal.SIGSTOP)
    try:
        yield pid
    finally:
        pool.timeout_s = before


@pytest_asyncio.fixture
async def paid_runtime(servers: Servers, tmp_path: Path) -> AsyncIterator[Runtime]:
    """A Runtime (and its app's lifespan) in which a job holds one credit."""
    application = create_app(make_settings(servers, tmp_path, credits_per_job=1))
    async with application.router.lifespan_context(application):
        yield application.state.runtime


@pytest.mark.timeout(120)
async def test_a_hung_engine_is_killed_the_job_retried_then_failed_job_timeout(
    paid_runtime: Runtime, samples_dir: Path
) -> None:
    runtime = paid_runtime
    inputs = await add_inputs(runtime, samples_dir, credits_granted=2)
    retried = await request_job(runtime, inputs)
    with _engine_hangs(1.0), pytest.raises(Retry):  # a try left: retry later
        await run_tailoring_job({"runtime": runtime, "job_try": 1}, str(retried))
    assert (await _job(runtime, retried)).status is JobStatus.RUNNING
    # The next try gets a fresh engine process and completes.
    assert await run_tailoring_job({"runtime": runtime, "job_try": 2}, str(retried)) == "COMPLETED"

    inputs = await add_inputs(runtime, samples_dir, credits_granted=1)
    failed = await request_job(runtime, inputs)
    last_try = {"runtime": runtime, "job_try": runtime.settings.job_max_tries}
    with _engine_hangs(1.0):
        assert await run_tailoring_job(last_try, str(failed)) == "FAILED"
    job = await _job(runtime, failed)
    assert job.status is JobStatus.FAILED and job.error_code == "JOB_TIMEOUT"
    rows = await _events(runtime, failed)
    assert [r.status.value for r in rows] == ["QUEUED", "RUNNING", "RUNNING", "FAILED"]
    async with reading(runtime.db) as session:
        charged = await session.scalar(
            select(func.coalesce(func.sum(CreditLedgerEntry.delta), 0)).where(
                CreditLedgerEntry.job_id == failed
            )
        )
    assert charged == 0  # the reservation was released


async def test_an_input_gone_before_the_job_ran_fails_it_input_missing(
    runtime: Runtime, samples_dir: Path
) -> None:
    inputs = await add_inputs(runtime, samples_dir)
    job_id = await request_job(runtime, inputs)
    async with transaction(runtime.db) as session:  # the parse is gone (no document left)
        await session.execute(
            update(Resume).where(Resume.id == inputs.resume_id).values(parsed=None)
        )
    assert await run_job(runtime, job_id) is JobStatus.FAILED
    job = await _job(runtime, job_id)
    assert job.status is JobStatus.FAILED and job.error_code == "INPUT_MISSING"
    rows = await _events(runtime, job_id)
    assert [(r.status.value, r.phase.value) for r in rows] == [
        ("QUEUED", "QUEUED"),
        ("RUNNING", "PARSING"),
        ("FAILED", "PARSING"),
    ]
    assert await _artifacts(runtime, job_id) == {}
    assert await run_job(runtime, job_id) is None  # over: a redelivery does nothing
