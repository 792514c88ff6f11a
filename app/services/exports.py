"""Export files of a version: render (worker), retry, and owner-scoped download links.

Functions take the caller's session (its transaction: app.db.unit_of_work); new queue
entries and the version's doorbell go out after the commit (`after_commit`). `run_export`
is the one workflow here: it spans transactions, because rendering must not hold one."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

import structlog
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from app import queue
from app.db.models import Export, Version
from app.db.models.enums import ExportDocument, ExportFormat, ExportStatus
from app.db.unit_of_work import after_commit, reading, transaction
from app.errors import AppError
from app.exports import DocumentKind, ExportError, download_name, export, stored_document
from app.observability.metrics import EXPORTS_FINISHED
from app.runtime import Runtime
from app.services.lookups import grouped_by_parent
from app.services.ownership import owned
from app.services.stored_objects import discard_unless_in_use, store_for_rows
from app.services.version_bell import ring
from app.storage.keys import user_key

log = structlog.get_logger("exports")

# A new export's queue entry is written right after its row commits (after_commit);
# an export younger than this without an entry may simply not be queued yet.
ENQUEUE_GRACE_S = 10.0


@dataclass(frozen=True)
class DownloadLink:
    export: Export
    url: str | None  # None until the export is READY
    expires_at: dt.datetime | None


def _document_markdown(version: Version, document: ExportDocument) -> str:
    if document is ExportDocument.RESUME:
        return version.markdown
    return str(version.content.get("cover_letter_markdown") or "")


async def run_export(runtime: Runtime, export_id: uuid.UUID) -> ExportStatus | None:
    """Render one export and store the file. Idempotent: a READY export is left alone.
    Reads, renders (no transaction open), then records the outcome in a transaction."""
    async with reading(runtime.db) as session:
        row = await session.get(Export, export_id)
        version = await session.get(Version, row.version_id) if row else None
    if row is None or version is None or row.status is ExportStatus.READY:
        return None
    kind: DocumentKind = "resume" if row.document is ExportDocument.RESUME else "cover_letter"
    markdown = _document_markdown(version, row.document)
    try:
        if not markdown.strip():
            raise ExportError("EXPORT_FAILED", "there is no cover letter to export")
        doc = stored_document(version.content, markdown, kind)  # structure, not Markdown
        result = await asyncio.to_thread(export, doc, row.format.value, row.template)
    except ExportError as exc:
        async with transaction(runtime.db) as session:
            await set_status(session, runtime, export_id, ExportStatus.FAILED, error_code=exc.code)
        log.info("export_failed", export_id=str(export_id), error_code=exc.code)
        EXPORTS_FINISHED.labels(row.format.value, ExportStatus.FAILED.value).inc()
        return ExportStatus.FAILED
    key = user_key(
        row.user_id,
        "versions",
        str(version.id),
        f"{row.document.value.lower()}-{row.template}.{result.extension}",
    )
    # Stored inside the transaction that records it (before its first statement, so no
    # connection is held meanwhile): if READY does not commit, the file goes again.
    in_use = select(Export.id).where(Export.id == export_id, Export.storage_key == key)
    async with transaction(runtime.db) as session:
        await store_for_rows(session, runtime, key, result.data, result.content_type, in_use=in_use)
        recorded = await set_status(
            session,
            runtime,
            export_id,
            ExportStatus.READY,
            storage_key=key,
            size=len(result.data),
            warnings=result.warnings,
        )
        if not recorded:  # the export was deleted while it rendered: its file goes too
            after_commit(session, lambda: discard_unless_in_use(runtime, key, in_use))
    EXPORTS_FINISHED.labels(row.format.value, ExportStatus.READY.value).inc()
    return ExportStatus.READY


async def set_status(
    session: AsyncSession,
    runtime: Runtime,
    export_id: uuid.UUID,
    status: ExportStatus,
    *,
    error_code: str | None = None,
    storage_key: str | None = None,
    size: int | None = None,
    warnings: list[str] | None = None,
) -> bool:
    """Whether there was such an export to update."""
    row = await session.get(Export, export_id, with_for_update=True)
    if row is None:
        return False
    row.status = status
    row.error_code = error_code
    if storage_key is not None:
        row.storage_key = storage_key
        row.size_bytes = size
    if warnings is not None:
        row.warnings = warnings
    version_id = row.version_id
    # After the commit: subscribers re-read what is stored.
    after_commit(session, lambda: ring(runtime, version_id))
    return True


async def mark_failed(
    session: AsyncSession, runtime: Runtime, export_id: uuid.UUID, code: str
) -> None:
    """For the worker when it gives up (e.g. storage unreachable on every try)."""
    await set_status(session, runtime, export_id, ExportStatus.FAILED, error_code=code)


def queue_id(row: Export) -> str:
    """The arq id of the export's current queue entry (accept queues `export:<id>:0`)."""
    return row.arq_job_id or queue.export_id(row.id)


