"""Share links: an unguessable URL that shows one accepted version read-only.

The token (256 random bits) is returned once; only its SHA-256 is stored, so the table
alone opens nothing. A link shows exactly one version's resume and cover letter and its
PDF; expired, revoked or deleted ones all answer the same 404.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import uuid
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import Export, Resume, ShareLink, Version
from app.db.models.enums import ExportDocument, ExportFormat, ExportStatus
from app.errors import InvalidInput, NotFound
from app.runtime import Runtime
from app.services import gates
from app.services.ownership import owned

MIN_TTL_S = 60
DEFAULT_TTL_S = 7 * 24 * 3600
ROUTE_PREFIX = "/share/"


@dataclass(frozen=True)
class CreatedShareLink:
    link: ShareLink
    url: str


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def share_url(runtime: Runtime, token: str) -> str:
    return runtime.settings.public_base_url.rstrip("/") + ROUTE_PREFIX + token


async def create(
    session: AsyncSession,
    runtime: Runtime,
    user_id: uuid.UUID,
    version_id: uuid.UUID,
    expires_in_s: int | None,
) -> CreatedShareLink:
    ttl = DEFAULT_TTL_S if expires_in_s is None else expires_in_s
    cap = runtime.settings.share_link_max_ttl_s
    if not MIN_TTL_S <= ttl <= cap:
        raise InvalidInput(f"expiresIn must be {MIN_TTL_S} to {cap} seconds", field="expiresIn")
    await owned(session, Version, version_id, user_id, what="version")
    await gates.check_share_link(runtime, user_id)
    token = secrets.token_urlsafe(32)
    link = ShareLink(
        id=uuid.uuid4(),
        user_id=user_id,
        version_id=version_id,
        token_hash=hash_token(token),
        expires_at=dt.datetime.now(dt.UTC) + dt.timedelta(seconds=ttl),
        view_count=0,
    )
    session.add(link)
    return CreatedShareLink(link, share_url(runtime, token))


async def revoke(session: AsyncSession, user_id: uuid.UUID, link_id: uuid.UUID) -> ShareLink:
    link = await owned(session, ShareLink, link_id, user_id, what="share link", for_update=True)
    if link.revoked_at is None:
        link.revoked_at = dt.datetime.now(dt.UTC)
    return link


async def links_of(
    session: AsyncSession, user_id: uuid.UUID, version_id: uuid.UUID
) -> list[ShareLink]:
    result = await session.execute(
        select(ShareLink)
        .where(ShareLink.user_id == user_id, ShareLink.version_id == version_id)
        .order_by(ShareLink.created_at.desc())
    )
    return list(result.scalars())


async def open_link(session: AsyncSession, token: str, *, count_view: bool) -> Version:
    """The version behind a live token (counting a view if asked, in the caller's
    transaction); NotFound otherwise."""
    if not 20 <= len(token) <= 100:
        raise NotFound("share link")
    now = dt.datetime.now(dt.UTC)
    live = (
        ShareLink.token_hash == hash_token(token),
        ShareLink.revoked_at.is_(None),
        ShareLink.expires_at > now,
    )
    if count_view:
        result = await session.execute(
            update(ShareLink)
            .where(*live)
            .values(view_count=ShareLink.view_count + 1, last_viewed_at=now)
            .returning(ShareLink.version_id)
        )
    else:
        result = await session.execute(select(ShareLink.version_id).where(*live))
    version_id = result.scalar_one_or_none()
    version = await session.get(Version, version_id) if version_id else None
    resume = await session.get(Resume, version.resume_id) if version else None
    if version is None or version.deleted_at is not None or resume is None:
        raise NotFound("share link")
    if resume.deleted_at is not None:
        raise NotFound("share link")
    return version


async def ready_export_keys(
    session: AsyncSession, version_id: uuid.UUID, fmt: ExportFormat
) -> dict[ExportDocument, str]:
    """Where the stored files of the version's READY exports in `fmt` are, per document
    (resume, cover letter), in one query."""
    result = await session.execute(
        select(Export.document, Export.storage_key).where(
            Export.version_id == version_id,
            Export.format == fmt,
            Export.status == ExportStatus.READY,
            Export.storage_key.is_not(None),
        )
    )
    return {document: str(key) for document, key in result.all()}
