"""The short chaos run (bench/chaos.py): a few jobs and exports through a worker SIGKILL, a
Redis restart (the queue is lost) and a Postgres restart; nothing is lost, stuck or
duplicated, and subscribers see every event once. The full run is `python bench/chaos.py`."""

from __future__ import annotations

import pytest

from bench.chaos import run_chaos
from bench.chaos_stack import ChaosConfig


@pytest.mark.timeout(300)
async def test_short_chaos_run_loses_nothing() -> None:
    config = ChaosConfig(
        jobs=8,
        workers=2,
        kills=1,
        redis_restarts=1,
        postgres_restarts=1,
        users=2,
        subscribed=3,
        concurrency=4,
        settle_timeout_s=150,
    )
    report = await run_chaos(config)
    print("\n".join(report.lines()))
    assert report.chaos == {"worker_kills": 1, "redis_restarts": 1, "postgres_restarts": 1}
    jobs, exports, events = report.jobs, report.exports, report.events
    assert jobs["submitted"] == config.jobs
    assert jobs["completed"] + jobs["failed"] == jobs["submitted"]
    assert jobs["stuck"] == 0 and jobs["duplicated"] == 0
    assert exports["submitted"] == 2 * jobs["completed"]  # resume + cover letter each
    assert exports["stuck"] == 0 and exports["duplicated"] == 0
    assert events["stored_lost"] == 0 and events["stored_duplicated"] == 0
    assert events["subscribed_jobs"] == 3
    assert events["live_lost"] == 0 and events["live_duplicated"] == 0
