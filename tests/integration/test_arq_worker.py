"""TailorWorker runs every queued job as arq does, without asking Redis about the jobs it
is running itself on every poll."""

from __future__ import annotations

import asyncio
from typing import Any

from arq.connections import RedisSettings, create_pool
from arq.constants import in_progress_key_prefix
from arq.worker import Worker, func
from redis.asyncio import Redis

from tests.conftest import Servers
from workers.arq_worker import TailorWorker

JOBS = 9
MAX_JOBS = 3


async def _slow(ctx: dict[str, Any], n: int) -> int:
    # Staggered, as real jobs end: a slot frees while earlier jobs still run (and still
    # head the queue), and several polls see them running.
    await asyncio.sleep(0.06 * (1 + n % MAX_JOBS))
    return n


async def _watches(redis: Redis) -> int:
    stats = await redis.info("commandstats")
    return int(stats.get("cmdstat_watch", {}).get("calls", 0))


async def _run(servers: Servers, worker_class: type[Worker], queue: str) -> tuple[int, int]:
    """Jobs completed and WATCH commands sent while a worker drains JOBS slow jobs."""
    settings = RedisSettings.from_dsn(servers.redis_url)
    pool = await create_pool(settings, default_queue_name=queue)
    redis = Redis.from_url(servers.redis_url)
    try:
        for n in range(JOBS):
            await pool.enqueue_job("slow", n)
        before = await _watches(redis)
        worker = worker_class(
            functions=[func(_slow, name="slow")],
            redis_settings=settings,
            queue_name=queue,
            max_jobs=MAX_JOBS,
            poll_delay=0.01,
            burst=True,
            handle_signals=False,
        )
        try:
            await worker.async_run()
        finally:
            await worker.close()
        return worker.jobs_complete, await _watches(redis) - before
    finally:
        await pool.aclose()
        await redis.aclose()


async def test_own_running_jobs_are_not_rechecked(servers: Servers) -> None:
    completed, watches = await _run(servers, TailorWorker, "tailor-worker-test")
    assert completed == JOBS
    # One claim (WATCH, EXISTS, ZSCORE, MULTI/PSETEX/EXEC) per job, none for polls that
    # found only this worker's own running jobs.
    assert watches == JOBS


async def test_arqs_own_worker_rechecks_them(servers: Servers) -> None:
    """What the subclass saves: arq's Worker re-claims its running jobs on every poll."""
    completed, watches = await _run(servers, Worker, "arq-worker-test")
    assert completed == JOBS
    assert watches > JOBS


async def test_a_claim_lives_as_long_as_the_heartbeat_says(servers: Servers) -> None:
    """A worker killed mid-job frees it within the claim TTL, not arq's timeout + 10 s."""
    settings = RedisSettings.from_dsn(servers.redis_url)
    pool = await create_pool(settings, default_queue_name="claim-test")
    redis = Redis.from_url(servers.redis_url)
    started, release = asyncio.Event(), asyncio.Event()

    async def held(ctx: dict[str, Any]) -> None:
        started.set()
        await release.wait()

    worker = TailorWorker(
        functions=[func(held, name="held", timeout=300)],
        redis_settings=settings,
        queue_name="claim-test",
        poll_delay=0.01,
        handle_signals=False,
        claim_ttl_s=15.0,
    )
    running = asyncio.create_task(worker.async_run())
    try:
        job = await pool.enqueue_job("held", _job_id="claimed")
        assert job is not None
        await asyncio.wait_for(started.wait(), timeout=30)
        ttl_ms = await redis.pttl(in_progress_key_prefix + "claimed")
        assert 0 < ttl_ms <= 15_000  # arq's own claim would be 310 s
        release.set()
        assert await job.result(timeout=30) is None
    finally:
        release.set()
        running.cancel()
        await asyncio.gather(running, return_exceptions=True)
        await worker.close()
        await pool.aclose()
        await redis.aclose()
