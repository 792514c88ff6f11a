"""app.services.jobs in the caller's transaction: a request is a job row, a held credit,
its first event and a queue entry, all or nothing; queueing and publishing wait for the
commit; the conflict paths (same clientRequestId, one active job) leave the transaction
usable; cancel gives the credit back only if it commits."""

from __future__ import annotations

import asyncio
import json

import pytest
from sqlalchemy import func, select

from app import queue
from app.db.models import JobEvent, TailoringJob
from app.db.models.enums import JobStatus
from app.db.unit_of_work import reading, transaction
from app.errors import AppError, InsufficientCredits
from app.events.job_events import job_channel
from app.runtime import Runtime
from app.services import jobs
from app.services.jobs import TailorOutcome, TailorRequest
from tests.integration.services.conftest import MakeInputs, PaidInputs, until_a_lock_is_awaited
from tests.integration.services.observe import balance, next_published

QUEUE = "arq:queue"


class Boom(Exception):
    pass


def _request(inputs: PaidInputs, **kw: object) -> TailorRequest:
    return TailorRequest(inputs.resume_id, inputs.job_description_id, **kw)  # type: ignore[arg-type]


async def _request_committed(runtime: Runtime, inputs: PaidInputs, **kw: object) -> TailorOutcome:
    async with transaction(runtime.db) as session:
        return await jobs.request_tailoring(
            session, runtime, inputs.user_id, _request(inputs, **kw)
        )


async def _count(runtime: Runtime, model: type[TailoringJob] | type[JobEvent]) -> int:
    async with reading(runtime.db) as session:
        return int((await session.execute(select(func.count()).select_from(model))).scalar_one())


async def test_a_committed_request_is_a_job_a_held_credit_an_event_and_then_a_queue_entry(
    service_runtime: Runtime, make_inputs: MakeInputs
) -> None:
    runtime = service_runtime
    inputs = await make_inputs(credits_granted=1)
    async with transaction(runtime.db) as session:
        outcome = await jobs.request_tailoring(session, runtime, inputs.user_id, _request(inputs))
        entry = queue.tailoring_id(outcome.job.id)
        assert not await queue.entry_exists(runtime.queue, entry)  # not before the commit
    assert await queue.entry_exists(runtime.queue, entry)
    assert not outcome.cached and outcome.job.status is JobStatus.QUEUED
    async with reading(runtime.db) as session:
        job = await session.get(TailoringJob, outcome.job.id)
        assert job is not None and job.last_seq == 1
    assert await _count(runtime, JobEvent) == 1
    assert await balance(runtime, inputs.user_id) == 0


async def test_a_request_whose_transaction_rolls_back_leaves_no_trace(
    service_runtime: Runtime, make_inputs: MakeInputs
) -> None:
    runtime = service_runtime
    inputs = await make_inputs(credits_granted=1)
    pubsub = runtime.redis.pubsub()
    await pubsub.psubscribe(job_channel("*"))  # an event goes out on its job's channel
    try:
        with pytest.raises(Boom):
            async with transaction(runtime.db) as session:
                await jobs.request_tailoring(session, runtime, inputs.user_id, _request(inputs))
                raise Boom  # e.g. the next step of the use case failed
        assert await _count(runtime, TailoringJob) == 0
        assert await _count(runtime, JobEvent) == 0
        assert await balance(runtime, inputs.user_id) == 1  # the hold went with it
        assert await runtime.queue.zcard(QUEUE) == 0
        # The same request committed: its event is the first (and only) one published.
        kept = await _request_committed(runtime, inputs)
        published = await next_published(pubsub)
        assert json.loads(published)["job_id"] == str(kept.job.id)
        assert await runtime.queue.zcard(QUEUE) == 1
    finally:
        await pubsub.aclose()  # type: ignore[no-untyped-call]


async def test_insufficient_credits_create_and_queue_nothing(
    service_runtime: Runtime, make_inputs: MakeInputs
) -> None:
    runtime = service_runtime
    inputs = await make_inputs(credits_granted=0)
    with pytest.raises(InsufficientCredits):
        await _request_committed(runtime, inputs)
    assert await _count(runtime, TailoringJob) == 0
    assert await runtime.queue.zcard(QUEUE) == 0


