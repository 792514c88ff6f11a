"""Integration fixtures: settings against the real servers, a clean database per test,
an in-process ASGI client and helpers to run GraphQL operations."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio
from redis.asyncio import Redis
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine
from starlette.applications import Starlette

from app.config import Environment, Settings
from app.db.base import Base
from app.main import create_app
from app.runtime import Runtime
from tests.conftest import Servers


def make_settings(servers: Servers, tmp: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "env": Environment.TEST,
        "database_url": servers.database_url,
        "redis_url": servers.redis_url,
        "storage_root": tmp / "files",
        "jwt_secret": "test-secret-" + "x" * 40,
        "storage_signing_secret": "test-signing-" + "y" * 40,
        "public_base_url": "http://testserver",
    }
    values.update(overrides)
    return Settings(**values)


@pytest.fixture
def settings(servers: Servers, tmp_path: Path) -> Settings:
    return make_settings(servers, tmp_path)


@pytest_asyncio.fixture(autouse=True)
async def clean_state(servers: Servers) -> AsyncIterator[None]:
    """Every test starts with empty tables and an empty Redis."""
    engine = create_async_engine(servers.database_url)
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    async with engine.begin() as conn:
        await conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    await engine.dispose()
    redis = Redis.from_url(servers.redis_url)
    await redis.flushdb()
    await redis.aclose()
    yield


@pytest_asyncio.fixture
async def app(settings: Settings) -> AsyncIterator[Starlette]:
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
def runtime(app: Starlette) -> Runtime:
    result: Runtime = app.state.runtime
    return result


@dataclass
class GraphQLClient:
    http: httpx.AsyncClient
    token: str | None = None

    async def post(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        token: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        all_headers = dict(headers or {})
        bearer = token if token is not None else self.token
        if bearer:
            all_headers["Authorization"] = f"Bearer {bearer}"
        return await self.http.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=all_headers
        )

    async def run(
        self, query: str, variables: dict[str, Any] | None = None, **kwargs: Any
    ) -> dict[str, Any]:
        """Execute and return the JSON body (data and errors)."""
        response = await self.post(query, variables, **kwargs)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    async def ok(self, query: str, variables: dict[str, Any] | None = None, **kwargs: Any) -> Any:
        """Execute and return `data`, failing the test on any GraphQL error."""
        body = await self.run(query, variables, **kwargs)
        assert not body.get("errors"), body["errors"]
        return body["data"]


def error_codes(body: dict[str, Any]) -> list[str]:
    return [e.get("extensions", {}).get("code") for e in body.get("errors") or []]


@pytest_asyncio.fixture
async def client(app: Starlette) -> AsyncIterator[GraphQLClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield GraphQLClient(http)


SIGN_UP = """
mutation($email: String!, $password: String!) {
  signUp(email: $email, password: $password) { accessToken user { id email } }
}
"""


async def sign_up(client: GraphQLClient, email: str | None = None) -> tuple[str, str]:
    """A fresh user: returns (access token, user id)."""
    address = email or f"user-{uuid.uuid4().hex[:10]}@example.com"
    data = await client.ok(SIGN_UP, {"email": address, "password": "correct horse battery"})
    return data["signUp"]["accessToken"], data["signUp"]["user"]["id"]


@pytest_asyncio.fixture
async def user(client: GraphQLClient) -> tuple[str, str]:
    token, user_id = await sign_up(client)
    client.token = token
    return token, user_id


@dataclass
class LiveServer:
    base_url: str
    ws_url: str
    env: dict[str, str]


@pytest.fixture(scope="session")
def live_server(servers: Servers) -> Any:
    """The real API under uvicorn in a subprocess, for WebSocket and third-party clients."""
    import os
    import subprocess
    import sys

    from app.local_services import free_port, wait_for_port

    port = free_port()
    env = {
        **os.environ,
        "TAILOR_ENV": "test",
        "TAILOR_DATABASE_URL": servers.database_url,
        "TAILOR_REDIS_URL": servers.redis_url,
        "TAILOR_PORT": str(port),
        "TAILOR_PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
        "TAILOR_STORAGE_ROOT": str(servers.work_dir / "files"),
        "TAILOR_JWT_SECRET": "test-secret-" + "x" * 40,
        "TAILOR_STORAGE_SIGNING_SECRET": "test-signing-" + "y" * 40,
        "TAILOR_LOG_LEVEL": "WARNING",
    }
    process = subprocess.Popen([sys.executable, "-m", "app.cli", "serve"], env=env)
    try:
        wait_for_port(port, timeout_s=30)
        yield LiveServer(f"http://127.0.0.1:{port}", f"ws://127.0.0.1:{port}/graphql", env)
    finally:
        process.terminate()
        process.wait(timeout=15)


class WorkerProcesses:
    """Real arq worker processes (`tailor worker`) against the test servers."""

    def __init__(self, servers: Servers, storage_root: Path) -> None:
        import os

        self.env = {
            **os.environ,
            "TAILOR_ENV": "test",
            "TAILOR_DATABASE_URL": servers.database_url,
            "TAILOR_REDIS_URL": servers.redis_url,
            "TAILOR_STORAGE_ROOT": str(storage_root),
            "TAILOR_JWT_SECRET": "test-secret-" + "x" * 40,
            "TAILOR_STORAGE_SIGNING_SECRET": "test-signing-" + "y" * 40,
            "TAILOR_LOG_LEVEL": "WARNING",
            "TAILOR_JOB_TIMEOUT_S": "5",
            "TAILOR_SWEEP_INTERVAL_S": "1",
        }
        self.processes: list[Any] = []

    def start(self, **env: str) -> Any:
        import subprocess
        import sys

        process = subprocess.Popen(
            [sys.executable, "-m", "app.cli", "worker"], env={**self.env, **env}
        )
        self.processes.append(process)
        return process

    def stop_all(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=15)
            except Exception:
                process.kill()


@pytest.fixture
def workers(servers: Servers, settings: Settings) -> Any:
    pool = WorkerProcesses(servers, Path(settings.storage_root))
    yield pool
    pool.stop_all()


@pytest.fixture
def worker(workers: WorkerProcesses) -> Any:
    return workers.start()
