"""Starlette application factory: /graphql (HTTP + WebSocket), /health, /metrics, /files."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route, WebSocketRoute

from app.config import Environment, Settings, get_settings
from app.observability.logging import configure_logging
from app.observability.middleware import RequestIdMiddleware
from app.runtime import Runtime, build_runtime, store_from_settings
from app.storage.filesystem import FilesystemStore
from app.storage.routes import files_route
from graphql_schema.schema import build_schema
from graphql_schema.view import TailorGraphQL


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or get_settings()
    configure_logging(settings.log_level, json=settings.env is Environment.PRODUCTION)
    runtime_ref: dict[str, Runtime] = {}
    # One store for the runtime and the /files route that serves its signed URLs.
    store = store_from_settings(settings)

    graphql = TailorGraphQL(
        runtime_ref,
        schema=build_schema(settings),
        graphql_ide=None if settings.env is Environment.PRODUCTION else "graphiql",
        allow_queries_via_get=True,
        multipart_uploads_enabled=True,
        keep_alive=True,
        keep_alive_interval=15,
    )

    async def health(request: Request) -> Response:
        runtime = runtime_ref["runtime"]
        checks: dict[str, str] = {}
        try:
            async with runtime.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
            checks["postgres"] = "ok"
        except Exception:
            checks["postgres"] = "unavailable"
        try:
            await runtime.redis.ping()
            checks["redis"] = "ok"
        except Exception:
            checks["redis"] = "unavailable"
        healthy = all(v == "ok" for v in checks.values())
        return JSONResponse(
            {"status": "ok" if healthy else "degraded", "checks": checks},
            status_code=200 if healthy else 503,
        )

    async def metrics(request: Request) -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        runtime = await build_runtime(settings, store)
        runtime_ref["runtime"] = runtime
        app.state.runtime = runtime
        try:
            yield
        finally:
            await runtime.close()

    routes: list[BaseRoute] = [
        Route("/graphql", graphql, methods=["GET", "POST"]),
        WebSocketRoute("/graphql", graphql),
        Route("/health", health, methods=["GET"]),
        Route("/metrics", metrics, methods=["GET"]),
    ]
    if isinstance(store, FilesystemStore):
        # The filesystem store signs its own URLs; the app serves them. (S3 serves its own.)
        routes.append(files_route(store))
    return Starlette(
        routes=routes,
        middleware=[Middleware(RequestIdMiddleware)],
        lifespan=lifespan,
    )
