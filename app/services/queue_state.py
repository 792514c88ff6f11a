"""Whether a task still has an entry in the arq queue (queued, running or retrying).

A row that says PENDING/QUEUED but has no entry was lost (Redis restarted without
persistence, or a worker died and its entry expired): the sweeper queues it again.
"""

from __future__ import annotations

from arq.constants import in_progress_key_prefix, job_key_prefix, retry_key_prefix

from app.runtime import Runtime


async def queue_entry_exists(runtime: Runtime, arq_job_id: str) -> bool:
    keys = [p + arq_job_id for p in (job_key_prefix, in_progress_key_prefix, retry_key_prefix)]
    return bool(await runtime.queue.exists(*keys))
