"""Parse GraphQL ID arguments into UUIDs with a clean INVALID_INPUT on garbage."""

from __future__ import annotations

import uuid

from app.errors import InvalidInput


def parse_id(value: str, field: str = "id") -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError as exc:
        raise InvalidInput(f"'{field}' is not a valid id", field=field) from exc
