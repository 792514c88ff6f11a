"""versionUpdates' source: a version's exports as they change, READY and FAILED alike,
woken by the Redis ring and ending once nothing is PENDING."""

from __future__ import annotations

import asyncio
import itertools
import uuid
from pathlib import Path

import pytest

from app.db.models import Export
from app.db.models.enums import ExportStatus
from app.db.unit_of_work import transaction
from app.runtime import Runtime
from app.services.exports import mark_failed, run_export
from app.services.version_events import follow_exports
from tests.integration.conftest import GraphQLClient
from tests.integration.test_versions import _completed_job

ACCEPT = """
mutation($jobId: ID!) { accept(jobId: $jobId, input: {applyAll: true,
  exportFormats: [MARKDOWN, TEXT]}) { id downloadLinks { exportId document format } } }
"""


def _states(exports: list[Export]) -> dict[str, ExportStatus]:
    return {f"{e.document.value}/{e.format.value}": e.status for e in exports}


async def test_ready_and_failed_are_pushed_then_the_stream_ends(
    client: GraphQLClient,
    user: tuple[str, str],
    runtime: Runtime,
    samples_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    job_id, _ = await _completed_job(client, runtime, samples_dir)
    version = (await client.ok(ACCEPT, {"jobId": job_id}))["accept"]
    links = {
        f"{x['document']}/{x['format']}": uuid.UUID(x["exportId"]) for x in version["downloadLinks"]
    }
    # A long shared recheck: every update after the first must come from a ring.
    monkeypatch.setattr(runtime.settings, "version_recheck_s", 30.0)
    seen: list[dict[str, ExportStatus]] = []
    step = asyncio.Event()

    async def follow() -> None:
        async for exports in follow_exports(runtime, uuid.UUID(version["id"])):
            seen.append(_states(exports))
            step.set()

    task = asyncio.create_task(follow())
    await asyncio.wait_for(step.wait(), 10)
    assert set(seen[0].values()) == {ExportStatus.PENDING}

    step.clear()
    async with transaction(runtime.db) as session:
        await mark_failed(session, runtime, links["COVER_LETTER/TEXT"], "EXPORT_FAILED")
    await asyncio.wait_for(step.wait(), 10)
    assert seen[-1]["COVER_LETTER/TEXT"] is ExportStatus.FAILED

    for key in ("RESUME/MARKDOWN", "RESUME/TEXT", "COVER_LETTER/MARKDOWN"):
        await run_export(runtime, links[key])
    await asyncio.wait_for(task, 10)  # nothing PENDING any more: the stream ended
    assert seen[-1] == {
        "RESUME/MARKDOWN": ExportStatus.READY,
        "RESUME/TEXT": ExportStatus.READY,
        "COVER_LETTER/MARKDOWN": ExportStatus.READY,
        "COVER_LETTER/TEXT": ExportStatus.FAILED,
    }
    assert all(a != b for a, b in itertools.pairwise(seen))  # only real changes