async def is_lost(runtime: Runtime, row: Export, now: dt.datetime | None = None) -> bool:
    """PENDING with no queue entry for longer than the grace period: nothing will run it."""
    now = now or dt.datetime.now(dt.UTC)
    if row.status is not ExportStatus.PENDING:
        return False
    if (now - row.updated_at).total_seconds() < ENQUEUE_GRACE_S:
        return False
    return not await queue.entry_exists(runtime.queue, queue_id(row))


def _enqueue_again(session: AsyncSession, runtime: Runtime, row: Export) -> None:
    # A fresh arq id each time: a kept result under an old id would block the entry.
    row.arq_job_id = queue.fresh_export_id(row.id)
    queue.enqueue_after_commit(session, runtime.queue, queue.Task.EXPORT, row.id, row.arq_job_id)


async def create_exports(
    session: AsyncSession, runtime: Runtime, version: Version, formats: Sequence[ExportFormat]
) -> None:
    """One export row per (document, format, template) of a version; new ones are queued
    once their rows have committed."""
    for fmt in dict.fromkeys(formats):
        for document in ExportDocument:
            row_id = uuid.uuid4()
            result = await session.execute(
                insert(Export)
                .values(
                    id=row_id,
                    user_id=version.user_id,
                    version_id=version.id,
                    document=document,
                    format=fmt,
                    template=version.template,
                    status=ExportStatus.PENDING,
                    warnings=[],
                )
                .on_conflict_do_nothing(constraint="uq_exports_version_doc_fmt")
                .returning(Export.id)
            )
            if result.scalar_one_or_none() is not None:
                queue.enqueue_after_commit(
                    session, runtime.queue, queue.Task.EXPORT, row_id, queue.export_id(row_id)
                )


async def retry_export(
    session: AsyncSession, runtime: Runtime, user_id: uuid.UUID, export_id: uuid.UUID
) -> Export:
    """A FAILED export, or a PENDING one whose queue entry was lost, is queued again (after
    the commit: the worker that picks the entry up reads PENDING); the version itself is
    untouched."""
    row = await owned(session, Export, export_id, user_id, what="export", for_update=True)
    if row.status is not ExportStatus.FAILED and not await is_lost(runtime, row):
        raise AppError(
            f"only failed or stalled exports can be retried (this one is "
            f"{row.status.value} and queued)",
            code="EXPORT_NOT_RETRYABLE",
        )
    row.status = ExportStatus.PENDING
    row.error_code = None
    row.attempts = 0
    _enqueue_again(session, runtime, row)
    return row


async def requeue_lost(
    session: AsyncSession, runtime: Runtime, export_id: uuid.UUID, now: dt.datetime | None = None
) -> ExportStatus | None:
    """The sweeper's step for one export: queue a lost PENDING export again, or give up
    (FAILED, retryable by the owner) once it was queued `job_max_tries` times."""
    row = await session.get(Export, export_id, with_for_update=True)
    if row is None or not await is_lost(runtime, row, now):
        return None
    if row.attempts >= runtime.settings.job_max_tries:
        row.status = ExportStatus.FAILED
        row.error_code = "EXPORT_FAILED"
        log.info("export_given_up", export_id=str(export_id), attempts=row.attempts)
        return ExportStatus.FAILED
    row.attempts += 1
    _enqueue_again(session, runtime, row)
    log.info("export_requeued", export_id=str(export_id), attempts=row.attempts)
    return ExportStatus.PENDING


async def lost_export_candidates(
    session: AsyncSession, now: dt.datetime, limit: int = 500
) -> list[uuid.UUID]:
    """PENDING exports untouched for longer than the grace period, oldest first."""
    cutoff = now - dt.timedelta(seconds=ENQUEUE_GRACE_S)
    result = await session.execute(
        select(Export.id)
        .where(Export.status == ExportStatus.PENDING, Export.updated_at < cutoff)
        .order_by(Export.updated_at)
        .limit(limit)
    )
    return list(result.scalars())


async def exports_for_versions(
    session: AsyncSession, version_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[Export]]:
    return await grouped_by_parent(
        session, Export, Export.version_id, version_ids, Export.document, Export.format
    )


def _download_name(version: Version, row: Export) -> str:
    title = str(version.content.get("resume", {}).get("job_title") or "resume")
    what = "cover-letter" if row.document is ExportDocument.COVER_LETTER else "resume"
    return download_name(title, what, row.format.value, version=version.number)


async def download_links(
    runtime: Runtime, version: Version, exports: list[Export]
) -> list[DownloadLink]:
    """Fresh signed URLs for the READY exports (signing is cheap, so links are never
    stale: asking again is how an expired link is refreshed)."""
    ttl = runtime.settings.download_url_ttl_s
    expires = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=ttl)
    links = []
    for row in exports:
        if row.status is ExportStatus.READY and row.storage_key:
            url = await runtime.store.signed_url(
                row.storage_key, ttl, filename=_download_name(version, row)
            )
            links.append(DownloadLink(row, url, expires))
        else:
            links.append(DownloadLink(row, None, None))
    return links
