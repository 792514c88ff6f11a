"""Load a row that belongs to a user, or NOT_FOUND: the one owner check every service uses.

Someone else's row and a missing one raise the same error with the same message, so an id
never tells a caller that it exists. Soft-deleted rows (`deleted_at` set) count as missing
unless the caller asks for them.
"""

from __future__ import annotations

import uuid
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from app.db.base import Base
from app.errors import NotFound

Row = TypeVar("Row", bound=Base)


async def owned(
    session: AsyncSession,
    model: type[Row],
    row_id: uuid.UUID,
    user_id: uuid.UUID,
    *,
    what: str,
    for_update: bool = False,
    include_deleted: bool = False,
) -> Row:
    """The `model` row `row_id` if `user_id` owns it; NotFound(`what`) otherwise."""
    row = await session.get(
        model, row_id, with_for_update=True if for_update else None, populate_existing=for_update
    )
    if row is None or getattr(row, "user_id", None) != user_id:
        raise NotFound(what)
    if not include_deleted and getattr(row, "deleted_at", None) is not None:
        raise NotFound(what)
    return row
