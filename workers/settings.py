"""arq worker settings: the functions a worker runs and how."""

from __future__ import annotations

from typing import Any, ClassVar

from arq import cron
from arq.connections import RedisSettings
from arq.worker import func

from app.config import get_settings
from app.queue import Task
from app.runtime import redis_settings
from workers.apply_email import send_application_email
from workers.heartbeat import job_ended, job_started
from workers.lifecycle import shutdown, startup
from workers.tasks import run_export, run_tailoring_job, sweep_jobs

_settings = get_settings()


class WorkerSettings:
    functions: ClassVar[list[Any]] = [
        func(run_tailoring_job, name=Task.TAILORING.value, timeout=_settings.job_timeout_s),
        func(run_export, name=Task.EXPORT.value, timeout=_settings.job_timeout_s),
        func(
            send_application_email,
            name=Task.APPLICATION_EMAIL.value,
            timeout=max(30, int(_settings.smtp_timeout_s) + 30),
        ),
    ]
    # Unique, so several workers do not sweep at once. Its timeout must not exceed the
    # jobs': arq keeps a killed worker's job for the LONGEST function timeout + 10 s.
    cron_jobs: ClassVar[list[Any]] = [
        cron(
            sweep_jobs,
            second=set(range(0, 60, _settings.sweep_interval_s)),
            unique=True,
            run_at_startup=True,
            timeout=min(60, _settings.job_timeout_s),
        ),
    ]
    on_startup = startup
    on_shutdown = shutdown
    on_job_start = job_started
    on_job_end = job_ended
    redis_settings: RedisSettings = redis_settings(_settings.redis_url)
    poll_delay = _settings.worker_poll_delay_s
    max_jobs = _settings.worker_max_jobs
    job_timeout = _settings.job_timeout_s
    max_tries = _settings.job_max_tries
    # Keep results briefly: a kept result blocks re-enqueueing under the same arq id.
    keep_result = 60
    allow_abort_jobs = True
    handle_signals = True
