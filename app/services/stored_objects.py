"""Objects stored for rows of the caller's transaction: gone again if those rows are not.

A use case that keeps a file with a row (an uploaded resume, an application's form data,
a rendered export) stores it before the row commits, so a committed row never points at a
missing object. `store_for_rows` pairs the two: when the transaction does not commit (its
block raised, the COMMIT failed), the object is deleted again, so none is left with no row
pointing at it. Storing after the commit instead would leave a committed row without its
object whenever the upload failed.
"""

from __future__ import annotations

from typing import Any

import structlog
from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.unit_of_work import on_rollback, reading
from app.runtime import Runtime
from app.storage.keys import owner_of

log = structlog.get_logger("stored_objects")


async def store_for_rows(
    session: AsyncSession,
    runtime: Runtime,
    key: str,
    data: bytes,
    content_type: str,
    *,
    in_use: Select[Any],
) -> None:
    """Store `data` under `key` for rows `session`'s transaction writes; delete it again if
    that transaction does not commit.

    `in_use` selects a committed row that points at `key` (e.g. the new row by its id).
    It is checked, on a fresh connection, before anything is deleted: a COMMIT whose
    connection was lost may have gone through, and a key that a row committed earlier
    already held (an export rendered twice) must stay. Call this before the transaction's
    first statement where possible: the upload then holds no database connection."""
    # Registered first: an upload that fails half-way (or times out after the store took
    # it) may still have left an object.
    on_rollback(session, lambda: discard_unless_in_use(runtime, key, in_use))
    await runtime.store.put(key, data, content_type)


async def discard_unless_in_use(runtime: Runtime, key: str, in_use: Select[Any]) -> None:
    """Delete the object under `key` unless a committed row still points at it. Failures
    are logged (the owner's id and the kind of object, never the object) and not raised:
    the caller is already reporting the error that undid its transaction."""
    owner, kind = owner_of(key), key.split("/")[2]
    try:
        async with reading(runtime.db) as session:
            kept = (await session.execute(in_use.limit(1))).first() is not None
    except Exception as exc:  # the database is still unreachable: keep the object
        log.warning(
            "stored_object_kept_unchecked",
            key_owner=owner,
            kind=kind,
            error_type=type(exc).__name__,
        )
        return
    if kept:
        return
    try:
        await runtime.store.delete(key)
    except Exception as exc:  # a storage outage: logged for cleanup, never raised
        log.warning(
            "stored_object_not_discarded", key_owner=owner, kind=kind, error_type=type(exc).__name__
        )
        return
    log.info("stored_object_discarded", key_owner=owner, kind=kind)
