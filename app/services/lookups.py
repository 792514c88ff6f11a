"""Batch look-ups by id, for DataLoaders: one query per batch whatever the page size."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select

from app.db.models import Resume, TailoringJob
from app.runtime import Runtime


async def _by_ids(runtime: Runtime, model: Any, ids: Sequence[uuid.UUID]) -> list[Any]:
    async with runtime.db() as session:
        rows = (await session.execute(select(model).where(model.id.in_(list(ids))))).scalars()
        found = {row.id: row for row in rows}
    return [found.get(i) for i in ids]


async def jobs_by_ids(runtime: Runtime, ids: Sequence[uuid.UUID]) -> list[TailoringJob | None]:
    return await _by_ids(runtime, TailoringJob, ids)


async def resumes_by_ids(runtime: Runtime, ids: Sequence[uuid.UUID]) -> list[Resume | None]:
    return await _by_ids(runtime, Resume, ids)
