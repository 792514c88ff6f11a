"""Resumes: upload (validate, store the raw file, parse in a sandbox), list, get, delete.
Functions take the caller's session (its transaction: app.db.unit_of_work)."""

from __future__ import annotations

import asyncio
import hashlib
import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.config import Settings
from app.db.models import Resume
from app.db.models.enums import ParseStatus
from app.documents import DocumentError, parse_resume_sandboxed
from app.documents.models import ResumeDocument
from app.errors import AppError, InvalidInput
from app.runtime import Runtime
from app.services import gates
from app.services.ownership import owned
from app.services.paging import Listing
from app.services.stored_documents import without_content
from app.services.stored_objects import store_for_rows
from app.storage.keys import user_key

# Failures that mean "this is not something we accept": nothing is written.
REJECT_CODES = frozenset({"UNSUPPORTED_FORMAT", "SIZE_EXCEEDED", "INVALID_INPUT"})

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "markdown": "text/markdown; charset=utf-8",
    "text": "text/plain; charset=utf-8",
}
EXTENSIONS = {"pdf": ".pdf", "docx": ".docx", "markdown": ".md", "text": ".txt"}


@dataclass(frozen=True)
class ResumeUpload:
    data: bytes
    filename: str | None
    title: str | None


def _guess_format(filename: str | None) -> str | None:
    if not filename or "." not in filename:
        return None
    ext = filename.rsplit(".", 1)[1].lower()
    return {"pdf": "pdf", "docx": "docx", "md": "markdown", "markdown": "markdown"}.get(
        ext, "text" if ext == "txt" else None
    )


async def _parse(
    settings: Settings, upload: ResumeUpload
) -> tuple[ResumeDocument | None, DocumentError | None]:
    """The parsed resume, or why it could not be parsed (kept with the row); refusals
    (not a format we accept, too large) raise."""
    try:
        parsed = await asyncio.to_thread(
            parse_resume_sandboxed,
            upload.data,
            upload.filename,
            timeout_s=settings.parse_timeout_s,
            memory_mb=settings.parse_memory_mb,
        )
    except DocumentError as exc:
        if exc.code in REJECT_CODES:
            raise AppError(exc.message, code=exc.code) from exc
        return None, exc  # kept with the raw file, so the person can see why
    return parsed, None


async def upload_resume(
    session: AsyncSession, runtime: Runtime, user_id: uuid.UUID, upload: ResumeUpload
) -> Resume:
    """Parsing runs before the first statement, so the caller's transaction holds no
    database connection while the sandbox works."""
    settings = runtime.settings
    if not upload.data:
        raise InvalidInput("the file is empty", field="file")
    if len(upload.data) > settings.max_resume_bytes:
        raise AppError(
            f"resumes may be at most {settings.max_resume_bytes // (1024 * 1024)} MB",
            code="SIZE_EXCEEDED",
        )
    title = (upload.title or "").strip()[:200] or None
    await gates.check_upload(runtime, user_id)  # parsing costs: limited per user
    resume_id = uuid.uuid4()
    parsed, failure = await _parse(settings, upload)
    source_format = parsed.source_format if parsed else _guess_format(upload.filename)
    content_type = CONTENT_TYPES.get(source_format or "", "application/octet-stream")
    key = user_key(
        user_id, "resumes", str(resume_id), "original" + EXTENSIONS.get(source_format or "", "")
    )
    in_use = select(Resume.id).where(Resume.id == resume_id)
    await store_for_rows(session, runtime, key, upload.data, content_type, in_use=in_use)
    row = Resume(
        id=resume_id,
        user_id=user_id,
        title=title or _title_from(parsed, upload.filename),
        filename=(upload.filename or "")[:255] or None,
        content_type=content_type,
        source_format=source_format,
        size_bytes=len(upload.data),
        sha256=hashlib.sha256(upload.data).hexdigest(),
        storage_key=key,
        parse_status=ParseStatus.PARSED if parsed else ParseStatus.FAILED,
        parse_error_code=failure.code if failure else None,
        parse_error_message=failure.message if failure else None,
        parsed=parsed.to_dict() if parsed else None,
    )
    session.add(row)
    await session.flush()  # a refused row surfaces here (its file goes with the rollback)
    return row


def _title_from(parsed: ResumeDocument | None, filename: str | None) -> str | None:
    if parsed and parsed.contact.name:
        return f"{parsed.contact.name} resume"[:200]
    return (filename or "")[:200] or None


async def get_resume(session: AsyncSession, user_id: uuid.UUID, resume_id: uuid.UUID) -> Resume:
    return await owned(session, Resume, resume_id, user_id, what="resume")


def list_resumes(runtime: Runtime, user_id: uuid.UUID) -> Listing[Resume]:
    query = select(Resume).where(Resume.user_id == user_id, Resume.deleted_at.is_(None))
    # The stored document stays unread: only fields that show it fetch it.
    return Listing(runtime.db, without_content(query, Resume), Resume)


async def delete_resume(
    session: AsyncSession, runtime: Runtime, user_id: uuid.UUID, resume_id: uuid.UUID
) -> Resume:
    """Gone for good, with its jobs, versions, files and share links (app.services.deletion)."""
    from app.services.deletion import delete_resume as cascade

    return await cascade(session, runtime, user_id, resume_id)


def parse_not_ready() -> AppError:
    return AppError(
        "this resume could not be parsed; upload it again as DOCX or text",
        code="PARSE_NOT_READY",
    )


def parsed_resume(row: Resume) -> ResumeDocument:
    if row.parse_status is not ParseStatus.PARSED or row.parsed is None:
        raise parse_not_ready()
    return ResumeDocument.from_dict(row.parsed)
