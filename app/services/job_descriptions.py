"""Job descriptions: pasted text or an uploaded file, parsed into a JobPosting.
Functions take the caller's session (its transaction: app.db.unit_of_work)."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.config import Settings
from app.db.models import JobDescription
from app.documents import DocumentError, parse_job_posting_sandboxed
from app.documents.models import JobPosting
from app.errors import AppError, InvalidInput
from app.runtime import Runtime
from app.services import gates
from app.services.ownership import owned
from app.services.paging import Listing
from app.services.stored_documents import without_content
from app.services.stored_objects import store_for_rows
from app.storage.keys import user_key


@dataclass(frozen=True)
class JobDescriptionInput:
    text: str | None
    data: bytes | None
    filename: str | None
    title: str | None
    company: str | None


def _clean(value: str | None, limit: int) -> str | None:
    return (value or "").strip()[:limit] or None


def _checked_bytes(settings: Settings, given: JobDescriptionInput) -> bytes:
    """The raw input, refused when missing, empty or over the size limit."""
    if (given.text is None) == (given.data is None):
        raise InvalidInput("give either the text or a file, not both", field="text")
    raw = given.data if given.data is not None else (given.text or "").encode()
    if not raw.strip():
        raise InvalidInput("the job description is empty", field="text")
    if len(raw) > settings.max_job_description_bytes:
        raise AppError(
            f"job descriptions may be at most "
            f"{settings.max_job_description_bytes // (1024 * 1024)} MB",
            code="SIZE_EXCEEDED",
        )
    return raw


async def _parse(settings: Settings, given: JobDescriptionInput) -> JobPosting:
    try:
        # Pasted text goes to the sandbox like a file: parsing megabytes of text is CPU
        # work with a time and memory budget, never the API process's.
        posting: JobPosting = await asyncio.to_thread(
            parse_job_posting_sandboxed,
            given.data if given.data is not None else given.text or "",
            given.filename,
            title=_clean(given.title, 300),
            company=_clean(given.company, 300),
            timeout_s=settings.parse_timeout_s,
            memory_mb=settings.parse_memory_mb,
        )
    except DocumentError as exc:
        # Unlike resumes, a job description we cannot read is simply refused.
        raise AppError(exc.message, code=exc.code) from exc
    if not posting.title:
        raise InvalidInput("give the job title: none was found in the text", field="title")
    return posting


def _row(
    row_id: uuid.UUID,
    user_id: uuid.UUID,
    posting: JobPosting,
    given: JobDescriptionInput,
    key: str | None,
) -> JobDescription:
    return JobDescription(
        id=row_id,
        user_id=user_id,
        title=(posting.title or "")[:300],  # _parse refuses a posting without one
        company=(posting.company or "")[:300] or None,
        location=(posting.location or "")[:300] or None,
        remote=posting.remote.value if posting.remote else None,
        salary=(posting.salary or "")[:200] or None,
        text=posting.text,
        source_filename=_clean(given.filename, 255),
        storage_key=key,
        parsed=posting.to_dict(),
        warnings=list(posting.warnings),
    )


async def create_job_description(
    session: AsyncSession, runtime: Runtime, user_id: uuid.UUID, given: JobDescriptionInput
) -> JobDescription:
    """Check, parse (in the sandbox, before the first statement: the caller's transaction
    holds no connection meanwhile), keep an uploaded file, write the row."""
    _checked_bytes(runtime.settings, given)
    await gates.check_upload(runtime, user_id)  # parsing costs: limited per user
    posting = await _parse(runtime.settings, given)
    row_id = uuid.uuid4()
    key = None
    if given.data is not None:
        key = user_key(user_id, "job-descriptions", str(row_id), "original")
        in_use = select(JobDescription.id).where(JobDescription.id == row_id)
        await store_for_rows(
            session, runtime, key, given.data, "application/octet-stream", in_use=in_use
        )
    row = _row(row_id, user_id, posting, given, key)
    session.add(row)
    await session.flush()  # a refused row surfaces here (its file goes with the rollback)
    return row


async def get_job_description(
    session: AsyncSession, user_id: uuid.UUID, job_description_id: uuid.UUID
) -> JobDescription:
    return await owned(session, JobDescription, job_description_id, user_id, what="job description")


def list_job_descriptions(runtime: Runtime, user_id: uuid.UUID) -> Listing[JobDescription]:
    query = select(JobDescription).where(
        JobDescription.user_id == user_id, JobDescription.deleted_at.is_(None)
    )
    # The stored document stays unread: only fields that show it fetch it.
    return Listing(runtime.db, without_content(query, JobDescription), JobDescription)


def job_posting(row: JobDescription) -> JobPosting:
    return JobPosting.from_dict(row.parsed)
