"""ASGI middleware: a request id on every HTTP response and in every log line, plus metrics."""

from __future__ import annotations

import time

import structlog
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.observability.metrics import HTTP_LATENCY, HTTP_REQUESTS
from app.observability.request_id import accept_or_new, current_request_id


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
            HTTP_REQUESTS.labels(scope.get("method", ""), route, str(status)).inc()
            HTTP_LATENCY.labels(scope.get("method", ""), route).observe(
                time.perf_counter() - started
            )
            structlog.contextvars.unbind_contextvars("request_id")
            current_request_id.reset(token)


def _route_label(path: str) -> str:
    # Bounded label set: file paths carry ids and must not explode metric cardinality.
    for prefix in ("/graphql", "/health", "/metrics", "/files"):
        if path.startswith(prefix):
            return prefix
    return "other"
