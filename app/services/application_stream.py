"""Follow a user's application changes: listen on the user's channel first (through the
process's shared event hub: one Redis connection for every subscriber, not one each), then
read Postgres (the source of truth) whenever woken or after a quiet spell.

Event ids come from a sequence, so a transaction that took a lower id can commit after
one with a higher id. Each read therefore also re-reads the last RECENT_S seconds and
skips what was already sent: nothing is skipped, nothing is sent twice.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
import uuid
from collections.abc import AsyncIterator

from sqlalchemy import func, or_, select

from app.db.models import ApplicationEvent
from app.db.unit_of_work import reading
from app.events.hub import Wakeup
from app.runtime import Runtime
from app.services.applications import channel

QUIET_RECHECK_S = 15.0
RECENT_S = 30


async def _start_id(runtime: Runtime, user_id: uuid.UUID) -> int:
    async with reading(runtime.db) as session:  # one short read per wake-up
        result = await session.execute(
            select(func.coalesce(func.max(ApplicationEvent.id), 0)).where(
                ApplicationEvent.user_id == user_id
            )
        )
        return int(result.scalar_one())


async def _new_events(
    runtime: Runtime, user_id: uuid.UUID, start: int, last: int, seen: dict[int, float]
) -> list[ApplicationEvent]:
    recent = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=RECENT_S)
    async with reading(runtime.db) as session:  # one short read per wake-up
        result = await session.execute(
            select(ApplicationEvent)
            .where(
                ApplicationEvent.user_id == user_id,
                or_(ApplicationEvent.id > last, ApplicationEvent.created_at > recent),
            )
            .order_by(ApplicationEvent.id)
        )
        rows = list(result.scalars())
    return [r for r in rows if r.id > start and r.id not in seen]


async def _wait(wakeups: asyncio.Queue[Wakeup], timeout_s: float) -> None:
    # The hub wakes every listener (None) when it loses Redis, so silence is only a lost
    # publish on a live connection: the quiet recheck covers it.
    try:
        async with asyncio.timeout(timeout_s):
            await wakeups.get()
    except TimeoutError:
        return
    while not wakeups.empty():  # one read covers every ring received meanwhile
        wakeups.get_nowait()


async def follow_applications(
    runtime: Runtime, user_id: uuid.UUID, *, quiet_recheck_s: float = QUIET_RECHECK_S
) -> AsyncIterator[ApplicationEvent]:
    async with runtime.hub.listen(channel(user_id)) as wakeups:
        start = last = await _start_id(runtime, user_id)  # from now on (the past: history)
        seen: dict[int, float] = {}
        while True:
            for row in await _new_events(runtime, user_id, start, last, seen):
                seen[row.id] = time.monotonic()
                last = max(last, row.id)
                yield row
            cutoff = time.monotonic() - 2 * RECENT_S
            for old in [k for k, at in seen.items() if at < cutoff]:
                del seen[old]
            await _wait(wakeups, quiet_recheck_s)
