"""resumes and job_descriptions in the caller's transaction: bad input writes nothing,
a row that cannot be written leaves no stored file, reads are owner-scoped."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

import pytest
from sqlalchemy.exc import IntegrityError

from app.db.models import JobDescription, Resume
from app.db.models.enums import ParseStatus
from app.db.unit_of_work import reading, transaction
from app.errors import AppError, ErrorCode
from app.runtime import Runtime
from app.services import job_descriptions, resumes
from tests.integration.services.conftest import POSTING, RESUME, add_inputs, count


def _stored_files(runtime: Runtime) -> list[Path]:
    root = Path(runtime.settings.storage_root)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _posting(
    text: str | None = None, data: bytes | None = None
) -> job_descriptions.JobDescriptionInput:
    return job_descriptions.JobDescriptionInput(text, data, "posting.txt", None, None)


async def test_an_upload_is_a_parsed_row_and_its_file_once_committed(
    runtime: Runtime, samples_dir: Path
) -> None:
    owner = (await add_inputs(runtime, samples_dir)).user_id
    data = (samples_dir / RESUME).read_bytes()
    async with transaction(runtime.db) as session:
        row = await resumes.upload_resume(
            session, runtime, owner, resumes.ResumeUpload(data, "cv.md", "  Backend  ")
        )
    assert row.parse_status is ParseStatus.PARSED and row.title == "Backend"
    assert row.storage_key and await runtime.store.get(row.storage_key) == data
    async with reading(runtime.db) as session:
        stored = await resumes.get_resume(session, owner, row.id)
    assert resumes.parsed_resume(stored).experience  # the parse is kept with the row


async def test_a_resume_row_that_cannot_be_written_leaves_no_file(
    runtime: Runtime, samples_dir: Path
) -> None:
    nobody = uuid.uuid4()  # no such user: the row's foreign key refuses it at the flush
    data = (samples_dir / RESUME).read_bytes()
    with pytest.raises(IntegrityError):
        async with transaction(runtime.db) as session:
            await resumes.upload_resume(
                session, runtime, nobody, resumes.ResumeUpload(data, "cv.md", None)
            )
    assert await count(runtime, Resume) == 0
    assert not any(str(nobody) in str(p) for p in _stored_files(runtime))


async def test_a_refused_upload_writes_nothing(runtime: Runtime, samples_dir: Path) -> None:
    owner = (await add_inputs(runtime, samples_dir)).user_id
    before = (await count(runtime, Resume), len(_stored_files(runtime)))
    too_big = b"x" * (runtime.settings.max_resume_bytes + 1)
    for upload, code in (
        (resumes.ResumeUpload(b"", "cv.txt", None), ErrorCode.INVALID_INPUT),
        (resumes.ResumeUpload(too_big, "cv.txt", None), ErrorCode.SIZE_EXCEEDED),
        (
            resumes.ResumeUpload(b"\x00\x01binary\xff" * 50, "cv.exe", None),
            ErrorCode.UNSUPPORTED_FORMAT,
        ),
    ):
        with pytest.raises(AppError) as refused:
            async with transaction(runtime.db) as session:
                await resumes.upload_resume(session, runtime, owner, upload)
        assert refused.value.code is code
    assert (await count(runtime, Resume), len(_stored_files(runtime))) == before


async def test_resume_reads_are_owner_scoped_and_deleted_rows_are_gone(
    runtime: Runtime, samples_dir: Path
) -> None:
    mine = await add_inputs(runtime, samples_dir)
    theirs = await add_inputs(runtime, samples_dir)
    async with reading(runtime.db) as session:
        assert (
            await resumes.get_resume(session, mine.user_id, mine.resume_id)
        ).id == mine.resume_id
        for user_id, row_id in (
            (mine.user_id, theirs.resume_id),
            (theirs.user_id, mine.resume_id),
            (mine.user_id, uuid.uuid4()),
        ):
            with pytest.raises(AppError) as refused:
                await resumes.get_resume(session, user_id, row_id)
            assert refused.value.code is ErrorCode.NOT_FOUND
        with pytest.raises(AppError) as refused:
            await job_descriptions.get_job_description(
                session, theirs.user_id, mine.job_description_id
            )
        assert refused.value.code is ErrorCode.NOT_FOUND
    async with transaction(runtime.db) as session:
        row = await session.get(Resume, mine.resume_id)
        assert row is not None
        row.deleted_at = dt.datetime.now(dt.UTC)
    async with reading(runtime.db) as session:
        with pytest.raises(AppError) as refused:
            await resumes.get_resume(session, mine.user_id, mine.resume_id)
    assert refused.value.code is ErrorCode.NOT_FOUND


async def test_deleting_a_resume_is_undone_by_a_rollback(
    runtime: Runtime, samples_dir: Path
) -> None:
    inputs = await add_inputs(runtime, samples_dir)
    with pytest.raises(RuntimeError):
        async with transaction(runtime.db) as session:
            await resumes.delete_resume(session, runtime, inputs.user_id, inputs.resume_id)
            raise RuntimeError("rolled back")
    assert await count(runtime, Resume) == 1
    assert await runtime.store.get(inputs.resume_key)  # files go only after a commit
    async with transaction(runtime.db) as session:
        await resumes.delete_resume(session, runtime, inputs.user_id, inputs.resume_id)
    assert await count(runtime, Resume) == 0


async def test_a_job_description_from_text_or_file_and_bad_input_writes_nothing(
    runtime: Runtime, samples_dir: Path
) -> None:
    owner = (await add_inputs(runtime, samples_dir)).user_id
    text = (samples_dir / POSTING).read_text()
    before = (await count(runtime, JobDescription), len(_stored_files(runtime)))
    refusals = (
        (_posting(text, text.encode()), ErrorCode.INVALID_INPUT),  # both
        (_posting(None, None), ErrorCode.INVALID_INPUT),  # neither
        (_posting("   \n  "), ErrorCode.INVALID_INPUT),  # empty
        (_posting("x" * (runtime.settings.max_job_description_bytes + 1)), ErrorCode.SIZE_EXCEEDED),
    )
    for given, code in refusals:
        with pytest.raises(AppError) as refused:
            async with transaction(runtime.db) as session:
                await job_descriptions.create_job_description(session, runtime, owner, given)
        assert refused.value.code is code, given
    assert (await count(runtime, JobDescription), len(_stored_files(runtime))) == before

    async with transaction(runtime.db) as session:
        pasted = await job_descriptions.create_job_description(
            session, runtime, owner, _posting(text)
        )
        uploaded = await job_descriptions.create_job_description(
            session, runtime, owner, _posting(None, text.encode())
        )
    assert pasted.title == uploaded.title and pasted.title
    assert pasted.storage_key is None  # pasted text keeps no file
    assert uploaded.storage_key and await runtime.store.get(uploaded.storage_key) == text.encode()


async def test_a_job_description_row_that_cannot_be_written_leaves_no_file(
    runtime: Runtime, samples_dir: Path
) -> None:
    nobody = uuid.uuid4()
    data = (samples_dir / POSTING).read_bytes()
    with pytest.raises(IntegrityError):
        async with transaction(runtime.db) as session:
            await job_descriptions.create_job_description(
                session, runtime, nobody, _posting(None, data)
            )
    assert await count(runtime, JobDescription) == 0
    assert not any(str(nobody) in str(p) for p in _stored_files(runtime))
