"""arq's Worker, minus the Redis round trips it spends on its own running jobs.

An arq job stays in the queue's sorted set until it ends, and each poll reads the head of
that set again. `Worker.start_jobs` then asks Redis about every id it read (WATCH, EXISTS on
the in-progress key, ZSCORE): for ids this very worker is running, the answer is always
"running". With `max_jobs` jobs in flight and a slot freeing up, that was up to
`max_jobs - 1` useless three-command checks before the next new job, about 30 of the ~77
Redis commands a tailoring job cost. Ids of this worker's unfinished tasks are skipped
here instead; everything else (other workers' jobs, claims, retries) goes through arq's own
checks unchanged.

`claim_ttl_s` replaces arq's claim TTL (the longest function timeout + 10 s) when a
heartbeat renews claims (`workers/heartbeat.py`).
"""

from __future__ import annotations

from typing import Any

from arq.worker import Worker, get_kwargs


class TailorWorker(Worker):
    def __init__(self, *args: Any, claim_ttl_s: float | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if claim_ttl_s is not None:
            self.in_progress_timeout_s = claim_ttl_s  # what start_jobs claims a job with

    async def start_jobs(self, job_ids: list[bytes]) -> None:
        await super().start_jobs([j for j in job_ids if not self._running_here(j.decode())])

    def _running_here(self, job_id: str) -> bool:
        # A finished task is dropped from `tasks` at the end of the poll; until then its id
        # may be queued again (a retry under the same id), so only unfinished ones count.
        task = self.tasks.get(job_id)
        return task is not None and not task.done()


def make_worker(settings_cls: Any, **overrides: Any) -> TailorWorker:
    """arq's `create_worker`, with this class."""
    return TailorWorker(**{**get_kwargs(settings_cls), **overrides})
