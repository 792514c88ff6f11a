"""Rate-limit headers on HTTP responses, as HTTP clients and proxies expect them.

`RateLimit-Limit` / `-Remaining` / `-Reset` (seconds to the window's end, IETF draft) go on
every response of a rate-limited action; a RATE_LIMITED refusal also carries `Retry-After`
(the same seconds as its `extensions.retryAfter`). WebSocket operations have no headers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from graphql import GraphQLError
from starlette.responses import Response
from strawberry.extensions import SchemaExtension

from app.errors import AppError
from graphql_schema.types.usage import RateLimit


def _response(context: Any) -> Response | None:
    response = getattr(context, "response", None)
    return response if isinstance(response, Response) else None


def set_rate_headers(context: Any, status: RateLimit) -> None:
    response = _response(context)
    if response is None or status.limit <= 0:
        return
    reset = max(0, int((status.reset_at - dt.datetime.now(dt.UTC)).total_seconds()) + 1)
    response.headers["RateLimit-Limit"] = str(status.limit)
    response.headers["RateLimit-Remaining"] = str(status.remaining)
    response.headers["RateLimit-Reset"] = str(reset)


def _retry_after(error: GraphQLError) -> int | None:
    original: BaseException | None = error.original_error
    while isinstance(original, GraphQLError) and original.original_error is not None:
        original = original.original_error
    details: dict[str, Any] = {}
    if isinstance(original, AppError) and original.code == "RATE_LIMITED":
        details = original.details
    elif (error.extensions or {}).get("code") == "RATE_LIMITED":
        details = dict(error.extensions or {})
    value = details.get("retryAfter")
    return int(value) if isinstance(value, int | float) else None


class RateLimitHeaders(SchemaExtension):
    """Retry-After on a refused request; pass as a class (one instance per operation)."""

    def on_operation(self) -> Iterator[None]:
        yield
        response = _response(self.execution_context.context)
        errors = getattr(self.execution_context.result, "errors", None) or []
        waits = [w for w in (_retry_after(e) for e in errors) if w is not None]
        if response is not None and waits:
            response.headers["Retry-After"] = str(max(waits))
            response.headers["RateLimit-Remaining"] = "0"
            response.headers["RateLimit-Reset"] = str(max(waits))
