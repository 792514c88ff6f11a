"""The one home of the job queue (arq on Redis): task names, queue ids, Redis key names,
enqueue, abort and "is it still queued?".

Services and workers import this module, never arq itself, so what a queue entry is called
and how it is found is written down once. `workers/settings.py` registers its functions
under the `Task` names below.

arq ids ("_job_id") matter because arq refuses a second entry under an id it still holds
(queued, running, or a kept result): a row's first entry uses a stable id, and every entry
started on purpose later (retry, requeue, regenerate) gets a fresh one.

`enqueue_after_commit()` queues only once the database transaction that created the work
has committed: a rolled-back transaction queues nothing, and a worker never picks up a row
that is not visible yet.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
import weakref
from enum import StrEnum

import structlog
from arq.connections import ArqRedis
from arq.constants import (
    in_progress_key_prefix,
    job_key_prefix,
    result_key_prefix,
    retry_key_prefix,
)
from arq.jobs import Job, serialize_job
from arq.utils import timestamp_ms
from redis.commands.core import AsyncScript
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.unit_of_work import after_commit

log = structlog.get_logger("queue")


class Task(StrEnum):
    """Names under which workers register their functions (workers/settings.py)."""

    TAILORING = "run_tailoring_job"
    EXPORT = "run_export"
    APPLICATION_EMAIL = "send_application_email"


# arq's Redis keys for one queue entry: <prefix><arq id>. Named here so nothing else
# reaches into arq's internals (the sweeper and the worker heartbeat need them).
JOB_KEY_PREFIX = job_key_prefix
IN_PROGRESS_KEY_PREFIX = in_progress_key_prefix
RETRY_KEY_PREFIX = retry_key_prefix
RESULT_KEY_PREFIX = result_key_prefix


def in_progress_key(arq_id: str) -> str:
    """The key arq holds while a worker runs the entry (renewed by the worker heartbeat)."""
    return IN_PROGRESS_KEY_PREFIX + arq_id


def _fresh(prefix: str, length: int) -> str:
    return f"{prefix}:{uuid.uuid4().hex[:length]}"


def tailoring_id(job_id: uuid.UUID) -> str:
    """A tailoring job's first queue entry."""
    return str(job_id)


def fresh_tailoring_id(job_id: uuid.UUID) -> str:
    """A later entry for the same job (the sweeper requeueing a lost one)."""
    return _fresh(str(job_id), 8)


def export_id(export: uuid.UUID, attempt: int = 0) -> str:
    """An export's entry for a numbered attempt (accept queues attempt 0)."""
    return f"export:{export}:{attempt}"


def fresh_export_id(export: uuid.UUID) -> str:
    """A later entry for the same export (retry, requeue after a lost entry)."""
    return _fresh(f"export:{export}", 12)


def email_id(send_id: uuid.UUID) -> str:
    """An apply-by-e-mail send's entry: one per send, so a double submit sends once."""
    return f"email:{send_id}"


# arq's enqueue_job in one round trip: its WATCH, EXISTS and MULTI/EXEC cost three (and
# the API's CPU for each) per queued job. Same keys, payload, expiry and score as
# `ArqRedis.enqueue_job` without a delay, and the same refusal of an id arq still holds
# (queued or a kept result), checked and written atomically by Redis.
_ENQUEUE_LUA = """
if redis.call('EXISTS', KEYS[1], KEYS[2]) > 0 then return 0 end
redis.call('PSETEX', KEYS[1], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[3], ARGV[3], ARGV[4])
return 1
"""
_enqueue_scripts: weakref.WeakKeyDictionary[ArqRedis, AsyncScript] = weakref.WeakKeyDictionary()


async def enqueue(queue: ArqRedis, task: Task, row_id: uuid.UUID, arq_id: str) -> bool:
    """Queue `task(row_id)` under `arq_id`; False when arq already holds that id."""
    script = _enqueue_scripts.get(queue)
    if script is None:
        script = _enqueue_scripts[queue] = queue.register_script(_ENQUEUE_LUA)
    now_ms = timestamp_ms()
    payload = serialize_job(
        task.value, (str(row_id),), {}, None, now_ms, serializer=queue.job_serializer
    )
    keys = [JOB_KEY_PREFIX + arq_id, RESULT_KEY_PREFIX + arq_id, queue.default_queue_name]
    added = await script(keys=keys, args=[queue.expires_extra_ms, payload, now_ms, arq_id])
    return bool(added)


async def enqueue_tailoring(queue: ArqRedis, job_id: uuid.UUID, arq_id: str) -> bool:
    return await enqueue(queue, Task.TAILORING, job_id, arq_id)


async def enqueue_export(queue: ArqRedis, export: uuid.UUID, arq_id: str) -> bool:
    return await enqueue(queue, Task.EXPORT, export, arq_id)


async def enqueue_email(queue: ArqRedis, send_id: uuid.UUID) -> bool:
    return await enqueue(queue, Task.APPLICATION_EMAIL, send_id, email_id(send_id))


async def entry_exists(queue: ArqRedis, arq_id: str) -> bool:
    """Whether the entry is still queued, running or waiting to retry. A row that says
    PENDING/QUEUED without one was lost (Redis restarted without persistence, or a dead
    worker's entry expired) and nothing will run it unless it is queued again."""
    keys = [p + arq_id for p in (JOB_KEY_PREFIX, IN_PROGRESS_KEY_PREFIX, RETRY_KEY_PREFIX)]
    return bool(await queue.exists(*keys))


async def abort(queue: ArqRedis, arq_id: str, *, wait_s: float = 1.0) -> None:
    """Ask arq to abort the entry, best effort: a running task is cancelled if its worker
    allows aborts; callers also record the outcome in the database, which workers check."""
    with contextlib.suppress(Exception):
        await asyncio.wait_for(Job(arq_id, queue).abort(timeout=0.01), timeout=wait_s)


def enqueue_after_commit(
    session: AsyncSession, queue: ArqRedis, task: Task, row_id: uuid.UUID, arq_id: str
) -> None:
    """Queue `task(row_id)` once the transaction `session` is in has committed: a rolled-back
    one queues nothing, and a worker never picks up a row that is not visible yet. A
    failure to queue is logged, not raised: the row exists and the sweeper queues lost
    ones."""

    async def enqueue_quietly() -> None:
        try:
            await enqueue(queue, task, row_id, arq_id)
        except Exception as exc:  # Redis unreachable: the sweeper picks the row up later
            log.warning("enqueue_failed", task=task.value, error=type(exc).__name__)

    after_commit(session, enqueue_quietly)
