"""Exports whose queue entry was lost (a Redis restart) are queued again by the sweeper,
given up as FAILED after the last try, and `retryExport` takes a stalled PENDING one."""

from __future__ import annotations

import datetime as dt
import uuid

from redis.asyncio import Redis
from sqlalchemy import select, text

from app import queue
from app.db.models import Export
from app.db.models.enums import ExportStatus
from app.runtime import Runtime
from app.services.exports import ENQUEUE_GRACE_S, queue_id, run_export
from app.services.sweeper import sweep
from tests.integration.conftest import GraphQLClient, error_codes
from tests.integration.hardening_support import accepted_version

RETRY = "mutation($id: ID!) { retryExport(exportId: $id) }"


async def _lose_the_queue(runtime: Runtime) -> None:
    """What a Redis restart without persistence does to queued work."""
    redis: Redis = runtime.queue
    await redis.flushdb()


async def _exports(runtime: Runtime, version_id: str) -> list[Export]:
    async with runtime.db() as session:
        result = await session.execute(
            select(Export).where(Export.version_id == uuid.UUID(version_id)).order_by(Export.id)
        )
        return list(result.scalars())


def _after_grace() -> dt.datetime:
    return dt.datetime.now(dt.UTC) + dt.timedelta(seconds=ENQUEUE_GRACE_S + 1)


async def test_lost_exports_are_queued_again_and_complete(
    client: GraphQLClient, user: tuple[str, str], runtime: Runtime
) -> None:
    version = await accepted_version(client, runtime, ["MARKDOWN", "TEXT"])
    await _lose_the_queue(runtime)
    fresh = await sweep(runtime)  # inside the grace period: maybe not queued yet, left alone
    assert fresh.exports_requeued == []

    report = await sweep(runtime, now=_after_grace())
    exports = await _exports(runtime, version["version"])
    assert sorted(report.exports_requeued) == sorted(e.id for e in exports)
    for row in exports:
        assert row.status is ExportStatus.PENDING and row.attempts == 1
        assert await queue.entry_exists(runtime.queue, queue_id(row))
    # Queued once: a second sweep leaves entries that exist alone.
    assert (await sweep(runtime, now=_after_grace())).exports_requeued == []
    for row in exports:  # the worker's code path, in-process
        assert await run_export(runtime, row.id) is ExportStatus.READY


async def test_export_lost_on_every_try_is_failed_and_retryable(
    client: GraphQLClient, user: tuple[str, str], runtime: Runtime
) -> None:
    version = await accepted_version(client, runtime, ["TEXT"])
    ids = sorted(e.id for e in await _exports(runtime, version["version"]))
    for _ in range(runtime.settings.job_max_tries):
        await _lose_the_queue(runtime)
        assert sorted((await sweep(runtime, now=_after_grace())).exports_requeued) == ids
    await _lose_the_queue(runtime)
    report = await sweep(runtime, now=_after_grace())
    assert sorted(report.exports_failed) == ids
    for row in await _exports(runtime, version["version"]):
        assert row.status is ExportStatus.FAILED and row.error_code == "EXPORT_FAILED"

    assert (await client.ok(RETRY, {"id": str(ids[0])}))["retryExport"] is True
    retried = {e.id: e for e in await _exports(runtime, version["version"])}[ids[0]]
    assert retried.status is ExportStatus.PENDING and retried.attempts == 0
    assert await queue.entry_exists(runtime.queue, queue_id(retried))


async def test_retry_export_takes_a_stalled_pending_export_only(
    client: GraphQLClient, user: tuple[str, str], runtime: Runtime
) -> None:
    version = await accepted_version(client, runtime, ["MARKDOWN"])
    export_id = version["links"][0]["exportId"]
    # Queued and fresh: nothing to retry.
    assert error_codes(await client.run(RETRY, {"id": export_id})) == ["EXPORT_NOT_RETRYABLE"]

    await _lose_the_queue(runtime)
    async with runtime.db() as session, session.begin():
        await session.execute(
            text(
                "UPDATE exports SET updated_at = now() - make_interval(secs => :s) WHERE id = :id"
            ),
            {"s": ENQUEUE_GRACE_S + 5, "id": uuid.UUID(export_id)},
        )
    assert (await client.ok(RETRY, {"id": export_id}))["retryExport"] is True
    row = {e.id: e for e in await _exports(runtime, version["version"])}[uuid.UUID(export_id)]
    assert row.status is ExportStatus.PENDING
    assert await queue.entry_exists(runtime.queue, queue_id(row))
    assert await run_export(runtime, row.id) is ExportStatus.READY
