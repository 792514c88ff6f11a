"""The request id that ties a client's error to our log lines."""

from __future__ import annotations

import re
import uuid
from contextvars import ContextVar

current_request_id: ContextVar[str | None] = ContextVar("current_request_id", default=None)

# Accept a caller's id only if it is short and boring; anything else could poison logs.
_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def new_request_id() -> str:
    return uuid.uuid4().hex


def accept_or_new(incoming: str | None) -> str:
    if incoming and _SAFE_ID.match(incoming):
        return incoming
    return new_request_id()
