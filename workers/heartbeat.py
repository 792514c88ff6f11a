"""Keep a running job's arq in-progress key alive with a short TTL.

arq marks a job in progress with a key that lives for the longest function timeout
+ 10 s (310 s here); a worker killed mid-job leaves that key behind and nobody may run
the job until it expires. Instead the worker claims a job with a TTL of three beats (15 s
at least, `claim_ttl_s`; set on `TailorWorker`) and, while the job runs, renews it every
`worker_heartbeat_s`: a dead worker's job is free again within seconds, and a live one
keeps it. The first renewal comes one beat after the claim, so a job shorter than a beat
(most local-engine jobs) costs no heartbeat round trip. (arq deletes the key itself when
the job ends.)
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

import structlog
from arq.connections import ArqRedis
from redis.exceptions import RedisError

from app import queue
from app.config import get_settings

log = structlog.get_logger("worker")

_TASK_KEY = "heartbeat_task"
BEATS_PER_TTL = 3
# Never shorter: a worker whose event loop stalls (a loaded host) must not lose its claim
# and see the job start a second time beside the first (harmless, jobs are idempotent,
# but wasted work).
MIN_TTL_S = 15.0


def claim_ttl_s(every_s: float) -> float:
    """How long a claim (and each renewal) holds a job."""
    return max(MIN_TTL_S, every_s * BEATS_PER_TTL)


async def _beat(redis: ArqRedis, key: str, every_s: float) -> None:
    ttl_ms = int(claim_ttl_s(every_s) * 1000)
    while True:
        await asyncio.sleep(every_s)  # the claim itself set the TTL
        try:
            # pexpire only touches an existing key: it never resurrects a finished job's.
            await redis.pexpire(key, ttl_ms)
        except RedisError as exc:  # Redis restarting: the next beat tries again
            log.warning("heartbeat_failed", error=type(exc).__name__)


async def job_started(ctx: dict[str, Any]) -> None:
    """arq `on_job_start`: start beating for this job."""
    every_s = get_settings().worker_heartbeat_s
    if every_s <= 0:
        return
    key = queue.in_progress_key(str(ctx["job_id"]))
    ctx[_TASK_KEY] = asyncio.create_task(_beat(ctx["redis"], key, every_s))


async def job_ended(ctx: dict[str, Any]) -> None:
    """arq `on_job_end`: stop beating (arq then removes the key)."""
    task = ctx.pop(_TASK_KEY, None)
    if task is not None:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
