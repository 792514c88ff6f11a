"""ASGI middleware: a request id on every HTTP response and in every log line, metrics, and
the access log (with query strings redacted: GraphQL over GET carries documents and
variables, signed download URLs carry signatures)."""

from __future__ import annotations

import time
from urllib.parse import parse_qsl, urlencode

import structlog
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.observability.metrics import HTTP_LATENCY, HTTP_REQUESTS
from app.observability.request_id import accept_or_new, current_request_id

access_log = structlog.get_logger("access")

# Query parameters whose values are safe to log; every other value is replaced.
_LOGGABLE_PARAMS = frozenset({"operationName", "exp"})
REDACTED = "[REDACTED]"


def redact_query_string(raw: bytes) -> str:
    """Keep parameter names (useful when debugging), drop values unless known harmless."""
    if not raw:
        return ""
    pairs = parse_qsl(raw.decode("latin-1"), keep_blank_values=True)
    return urlencode(
        [(name, value if name in _LOGGABLE_PARAMS else REDACTED) for name, value in pairs],
        safe="[]",
    )


class RequestIdMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        incoming = headers.get(b"x-request-id")
        request_id = accept_or_new(incoming.decode("latin-1") if incoming else None)
        scope.setdefault("state", {})["request_id"] = request_id
        token = current_request_id.set(request_id)
        structlog.contextvars.bind_contextvars(request_id=request_id)
        route = _route_label(scope.get("path", ""))
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                MutableHeaders(scope=message)["X-Request-ID"] = request_id
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            elapsed = time.perf_counter() - started
            HTTP_REQUESTS.labels(scope.get("method", ""), route, str(status)).inc()
            HTTP_LATENCY.labels(scope.get("method", ""), route).observe(elapsed)
            access_log.info(
                "http_request",
                method=scope.get("method", ""),
                path=scope.get("path", ""),
                query=redact_query_string(scope.get("query_string", b"")),
                status=status,
                duration_ms=round(elapsed * 1000, 1),
            )
            structlog.contextvars.unbind_contextvars("request_id")
            current_request_id.reset(token)


def _route_label(path: str) -> str:
    # Bounded label set: file paths carry ids and must not explode metric cardinality.
    for prefix in ("/graphql", "/health", "/metrics", "/files"):
        if path.startswith(prefix):
            return prefix
    return "other"
