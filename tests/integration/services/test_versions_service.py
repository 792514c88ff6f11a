"""versions.accept and exports, called as the resolvers call them: one transaction per use
case, exports queued only once it commits."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

import pytest
from sqlalchemy import select

from app import queue
from app.db.models import Export, Version
from app.db.models.enums import ExportFormat, ExportStatus
from app.db.unit_of_work import reading, transaction
from app.errors import AppError, ErrorCode
from app.runtime import Runtime
from app.services import exports, versions
from app.services.exports import run_export
from app.tailoring.acceptance import SectionChoice
from tests.integration.services.conftest import (
    CompletedJob,
    add_inputs,
    count,
    queued,
    request_job,
)


def _request(
    *,
    formats: list[ExportFormat] | None = None,
    sections: list[SectionChoice] | None = None,
    notes: str | None = None,
) -> versions.AcceptRequest:
    return versions.AcceptRequest(
        apply_all=not sections,
        sections=sections or [],
        notes=notes,
        export_formats=formats or [],
        template="classic",
    )


async def _accept(runtime: Runtime, done: CompletedJob, request: versions.AcceptRequest) -> Version:
    async with transaction(runtime.db) as session:
        return await versions.accept(session, runtime, done.inputs.user_id, done.job_id, request)


async def _exports_of(runtime: Runtime, version_id: uuid.UUID) -> list[Export]:
    async with reading(runtime.db) as session:
        return (await exports.exports_for_versions(session, [version_id]))[version_id]


async def test_accept_builds_one_version_per_choice_and_repeats_are_that_version(
    runtime: Runtime, completed_job: CompletedJob
) -> None:
    first = await _accept(runtime, completed_job, _request(notes="take it all"))
    again = await _accept(runtime, completed_job, _request(notes="take it all"))
    assert again.id == first.id and first.number == 1
    assert first.markdown.strip() and first.content["resume"]
    other = await _accept(
        runtime,
        completed_job,
        _request(sections=[SectionChoice("summary", True, None)]),
    )
    assert other.id != first.id and other.number == 2
    assert await count(runtime, Version) == 2


async def test_accepts_exports_are_queued_only_once_the_version_commits(
    runtime: Runtime, completed_job: CompletedJob
) -> None:
    async with transaction(runtime.db) as session:
        version = await versions.accept(
            session,
            runtime,
            completed_job.inputs.user_id,
            completed_job.job_id,
            _request(formats=[ExportFormat.PDF, ExportFormat.TEXT]),
        )
        pending = (await exports.exports_for_versions(session, [version.id]))[version.id]
        assert len(pending) == 4  # resume + letter, two formats
        for row in pending:
            assert not await queued(runtime, queue.export_id(row.id))
    for row in await _exports_of(runtime, version.id):
        assert row.status is ExportStatus.PENDING
        assert await queued(runtime, queue.export_id(row.id))


async def test_a_rolled_back_accept_leaves_no_version_no_export_and_queues_nothing(
    runtime: Runtime, completed_job: CompletedJob
) -> None:
    created: list[uuid.UUID] = []
    with pytest.raises(RuntimeError, match="after accept"):
        async with transaction(runtime.db) as session:
            version = await versions.accept(
                session,
                runtime,
                completed_job.inputs.user_id,
                completed_job.job_id,
                _request(formats=[ExportFormat.DOCX]),
            )
            rows = (await exports.exports_for_versions(session, [version.id]))[version.id]
            created = [row.id for row in rows]
            raise RuntimeError("the use case failed after accept")
    assert len(created) == 2
    assert await count(runtime, Version) == 0
    assert await count(runtime, Export) == 0
    for export_id in created:
        assert not await queued(runtime, queue.export_id(export_id))


async def test_accept_refuses_another_users_job_as_not_found(
    runtime: Runtime, completed_job: CompletedJob
) -> None:
    stranger = uuid.uuid4()  # anyone else: no row of theirs is needed
    with pytest.raises(AppError) as refused:
        async with transaction(runtime.db) as session:
            await versions.accept(session, runtime, stranger, completed_job.job_id, _request())
    assert refused.value.code is ErrorCode.NOT_FOUND
    assert await count(runtime, Version) == 0


async def test_accept_refuses_a_job_that_has_not_completed(
    runtime: Runtime, samples_dir: Path
) -> None:
    inputs = await add_inputs(runtime, samples_dir)
    job_id = await request_job(runtime, inputs)  # QUEUED: nothing ran it
    with pytest.raises(AppError) as refused:
        async with transaction(runtime.db) as session:
            await versions.accept(session, runtime, inputs.user_id, job_id, _request())
    assert refused.value.code == "JOB_NOT_COMPLETED"
    assert await count(runtime, Version) == 0


async def test_accept_refuses_an_unknown_section_and_creates_nothing(
    runtime: Runtime, completed_job: CompletedJob
) -> None:
    with pytest.raises(AppError) as refused:
        await _accept(
            runtime,
            completed_job,
            _request(sections=[SectionChoice("hobbies-of-the-moon", True, None)]),
        )
    assert refused.value.code is ErrorCode.INVALID_INPUT
    assert await count(runtime, Version) == 0


async def test_get_version_is_not_found_for_anyone_else(
    runtime: Runtime, completed_job: CompletedJob
) -> None:
    version = await _accept(runtime, completed_job, _request())
    stranger = uuid.uuid4()  # anyone else: no row of theirs is needed
    async with reading(runtime.db) as session:
        mine = await versions.get_version(session, completed_job.inputs.user_id, version.id)
        assert mine.id == version.id
        with pytest.raises(AppError) as refused:
            await versions.get_version(session, stranger, version.id)
    assert refused.value.code is ErrorCode.NOT_FOUND


async def test_retry_export_requeues_a_failed_export_after_commit_and_only_for_its_owner(
    runtime: Runtime, completed_job: CompletedJob
) -> None:
    version = await _accept(runtime, completed_job, _request(formats=[ExportFormat.TEXT]))
    row = (await _exports_of(runtime, version.id))[0]
    async with transaction(runtime.db) as session:
        await exports.mark_failed(session, runtime, row.id, "EXPORT_FAILED")

    stranger = uuid.uuid4()  # anyone else: no row of theirs is needed
    with pytest.raises(AppError) as refused:
        async with transaction(runtime.db) as session:
            await exports.retry_export(session, runtime, stranger, row.id)
    assert refused.value.code is ErrorCode.NOT_FOUND

    with pytest.raises(RuntimeError):  # rolled back: still FAILED, nothing queued
        async with transaction(runtime.db) as session:
            retried = await exports.retry_export(
                session, runtime, completed_job.inputs.user_id, row.id
            )
            rolled_back_entry = retried.arq_job_id
            raise RuntimeError("rolled back")
    assert rolled_back_entry is not None
    assert not await queued(runtime, rolled_back_entry)
    assert (await _exports_of(runtime, version.id))[0].status is ExportStatus.FAILED

    async with transaction(runtime.db) as session:
        retried = await exports.retry_export(session, runtime, completed_job.inputs.user_id, row.id)
    assert retried.arq_job_id is not None and await queued(runtime, retried.arq_job_id)
    assert (await _exports_of(runtime, version.id))[0].status is ExportStatus.PENDING


async def test_a_queued_export_is_not_retryable(
    runtime: Runtime, completed_job: CompletedJob
) -> None:
    version = await _accept(runtime, completed_job, _request(formats=[ExportFormat.TEXT]))
    row = (await _exports_of(runtime, version.id))[0]
    with pytest.raises(AppError) as refused:
        async with transaction(runtime.db) as session:
            await exports.retry_export(session, runtime, completed_job.inputs.user_id, row.id)
    assert refused.value.code == "EXPORT_NOT_RETRYABLE"


async def test_run_export_renders_once_and_leaves_a_ready_export_alone(
    runtime: Runtime, completed_job: CompletedJob
) -> None:
    version = await _accept(runtime, completed_job, _request(formats=[ExportFormat.MARKDOWN]))
    resume_row = next(
        r for r in await _exports_of(runtime, version.id) if r.document.value == "RESUME"
    )
    assert await run_export(runtime, resume_row.id) is ExportStatus.READY
    async with reading(runtime.db) as session:
        stored = (
            await session.execute(select(Export).where(Export.id == resume_row.id))
        ).scalar_one()
    assert stored.status is ExportStatus.READY and stored.storage_key
    assert await runtime.store.get(stored.storage_key)
    assert await run_export(runtime, resume_row.id) is None  # idempotent


async def test_concurrent_accepts_of_the_same_choices_make_one_version(
    runtime: Runtime, completed_job: CompletedJob
) -> None:
    results = await asyncio.gather(
        *(_accept(runtime, completed_job, _request(notes="same")) for _ in range(4))
    )
    assert len({v.id for v in results}) == 1
    assert await count(runtime, Version) == 1
