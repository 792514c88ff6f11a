"""Helpers for the API-edge tests: an in-process client for a custom-configured app, and a
live uvicorn server with extra settings (CORS origins and the like)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path

import httpx
from starlette.applications import Starlette

from app.local_services import free_port, wait_for_port
from tests.conftest import Servers
from tests.integration.conftest import LiveServer


@asynccontextmanager
async def app_client(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            yield http


@contextmanager
def live_api(servers: Servers, storage_root: Path, **settings: str) -> Iterator[LiveServer]:
    """`tailor serve` in a subprocess; settings are TAILOR_* values without the prefix."""
    port = free_port()
    env = {
        **os.environ,
        "TAILOR_ENV": "test",
        "TAILOR_DATABASE_URL": servers.database_url,
        "TAILOR_REDIS_URL": servers.redis_url,
        "TAILOR_PORT": str(port),
        "TAILOR_PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
        "TAILOR_STORAGE_ROOT": str(storage_root),
        "TAILOR_JWT_SECRET": "test-secret-" + "x" * 40,
        "TAILOR_STORAGE_SIGNING_SECRET": "test-signing-" + "y" * 40,
        "TAILOR_LOG_LEVEL": "WARNING",
        **{f"TAILOR_{k.upper()}": v for k, v in settings.items()},
    }
    process = subprocess.Popen([sys.executable, "-m", "app.cli", "serve"], env=env)
    try:
        wait_for_port(port, timeout_s=30)
        yield LiveServer(f"http://127.0.0.1:{port}", f"ws://127.0.0.1:{port}/graphql", env)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
