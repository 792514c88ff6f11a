"""app.queue.enqueue writes what arq's own enqueue_job writes, in one round trip, and
refuses an id arq still holds."""

from __future__ import annotations

import uuid

from arq.jobs import Job, JobStatus

from app import queue
from app.runtime import Runtime


async def test_an_entry_is_what_arq_would_have_queued(service_runtime: Runtime) -> None:
    redis = service_runtime.queue
    row = uuid.uuid4()
    arq_id = queue.tailoring_id(row)
    assert await queue.enqueue(redis, queue.Task.TAILORING, row, arq_id)
    info = await Job(arq_id, redis).info()
    assert info is not None
    assert (info.function, info.args, info.kwargs) == (
        queue.Task.TAILORING.value,
        (str(row),),
        {},
    )
    assert await Job(arq_id, redis).status() is JobStatus.queued
    score = await redis.zscore(redis.default_queue_name, arq_id)
    assert score == int(info.enqueue_time.timestamp() * 1000)
    ttl_ms = await redis.pttl(queue.JOB_KEY_PREFIX + arq_id)
    assert 0 < ttl_ms <= redis.expires_extra_ms
    # arq's own reader of the queue sees it as one of its entries
    assert arq_id in [j.job_id for j in await redis.queued_jobs()]


async def test_an_id_arq_still_holds_is_refused(service_runtime: Runtime) -> None:
    redis = service_runtime.queue
    row = uuid.uuid4()
    arq_id = queue.tailoring_id(row)
    assert await queue.enqueue(redis, queue.Task.TAILORING, row, arq_id)
    assert not await queue.enqueue(redis, queue.Task.TAILORING, row, arq_id)  # still queued
    assert await redis.zcard(redis.default_queue_name) == 1
    done = queue.fresh_tailoring_id(row)
    await redis.set(queue.RESULT_KEY_PREFIX + done, b"kept result")
    assert not await queue.enqueue(redis, queue.Task.TAILORING, row, done)  # a kept result
    assert await redis.zscore(redis.default_queue_name, done) is None
