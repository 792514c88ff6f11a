"""Batch look-ups by id, for DataLoaders: one query per batch whatever the page size, in
the caller's session (a DataLoader batch opens one `reading()`)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from app.db.models import Resume, TailoringJob

Row = TypeVar("Row")


async def _by_ids(session: AsyncSession, model: Any, ids: Sequence[uuid.UUID]) -> list[Any]:
    rows = (await session.execute(select(model).where(model.id.in_(list(ids))))).scalars()
    found = {row.id: row for row in rows}
    return [found.get(i) for i in ids]


async def jobs_by_ids(session: AsyncSession, ids: Sequence[uuid.UUID]) -> list[TailoringJob | None]:
    return await _by_ids(session, TailoringJob, ids)


async def resumes_by_ids(session: AsyncSession, ids: Sequence[uuid.UUID]) -> list[Resume | None]:
    return await _by_ids(session, Resume, ids)


async def grouped_by_parent(
    session: AsyncSession,
    model: type[Row],
    parent: InstrumentedAttribute[uuid.UUID],
    parent_ids: Sequence[uuid.UUID],
    *order_by: ColumnElement[Any] | InstrumentedAttribute[Any],
) -> dict[uuid.UUID, list[Row]]:
    """The `model` rows of each parent (by its `parent` column) in `order_by` order, in one
    query; a parent without rows maps to an empty list."""
    grouped: dict[uuid.UUID, list[Row]] = {p: [] for p in parent_ids}
    if not parent_ids:
        return grouped
    query = select(model).where(parent.in_(list(parent_ids))).order_by(*order_by)
    for row in (await session.execute(query)).scalars():
        grouped[getattr(row, parent.key)].append(row)
    return grouped
