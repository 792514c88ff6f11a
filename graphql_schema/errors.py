"""Every error a client sees carries `extensions.code` and `extensions.requestId`.

Domain errors (`AppError`) keep their message and code; GraphQL syntax and validation
errors (including depth/alias/token limits) become GRAPHQL_VALIDATION_FAILED; anything else
is masked as INTERNAL_ERROR and logged with the request id. Runs for query/mutation
results and for every subscription result.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import structlog
from graphql import GraphQLError
from strawberry.exceptions import MissingQueryError
from strawberry.extensions import SchemaExtension
from strawberry.schema.exceptions import InvalidOperationTypeError
from strawberry.types.execution import StreamExecutionResult

from app.db.outage import is_outage, outage_error, unstorable_input
from app.errors import AppError
from app.observability.request_id import current_request_id, new_request_id

log = structlog.get_logger("graphql")

INTERNAL_MESSAGE = "Internal error. Quote the request id when reporting it."


def _request_id_of(context: Any) -> str:
    rid = getattr(context, "request_id", None) or current_request_id.get()
    return str(rid) if rid else new_request_id()


def coded_error(error: GraphQLError, request_id: str) -> GraphQLError:
    original = error.original_error
    # Resolver exceptions reach us wrapped once more by graphql-core's located_error.
    while isinstance(original, GraphQLError) and original.original_error is not None:
        original = original.original_error
    extensions: dict[str, Any] = {"requestId": request_id}
    message = error.message
    if isinstance(original, AppError):
        extensions["code"] = original.code
        extensions.update({k: v for k, v in original.details.items() if v is not None})
        message = original.message
    elif isinstance(original, InvalidOperationTypeError | MissingQueryError):
        extensions["code"] = "BAD_REQUEST"
    elif error.path is None and isinstance(error.original_error, GraphQLError):
        # Variable coercion failed before execution (a bad enum value, a malformed
        # scalar): the client's mistake, with a message worth keeping.
        extensions["code"] = "GRAPHQL_VALIDATION_FAILED"
    elif original is None:
        extensions["code"] = (error.extensions or {}).get("code", "GRAPHQL_VALIDATION_FAILED")
    elif (refused := unstorable_input(original)) is not None:
        log.warning("input_refused_by_database", request_id=request_id, path=error.path)
        extensions["code"] = refused.code
        message = refused.message
    elif is_outage(original):
        # Transient: clients retry after the hint; no traceback (it would carry SQL).
        log.warning("dependency_outage", request_id=request_id, error_type=type(original).__name__)
        unavailable = outage_error()
        extensions.update(code=unavailable.code, **unavailable.details)
        message = unavailable.message
    else:
        log.error(
            "unhandled_error",
            request_id=request_id,
            error_type=type(original).__name__,
            path=error.path,
            exc_info=original,
        )
        extensions["code"] = "INTERNAL_ERROR"
        message = INTERNAL_MESSAGE
    return GraphQLError(
        message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        original_error=None,
        extensions=extensions,
    )


class CodedErrors(SchemaExtension):
    """Pass as a class: one instance per operation, never shared between requests."""

    def __init__(self) -> None:
        self._stream_seen = False
        self._request_id: str | None = None

    def _rid(self) -> str:
        if self._request_id is None:
            self._request_id = _request_id_of(self.execution_context.context)
        return self._request_id

    def _process(self, result: object) -> None:
        errors = getattr(result, "errors", None)
        if errors:
            result.errors = [coded_error(e, self._rid()) for e in errors]  # type: ignore[attr-defined]

    def on_operation(self) -> Iterator[None]:
        self._stream_seen = False
        self._rid()
        yield
        if self._stream_seen:
            return
        result = self.execution_context.result
        initial = getattr(result, "initial_result", None)
        self._process(initial if initial is not None else result)

    def on_stream_result(self, result: StreamExecutionResult) -> Iterator[None]:
        self._stream_seen = True
        self._process(result)
        for part in getattr(result, "incremental", None) or ():
            self._process(part)
        yield None
