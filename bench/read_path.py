"""API read path: `versions(first: 50)` and `jobs(first: 50)` over HTTP against raw
graphql-core executing the same query on the same data in the same run (this process, the
project's schema and resolvers, no HTTP, no Strawberry view or schema extensions), with a
bare Strawberry `hello` app over HTTP as the transport baseline.

Starts its own PostgreSQL, Redis, API and worker. Run: .venv/bin/python bench/read_path.py
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from functools import partial
from pathlib import Path
from typing import Any

import aiohttp

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from app.local_services import free_port, wait_for_port  # noqa: E402
from bench.harness.client import follow, gql, http_client, inputs, sign_up, tailor  # noqa: E402
from bench.harness.stack import Stack, start_stack  # noqa: E402
from tests.fixtures.make_samples import samples_root  # noqa: E402

ROWS = 50
SECONDS = float(os.environ.get("BENCH_READ_SECONDS", "4"))
VERSIONS = (
    "{ versions(first: 50) { edges { cursor node { id number atsScore notes template "
    "createdAt } } pageInfo { hasNextPage endCursor } } }"
)
JOBS = (
    "{ jobs(first: 50) { edges { cursor node { id status phase progress strategy engine "
    "attempts createdAt } } pageInfo { hasNextPage endCursor } } }"
)
ACCEPT = "mutation($id: ID!) { accept(jobId: $id, input: {applyAll: true}) { id } }"
ME = "{ me { id } }"


async def rate(call: Callable[[], Awaitable[Any]]) -> float:
    """Requests per second, one at a time, for SECONDS (after a short warm-up)."""
    for _ in range(5):
        await call()
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < SECONDS:
        await call()
        count += 1
    return count / (time.perf_counter() - start)


async def seed(stack: Stack, http: aiohttp.ClientSession, ws: str) -> tuple[str, str]:
    """ROWS completed jobs, each accepted as a version. Returns (token, user id)."""
    token = await sign_up(http)
    resume_id, jd_ids = await inputs(http, token, samples_root(), ROWS)
    ids = [await tailor(http, token, resume_id, jd) for jd in jd_ids]
    await asyncio.gather(*(follow(ws, token, job_id) for job_id in ids))
    for job_id in ids:
        await gql(http, token, ACCEPT, {"id": job_id})
    user_id: str = (await gql(http, token, ME, {}))["me"]["id"]
    return token, user_id


async def raw_core(stack: Stack, user_id: str) -> Callable[[str], Awaitable[Any]]:
    """graphql-core's own `graphql()` on the project's schema, in this process."""
    import uuid

    from graphql import graphql

    from app.auth.principal import Principal
    from app.config import Settings
    from app.runtime import build_runtime
    from graphql_schema import loaders
    from graphql_schema.context import Context
    from graphql_schema.schema import build_schema

    settings = Settings(
        database_url=stack.db_url,
        redis_url=stack.redis.url,
        storage_root=str(stack.work / "files"),
        jwt_secret=stack.env["TAILOR_JWT_SECRET"],
        storage_signing_secret=stack.env["TAILOR_STORAGE_SIGNING_SECRET"],
    )
    runtime = await build_runtime(settings)
    schema = build_schema(settings)._schema
    principal = Principal(user_id=uuid.UUID(user_id))

    async def run(query: str) -> Any:
        context = Context(runtime=runtime, request=None, response=None, request_id="bench")  # type: ignore[arg-type]
        context.principal = principal
        loaders._current.set(loaders.make_loaders(runtime))  # what the extension does
        result = await graphql(schema, query, context_value=context)
        if result.errors:
            raise RuntimeError(result.errors)
        return result.data

    return run


def start_hello(port: int) -> subprocess.Popen[bytes]:
    command = ["-m", "uvicorn", "bench.harness.hello_app:app", "--port", str(port)]
    return subprocess.Popen(
        [sys.executable, *command, "--log-level", "warning", "--no-access-log"], cwd=REPO
    )


async def main() -> None:
    print(f"cores: {os.cpu_count()}, load average at start: {os.getloadavg()[0]:.2f}")
    stack = await start_stack()
    hello_port = free_port()
    hello = start_hello(hello_port)
    try:
        api = stack.start_api()
        stack.start_worker()
        wait_for_port(hello_port, timeout_s=60)
        async with http_client(api.http) as http:
            token, user_id = await seed(stack, http, api.ws)
            stack.stop_workers()
            core = await raw_core(stack, user_id)
            async with http_client(f"http://127.0.0.1:{hello_port}") as bare:
                hello_rate = await rate(partial(gql, bare, None, "{ hello }", {}))
            figures = {}
            for name, query in (("versions(first: 50)", VERSIONS), ("jobs(first: 50)", JOBS)):
                data = await gql(http, token, query, {})
                assert len(next(iter(data.values()))["edges"]) == ROWS
                over_http = await rate(partial(gql, http, token, query, {}))
                in_core = await rate(partial(core, query))
                figures[name] = (over_http, in_core)
    finally:
        hello.terminate()
        hello.wait(timeout=30)
        stack.stop()
    print(f"bare Strawberry hello over HTTP (transport baseline): {hello_rate:.0f} req/s")
    for name, (over_http, in_core) in figures.items():
        print(
            f"{name}: over HTTP {over_http:.0f} req/s | raw graphql-core, same query and "
            f"data: {in_core:.0f} req/s | ratio {over_http / in_core:.2f}x (target >= 0.5x) "
            f"| vs hello {over_http / hello_rate:.2f}x"
        )
    print(f"load average at end: {os.getloadavg()[0]:.2f} (other processes share the machine)")


if __name__ == "__main__":
    asyncio.run(main())
