"""The one background task behind a shared subscription feed that re-reads Postgres.

Pub/sub is at-most-once, so a feed shared by many sockets (job feeds, key watches)
compares what its subscribers hold with Postgres every interval, in one query for all of
them. The task starts when the first subscriber arrives, ends by itself once nobody is
followed, and is cancelled when the hub stops.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable

import structlog

log = structlog.get_logger("events.recheck")


class PeriodicRecheck:
    def __init__(
        self,
        name: str,
        once: Callable[[], Awaitable[None]],
        *,
        active: Callable[[], bool],
        interval_s: Callable[[], float],
    ) -> None:
        # interval_s is read each round: settings (and tests) may change it.
        self._name, self._once, self._active, self._interval_s = name, once, active, interval_s
        self._task: asyncio.Task[None] | None = None

    def ensure_running(self) -> None:
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._loop(), name=f"{self._name}-recheck")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _loop(self) -> None:
        while self._active():
            await asyncio.sleep(self._interval_s())
            try:
                await self._once()
            except Exception as exc:  # Postgres away: subscribers keep their live events
                log.warning("recheck_failed", feed=self._name, error=type(exc).__name__)
