"""Batch look-ups by id, for DataLoaders: one query per batch whatever the page size, in
the caller's session (a DataLoader batch opens one `reading()`)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import Resume, TailoringJob


async def _by_ids(session: AsyncSession, model: Any, ids: Sequence[uuid.UUID]) -> list[Any]:
    rows = (await session.execute(select(model).where(model.id.in_(list(ids))))).scalars()
    found = {row.id: row for row in rows}
    return [found.get(i) for i in ids]


async def jobs_by_ids(session: AsyncSession, ids: Sequence[uuid.UUID]) -> list[TailoringJob | None]:
    return await _by_ids(session, TailoringJob, ids)


async def resumes_by_ids(session: AsyncSession, ids: Sequence[uuid.UUID]) -> list[Resume | None]:
    return await _by_ids(session, Resume, ids)
