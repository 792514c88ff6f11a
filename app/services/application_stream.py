"""Follow a user's application changes: a bell on the user's channel first (through the
process's shared event hub and key watch: one listener per user, not per socket), then read
Postgres (the source of truth) whenever woken. A lost ring is caught by the process's one
shared recheck (app.events.key_watch): every `application_recheck_s` a single query reads
the event count and highest id of every followed user and wakes only the subscribers of
users whose events moved. An idle subscriber costs no query and no timer.

Event ids come from a sequence, so a transaction that took a lower id can commit after
one with a higher id. Each read therefore also re-reads the last RECENT_S seconds and
skips what was already sent: nothing is skipped, nothing is sent twice (a late commit
moves the count, so the recheck wakes its subscribers even when the highest id stays).
"""

from __future__ import annotations

import datetime as dt
import time
import uuid
from collections.abc import AsyncIterator

from sqlalchemy import func, or_, select

from app.db.models import ApplicationEvent
from app.db.unit_of_work import reading
from app.events.key_watch import KeyWatch, Marker, shared_watch
from app.runtime import Runtime
from app.services.applications import channel

RECENT_S = 30


async def _user_counts(
    runtime: Runtime, user_ids: list[uuid.UUID]
) -> dict[uuid.UUID, tuple[int, int]]:
    """(event count, highest event id) of each user, in one query; (0, 0) for none."""
    async with reading(runtime.db) as session:
        rows = await session.execute(
            select(
                ApplicationEvent.user_id,
                func.count(ApplicationEvent.id),
                func.max(ApplicationEvent.id),
            )
            .where(ApplicationEvent.user_id.in_(user_ids))
            .group_by(ApplicationEvent.user_id)
        )
        found = {user_id: (int(count), int(top)) for user_id, count, top in rows}
    return {u: found.get(u, (0, 0)) for u in user_ids}


async def _user_markers(runtime: Runtime, user_ids: list[uuid.UUID]) -> dict[uuid.UUID, Marker]:
    return dict(await _user_counts(runtime, user_ids))


def application_watch(runtime: Runtime) -> KeyWatch[uuid.UUID]:
    """The users whose application changes are followed in this process."""
    return shared_watch(
        runtime.hub,
        "applications",
        lambda: KeyWatch(
            runtime.hub,
            channel,
            lambda keys: _user_markers(runtime, keys),
            lambda: runtime.settings.application_recheck_s,
        ),
    )


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


async def follow_applications(
    runtime: Runtime, user_id: uuid.UUID
) -> AsyncIterator[ApplicationEvent]:
    async with application_watch(runtime).follow(user_id) as bell:
        marker = (await _user_counts(runtime, [user_id]))[user_id]
        bell.seen = marker
        start = last = marker[1]  # from now on (the past: history)
        seen: dict[int, float] = {}
        while True:
            for row in await _new_events(runtime, user_id, start, last, seen):
                seen[row.id] = time.monotonic()
                last = max(last, row.id)
                yield row
            cutoff = time.monotonic() - 2 * RECENT_S
            for old in [k for k, at in seen.items() if at < cutoff]:
                del seen[old]
            await bell.wait()  # a ring, a hub reconnect, or the shared recheck
