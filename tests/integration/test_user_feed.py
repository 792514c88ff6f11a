"""myJobs: every subscription of a user in a process shares one feed, which delivers the
next event of a job straight from pub/sub (no Postgres read) and re-reads Postgres only
when it sees a gap."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from app.db.models import TailoringJob
from app.db.models.enums import JobPhase, JobStatus
from app.db.unit_of_work import transaction
from app.events.job_events import EventView
from app.events.user_feed import follow_user
from app.runtime import Runtime
from app.services.job_transitions import finish, lock_job, move_forward
from tests.integration.conftest import GraphQLClient
from tests.integration.gql_ops import CREATE_JD, TAILOR, UPLOAD_RESUME


@pytest.fixture
def event_reads(runtime: Runtime) -> Iterator[list[str]]:
    """Every SELECT on job_events the process runs while the test is on."""
    reads: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT") and "job_events" in statement:
            reads.append(statement)

    event.listen(runtime.engine.sync_engine, "before_cursor_execute", note)
    yield reads
    event.remove(runtime.engine.sync_engine, "before_cursor_execute", note)


async def _collect(
    runtime: Runtime, user_id: uuid.UUID, into: list[EventView], changed: asyncio.Condition
) -> None:
    async for item in follow_user(runtime.db, runtime.hub, user_id):
        async with changed:
            into.append(item)
            changed.notify_all()


async def _until(streams: list[list[EventView]], count: int, changed: asyncio.Condition) -> None:
    async with asyncio.timeout(20), changed:
        await changed.wait_for(lambda: all(len(s) >= count for s in streams))


async def test_subscriptions_share_one_feed_and_read_postgres_only_on_a_gap(
    client: GraphQLClient,
    user: tuple[str, str],
    runtime: Runtime,
    samples_dir: Path,
    event_reads: list[str],
) -> None:
    user_id = uuid.UUID(user[1])
    streams: list[list[EventView]] = [[], [], []]
    changed = asyncio.Condition()
    tasks = [asyncio.create_task(_collect(runtime, user_id, s, changed)) for s in streams]
    await asyncio.sleep(0)
    feed = runtime.hub.user_feeds[str(user_id)]
    assert len(feed.subscribers) == 3  # one feed for the three subscriptions
    async with asyncio.timeout(10):
        await feed.live.wait()
    marked = len(event_reads)  # the feed's one look at the past

    resume = (samples_dir / "resumes" / "jonah-brandt-backend.md").read_text()
    posting = (samples_dir / "jobs" / "infrastructure-engineer-keelson.txt").read_text()
    resume_id = (await client.ok(UPLOAD_RESUME, {"input": {"text": resume}}))["uploadResume"]["id"]
    jd_id = (await client.ok(CREATE_JD, {"input": {"text": posting}}))["createJobDescription"]["id"]
    data = await client.ok(TAILOR, {"input": {"resumeId": resume_id, "jobDescriptionId": jd_id}})
    job_id = uuid.UUID(data["tailor"]["job"]["id"])
    await _until(streams, 1, changed)
    assert len(event_reads) == marked  # seq 1 came straight from pub/sub

    # seq 2 is committed but its publish is lost; seq 3 arrives: a gap, so Postgres is read.
    async with runtime.db() as session:
        job = await lock_job(session, job_id)
        assert isinstance(job, TailoringJob)
        job.status = JobStatus.RUNNING
        assert move_forward(session, job, JobPhase.ANALYZING) is not None
        await session.commit()
    async with transaction(runtime.db) as session:
        assert await finish(session, runtime.redis, job_id, JobStatus.CANCELLED) is not None
    await _until(streams, 3, changed)
    assert len(event_reads) > marked
    for stream in streams:
        assert [(e.job_id, e.seq) for e in stream] == [(str(job_id), s) for s in (1, 2, 3)]

    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    assert str(user_id) not in runtime.hub.user_feeds  # the last subscriber stopped it
