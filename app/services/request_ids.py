"""Client request ids (idempotency keys) as the mutations that take one accept them."""

from __future__ import annotations

from app.errors import InvalidInput

MAX_LENGTH = 128


def checked_client_request_id(value: str | None) -> str | None:
    """The key trimmed, or None when the client sent none; InvalidInput if it is empty or
    longer than MAX_LENGTH."""
    if value is None:
        return None
    value = value.strip()
    if not 1 <= len(value) <= MAX_LENGTH:
        raise InvalidInput(
            f"clientRequestId must be 1 to {MAX_LENGTH} characters", field="clientRequestId"
        )
    return value
