"""Keyset paging over (created_at, id), newest first: stable under concurrent inserts.

Services describe a list as a `Listing` (a filtered query, not yet run); the API layer
asks it for one window of rows, forwards (`first`/`after`) or backwards (`last`/`before`),
and for the total only when a client selects it. Each of the two runs in its own read
(`reading()`): the count may be asked for after the resolver that made the page returned.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, func, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.db.unit_of_work import reading

Keyset = tuple[dt.datetime, uuid.UUID]
RowT = TypeVar("RowT")


def newest_first(query: Select[Any], model: Any, after: Keyset | None, limit: int) -> Select[Any]:
    if after is not None:
        query = query.where(tuple_(model.created_at, model.id) < tuple_(*after))
    return query.order_by(model.created_at.desc(), model.id.desc()).limit(limit)


@dataclass(frozen=True)
class Window:
    """`size` rows after `after` (older) or, when `backward`, the `size` rows just before
    `before` (newer), i.e. the end of the list closest to that cursor."""

    size: int
    after: Keyset | None = None
    before: Keyset | None = None
    backward: bool = False


@dataclass(frozen=True)
class RowPage(Generic[RowT]):
    rows: list[RowT]  # newest first, at most `size`
    has_more: bool  # more rows lie beyond the window, in the direction it was read


def window_query(query: Select[Any], model: Any, window: Window) -> Select[Any]:
    key = tuple_(model.created_at, model.id)
    if window.after is not None:
        query = query.where(key < tuple_(*window.after))
    if window.before is not None:
        query = query.where(key > tuple_(*window.before))
    if window.backward:
        order = (model.created_at.asc(), model.id.asc())
    else:
        order = (model.created_at.desc(), model.id.desc())
    # One extra row says whether the window is the last one in its direction.
    return query.order_by(*order).limit(window.size + 1)


@dataclass(frozen=True)
class Listing(Generic[RowT]):
    """A filtered list of `model` rows, run only when a window or the count is asked for."""

    db: async_sessionmaker[AsyncSession]
    query: Select[Any]
    model: Any

    async def page(self, window: Window) -> RowPage[RowT]:
        async with reading(self.db) as session:
            result = await session.execute(window_query(self.query, self.model, window))
            rows: list[RowT] = list(result.scalars())
        has_more = len(rows) > window.size
        rows = rows[: window.size]
        if window.backward:
            rows.reverse()
        return RowPage(rows, has_more)

    async def count(self) -> int:
        counted = select(func.count()).select_from(self.query.order_by(None).subquery())
        async with reading(self.db) as session:
            return int((await session.execute(counted)).scalar_one())
