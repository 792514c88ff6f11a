"""Export status changes of a version, pushed to subscribers so clients stop polling.

The worker rings `version:{id}` on Redis after an export's status commits; the API's event
hub wakes the version's subscribers, who re-read the exports from Postgres (the truth).
A lost ring is caught by the process's one shared recheck (app.events.key_watch): every
`version_recheck_s` a single query reads the export statuses of every followed version and
wakes only the subscribers whose version moved. An idle subscriber costs no query."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

from sqlalchemy import select

from app.db.models import Export
from app.db.models.enums import ExportStatus
from app.db.unit_of_work import reading
from app.events.key_watch import KeyWatch, Marker, shared_watch
from app.runtime import Runtime
from app.services.exports import exports_for_versions
from app.services.version_bell import version_channel


def _states(exports: list[Export]) -> dict[uuid.UUID, ExportStatus]:
    return {e.id: e.status for e in exports}


def _marker(states: dict[uuid.UUID, ExportStatus]) -> Marker:
    return frozenset(states.items())


async def _version_markers(
    runtime: Runtime, version_ids: list[uuid.UUID]
) -> dict[uuid.UUID, Marker]:
    """Every followed version's export statuses, in one query."""
    states: dict[uuid.UUID, dict[uuid.UUID, ExportStatus]] = {v: {} for v in version_ids}
    async with reading(runtime.db) as session:
        rows = await session.execute(
            select(Export.version_id, Export.id, Export.status).where(
                Export.version_id.in_(version_ids)
            )
        )
        for version_id, export_id, status in rows:
            states[version_id][export_id] = status
    return {v: _marker(s) for v, s in states.items()}


def version_watch(runtime: Runtime) -> KeyWatch[uuid.UUID]:
    """The versions followed in this process (one recheck for all of them)."""
    return shared_watch(
        runtime.hub,
        "versions",
        lambda: KeyWatch(
            runtime.hub,
            version_channel,
            lambda keys: _version_markers(runtime, keys),
            lambda: runtime.settings.version_recheck_s,
        ),
    )


async def follow_exports(runtime: Runtime, version_id: uuid.UUID) -> AsyncIterator[list[Export]]:
    """The version's exports now, then again each time a status changes; ends once every
    export is READY or FAILED."""
    async with version_watch(runtime).follow(version_id) as bell:
        last: dict[uuid.UUID, ExportStatus] | None = None
        while True:
            async with reading(runtime.db) as session:  # one short read per wake-up
                exports = (await exports_for_versions(session, [version_id]))[version_id]
            states = _states(exports)
            bell.seen = _marker(states)
            if states != last:
                yield exports
                last = states
            if all(s is not ExportStatus.PENDING for s in states.values()):
                return
            await bell.wait()  # a ring, a hub reconnect, or the shared recheck