async def test_one_active_job_per_inputs_is_refused_and_the_transaction_stays_usable(
    service_runtime: Runtime, make_inputs: MakeInputs
) -> None:
    runtime = service_runtime
    inputs = await make_inputs(credits_granted=2)
    first = await _request_committed(runtime, inputs)
    async with transaction(runtime.db) as session:
        with pytest.raises(AppError) as refused:
            await jobs.request_tailoring(session, runtime, inputs.user_id, _request(inputs))
        assert refused.value.code == "JOB_ALREADY_ACTIVE"
        # No statement failed: the same transaction still reads (and could write).
        rows = (await session.execute(select(TailoringJob.id))).scalars().all()
        assert rows == [first.job.id]
    assert await balance(runtime, inputs.user_id) == 1  # only the first holds a credit


async def test_racing_requests_with_one_client_request_id_get_one_job(
    service_runtime: Runtime, make_inputs: MakeInputs
) -> None:
    runtime = service_runtime
    inputs = await make_inputs(credits_granted=2)
    inserted, release = asyncio.Event(), asyncio.Event()

    async def first() -> TailorOutcome:
        async with transaction(runtime.db) as session:
            outcome = await jobs.request_tailoring(
                session, runtime, inputs.user_id, _request(inputs, client_request_id="k-1")
            )
            inserted.set()
            await release.wait()  # hold the uncommitted row while the second one arrives
        return outcome

    winner_task = asyncio.create_task(first())
    await inserted.wait()
    loser_task = asyncio.create_task(_request_committed(runtime, inputs, client_request_id="k-1"))
    await until_a_lock_is_awaited(runtime)  # the second INSERT waits on the first's row
    release.set()
    winner, loser = await winner_task, await loser_task
    assert loser.job.id == winner.job.id and not loser.cached
    assert await _count(runtime, TailoringJob) == 1
    assert await balance(runtime, inputs.user_id) == 1


async def test_cancel_gives_the_credit_back_only_when_it_commits(
    service_runtime: Runtime, make_inputs: MakeInputs
) -> None:
    runtime = service_runtime
    inputs = await make_inputs(credits_granted=1)
    job_id = (await _request_committed(runtime, inputs)).job.id
    with pytest.raises(Boom):
        async with transaction(runtime.db) as session:
            await jobs.cancel(session, runtime, inputs.user_id, job_id)
            raise Boom
    async with reading(runtime.db) as session:
        assert (await jobs.get_job(session, inputs.user_id, job_id)).status is JobStatus.QUEUED
    assert await balance(runtime, inputs.user_id) == 0
    async with transaction(runtime.db) as session:
        cancelled = await jobs.cancel(session, runtime, inputs.user_id, job_id)
    assert cancelled.status is JobStatus.CANCELLED and cancelled.last_seq == 2
    assert await balance(runtime, inputs.user_id) == 1
    async with transaction(runtime.db) as session:  # cancelling twice changes nothing
        again = await jobs.cancel(session, runtime, inputs.user_id, job_id)
    assert again.status is JobStatus.CANCELLED and await balance(runtime, inputs.user_id) == 1


async def test_someone_elses_job_cannot_be_cancelled_or_regenerated(
    service_runtime: Runtime, make_inputs: MakeInputs
) -> None:
    runtime = service_runtime
    owner, stranger = await make_inputs(credits_granted=1), await make_inputs()
    job_id = (await _request_committed(runtime, owner)).job.id
    for action in (jobs.cancel, jobs.regenerate):
        with pytest.raises(AppError) as refused:
            async with transaction(runtime.db) as session:
                await action(session, runtime, stranger.user_id, job_id)
        assert refused.value.code == "NOT_FOUND"
    async with reading(runtime.db) as session:
        assert (await jobs.get_job(session, owner.user_id, job_id)).status is JobStatus.QUEUED
