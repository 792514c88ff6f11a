"""arq worker settings: the functions a worker runs and how."""

from __future__ import annotations

from typing import Any, ClassVar

from arq.connections import RedisSettings

from app.config import get_settings
from app.runtime import redis_settings
from workers.lifecycle import shutdown, startup

_settings = get_settings()


class WorkerSettings:
    functions: ClassVar[list[Any]] = []
    cron_jobs: ClassVar[list[Any]] = []
    on_startup = startup
    on_shutdown = shutdown
    redis_settings: RedisSettings = redis_settings(_settings.redis_url)
    poll_delay = _settings.worker_poll_delay_s
    job_timeout = _settings.job_timeout_s
    max_tries = _settings.job_max_tries
    allow_abort_jobs = True
    handle_signals = True
