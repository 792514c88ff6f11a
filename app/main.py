"""Starlette application factory: /graphql (HTTP + WebSocket), /health, /ready, /metrics,
/files (signed downloads) and /graphiql (pinned GraphiQL assets)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import structlog
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route, WebSocketRoute

from app.config import Environment, Settings, get_settings
from app.observability.logging import configure_logging
from app.observability.metrics_access import metrics_allowed
from app.observability.middleware import RequestIdMiddleware
from app.process_heap import freeze_startup_heap
from app.readiness import prepare_storage, readiness
from app.runtime import Runtime, build_runtime, store_from_settings
from app.share_page import share_routes
from app.storage.filesystem import FilesystemStore
from app.storage.routes import files_route
from graphql_schema.graphiql import DEFAULT_ASSETS_DIR, assets_route, graphiql_page
from graphql_schema.schema import build_schema
from graphql_schema.transport import MULTIPART_OVERHEAD_BYTES, BodyLimits, default_json_cap
from graphql_schema.view import TailorGraphQL

log = structlog.get_logger("app")

# Request headers browsers may send cross-origin; the Apollo ones are the CSRF preflight
# headers multipart uploads need (graphql_schema/transport.py).
CORS_ALLOW_HEADERS = [
    "Authorization",
    "Content-Type",
    "X-Request-ID",
    "Apollo-Require-Preflight",
    "X-Apollo-Operation-Name",
]
CORS_EXPOSE_HEADERS = [
    "X-Request-ID",
    "Retry-After",
    "RateLimit-Limit",
    "RateLimit-Remaining",
    "RateLimit-Reset",
    "Content-Disposition",
]


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or get_settings()
    configure_logging(settings.log_level, json=settings.env is Environment.PRODUCTION)
    runtime_ref: dict[str, Runtime] = {}
    # One store for the runtime and the /files route that serves its signed URLs.
    store = store_from_settings(settings)
    graphql = _graphql_view(settings, runtime_ref)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await prepare_storage(settings, store)
        runtime = await build_runtime(settings, store)
        runtime_ref["runtime"] = runtime
        app.state.runtime = runtime
        freeze_startup_heap()  # after the schema and runtime exist: app/process_heap.py
        try:
            yield
        finally:
            await runtime.close()

    routes: list[BaseRoute] = [
        # Every method reaches the view, which answers the wrong ones with a coded JSON 405.
        Route("/graphql", graphql),
        WebSocketRoute("/graphql", graphql),
        *_probe_routes(settings, runtime_ref),
        *share_routes(),  # public, read-only pages behind share-link tokens
    ]
    if settings.graphiql_assets == "local" and settings.env is not Environment.PRODUCTION:
        routes.append(assets_route(settings.web_assets_dir or DEFAULT_ASSETS_DIR))
    if isinstance(store, FilesystemStore):
        # The filesystem store signs its own URLs; the app serves them. (S3 serves its own.)
        routes.append(files_route(store))
    return Starlette(routes=routes, middleware=_middleware(settings), lifespan=lifespan)


def _graphql_view(settings: Settings, runtime_ref: dict[str, Runtime]) -> TailorGraphQL:
    if settings.cors_origins:
        log.info("cors_enabled", origins=settings.cors_origins)
    return TailorGraphQL(
        runtime_ref,
        schema=build_schema(settings),
        graphql_ide=None if settings.env is Environment.PRODUCTION else "graphiql",
        ide_html=graphiql_page() if settings.graphiql_assets == "local" else None,
        allow_queries_via_get=True,
        multipart_uploads_enabled=True,
        keep_alive=True,
        keep_alive_interval=15,
        allowed_origins=settings.cors_origins,
        body_limits=BodyLimits(
            json_bytes=settings.max_json_body_bytes
            or default_json_cap(settings.max_resume_bytes, settings.max_job_description_bytes),
            multipart_bytes=settings.max_resume_bytes + MULTIPART_OVERHEAD_BYTES,
        ),
        ws_max_message_bytes=settings.ws_max_message_bytes,
    )


def _probe_routes(settings: Settings, runtime_ref: dict[str, Runtime]) -> list[BaseRoute]:
    """/health (liveness), /ready (dependencies) and /metrics (token or address list)."""

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

    async def ready(request: Request) -> Response:
        checks = await readiness(runtime_ref["runtime"])
        healthy = all(v == "ok" for v in checks.values())
        return JSONResponse(
            {"status": "ready" if healthy else "unavailable", "checks": checks},
            status_code=200 if healthy else 503,
        )

    async def metrics(request: Request) -> Response:
        if not metrics_allowed(request, settings):
            return JSONResponse({"error": "metrics need a token or an allowed address"}, 403)
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    return [
        Route("/health", health, methods=["GET"]),
        Route("/ready", ready, methods=["GET"]),
        Route("/metrics", metrics, methods=["GET"]),
    ]


def _middleware(settings: Settings) -> list[Middleware]:
    middleware = [Middleware(RequestIdMiddleware)]
    if settings.cors_origins:
        # Outermost, so preflights are answered before anything else runs, and the signed
        # /files downloads are readable by fetch() from the same origins.
        cors = Middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST"],
            allow_headers=CORS_ALLOW_HEADERS,
            expose_headers=CORS_EXPOSE_HEADERS,
            allow_credentials=settings.cors_allow_credentials,
            max_age=600,
        )
        middleware.insert(0, cors)
    return middleware
