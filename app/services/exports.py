"""Export files of a version: render (worker), retry, and owner-scoped download links."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

import structlog
from sqlalchemy import select

from app.db.models import Export, Version
from app.db.models.enums import ExportDocument, ExportStatus
from app.errors import AppError, NotFound
from app.exports import DocumentKind, ExportError, export, from_markdown
from app.runtime import Runtime
from app.services.versions import enqueue_export
from app.storage.keys import user_key

log = structlog.get_logger("exports")


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
    """Render one export and store the file. Idempotent: a READY export is left alone."""
    async with runtime.db() as session:
        row = await session.get(Export, export_id)
        version = await session.get(Version, row.version_id) if row else None
    if row is None or version is None or row.status is ExportStatus.READY:
        return None
    kind: DocumentKind = "resume" if row.document is ExportDocument.RESUME else "cover_letter"
    markdown = _document_markdown(version, row.document)
    try:
        if not markdown.strip():
            raise ExportError("EXPORT_FAILED", "there is no cover letter to export")
        doc = from_markdown(markdown, kind)
        result = await asyncio.to_thread(export, doc, row.format.value, row.template)
    except ExportError as exc:
        await _set(runtime, export_id, ExportStatus.FAILED, error_code=exc.code)
        log.info("export_failed", export_id=str(export_id), error_code=exc.code)
        return ExportStatus.FAILED
    key = user_key(
        row.user_id,
        "versions",
        str(version.id),
        f"{row.document.value.lower()}-{row.template}.{result.extension}",
    )
    await runtime.store.put(key, result.data, result.content_type)
    await _set(
        runtime,
        export_id,
        ExportStatus.READY,
        storage_key=key,
        size=len(result.data),
        warnings=result.warnings,
    )
    return ExportStatus.READY


async def _set(
    runtime: Runtime,
    export_id: uuid.UUID,
    status: ExportStatus,
    *,
    error_code: str | None = None,
    storage_key: str | None = None,
    size: int | None = None,
    warnings: list[str] | None = None,
) -> None:
    async with runtime.db() as session, session.begin():
        row = await session.get(Export, export_id, with_for_update=True)
        if row is None:
            return
        row.status = status
        row.error_code = error_code
        if storage_key is not None:
            row.storage_key = storage_key
            row.size_bytes = size
        if warnings is not None:
            row.warnings = warnings


async def mark_failed(runtime: Runtime, export_id: uuid.UUID, code: str) -> None:
    """For the worker when it gives up (e.g. storage unreachable on every try)."""
    await _set(runtime, export_id, ExportStatus.FAILED, error_code=code)


async def retry_export(runtime: Runtime, user_id: uuid.UUID, export_id: uuid.UUID) -> Export:
    """A FAILED export is queued again; the version itself is untouched."""
    async with runtime.db() as session, session.begin():
        row = await session.get(Export, export_id, with_for_update=True)
        if row is None or row.user_id != user_id:
            raise NotFound("export")
        if row.status is not ExportStatus.FAILED:
            raise AppError(
                f"only failed exports can be retried (this one is {row.status.value})",
                code="EXPORT_NOT_RETRYABLE",
            )
        row.status = ExportStatus.PENDING
        row.error_code = None
    await enqueue_export(runtime, export_id, attempt=int(dt.datetime.now(dt.UTC).timestamp()))
    return row


async def exports_for_versions(
    runtime: Runtime, version_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[Export]]:
    grouped: dict[uuid.UUID, list[Export]] = {v: [] for v in version_ids}
    if not version_ids:
        return grouped
    async with runtime.db() as session:
        rows = (
            await session.execute(
                select(Export)
                .where(Export.version_id.in_(list(version_ids)))
                .order_by(Export.document, Export.format)
            )
        ).scalars()
        for row in rows:
            grouped[row.version_id].append(row)
    return grouped


def _download_name(version: Version, row: Export) -> str:
    name = str(version.content.get("resume", {}).get("job_title") or "resume")
    base = re.sub(r"[^A-Za-z0-9 ._-]+", "", name).strip() or "resume"
    what = "cover-letter" if row.document is ExportDocument.COVER_LETTER else "resume"
    ext = {"PDF": "pdf", "DOCX": "docx", "MARKDOWN": "md", "TEXT": "txt"}[row.format.value]
    return f"{base} - {what} v{version.number}.{ext}"


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
