"""Keyset paging over (created_at, id), newest first: stable under concurrent inserts."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import Select, tuple_

Keyset = tuple[dt.datetime, uuid.UUID]


def newest_first(query: Select[Any], model: Any, after: Keyset | None, limit: int) -> Select[Any]:
    if after is not None:
        query = query.where(tuple_(model.created_at, model.id) < tuple_(*after))
    return query.order_by(model.created_at.desc(), model.id.desc()).limit(limit)
