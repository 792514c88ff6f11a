"""Reading stored documents (parsed resumes, job postings) for the API.

A stored document is a JSON tree; rebuilding it into objects costs time in proportion to
its size, and a listing must not pay that for rows whose content nobody asked for. So
callers rebuild lazily (only the fields that need the content call `built`), off the
event loop (a small thread pool: /health and every other request keep being served), and
once per stored version (an LRU keyed by row id and update time).
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar, cast

from sqlalchemy import Select, Text, inspect, select
from sqlalchemy import cast as sql_cast
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import defer

from app.documents.models import JobPosting, ResumeDocument
from app.documents.serde import rebuild

T = TypeVar("T")
M = TypeVar("M")

CACHE_ENTRIES = 64
BUILD_THREADS = 2

_pool = ThreadPoolExecutor(max_workers=BUILD_THREADS, thread_name_prefix="documents")
_cache: OrderedDict[Hashable, Any] = OrderedDict()
_building: dict[Hashable, asyncio.Future[Any]] = {}


async def built(key: Hashable, build: Callable[[], T]) -> T:
    """`build()` run in the pool once per key; concurrent callers share one build."""
    if key in _cache:
        _cache.move_to_end(key)
        return cast(T, _cache[key])
    pending = _building.get(key)
    if pending is not None:
        return cast(T, await asyncio.shield(pending))
    future = asyncio.get_running_loop().run_in_executor(_pool, build)
    _building[key] = future
    try:
        value = await asyncio.shield(future)
    finally:
        _building.pop(key, None)
    _cache[key] = value
    while len(_cache) > CACHE_ENTRIES:
        _cache.popitem(last=False)
    return value


def cached(key: Hashable) -> Any | None:
    """What `built` made for `key`, if it is still cached."""
    if key in _cache:
        _cache.move_to_end(key)
        return _cache[key]
    return None


def _tree(source: dict[str, Any] | str) -> dict[str, Any]:
    # Listings leave the JSON column unread; it is fetched as text and decoded here, in
    # the pool, rather than by the database driver on the event loop.
    return json.loads(source) if isinstance(source, str) else source


def resume_document(source: dict[str, Any] | str) -> ResumeDocument:
    return rebuild(ResumeDocument, _tree(source))


def job_posting(source: dict[str, Any] | str) -> JobPosting:
    return rebuild(JobPosting, _tree(source))


def without_content(query: Select[M], model: type[M]) -> Select[M]:
    """A listing query that leaves the stored document (`parsed`) unread."""
    return query.options(defer(model.parsed))  # type: ignore[attr-defined]


async def stored_source(
    row: Any, fetch: Callable[[uuid.UUID], Awaitable[str | None]]
) -> dict[str, Any] | str | None:
    """The row's stored document: as loaded, or fetched as text when a listing left it out."""
    if "parsed" in inspect(row).unloaded:
        return await fetch(row.id)
    parsed: dict[str, Any] | None = row.parsed
    return parsed


async def parsed_texts(session: AsyncSession, model: Any, ids: list[uuid.UUID]) -> list[str | None]:
    """The stored documents of `ids` as JSON text, one query (for a DataLoader)."""
    result = await session.execute(
        select(model.id, sql_cast(model.parsed, Text)).where(model.id.in_(ids))
    )
    found: dict[uuid.UUID, str | None] = {row[0]: row[1] for row in result}
    return [found.get(i) for i in ids]
