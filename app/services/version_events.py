"""Export status changes of a version, pushed to subscribers so clients stop polling.

The worker rings `version:{id}` on Redis after an export's status commits; the API's event
hub wakes the version's subscribers, who re-read the exports from Postgres (the truth:
a lost publish only delays an update until the next quiet-time recheck)."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator

from app.db.models import Export
from app.db.models.enums import ExportStatus
from app.db.unit_of_work import reading
from app.runtime import Runtime
from app.services.exports import exports_for_versions
from app.services.version_bell import version_channel

QUIET_RECHECK_S = 2.0


def _states(exports: list[Export]) -> dict[uuid.UUID, ExportStatus]:
    return {e.id: e.status for e in exports}


async def follow_exports(
    runtime: Runtime, version_id: uuid.UUID, *, quiet_recheck_s: float = QUIET_RECHECK_S
) -> AsyncIterator[list[Export]]:
    """The version's exports now, then again each time a status changes; ends once every
    export is READY or FAILED."""
    async with runtime.hub.listen(version_channel(version_id)) as queue:
        last: dict[uuid.UUID, ExportStatus] | None = None
        while True:
            async with reading(runtime.db) as session:  # one short read per wake-up
                exports = (await exports_for_versions(session, [version_id]))[version_id]
            states = _states(exports)
            if states != last:
                yield exports
                last = states
            if all(s is not ExportStatus.PENDING for s in states.values()):
                return
            # Silence also re-reads: pub/sub is at-most-once.
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(queue.get(), quiet_recheck_s)
