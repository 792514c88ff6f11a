"""Fixtures for the object-store tests.

S3 runs against moto's server in a subprocess over real HTTP. A subprocess (rather than
ThreadedMotoServer) keeps moto's process-global state away from any `mock_aws` used by other
test packages, which would otherwise reset our bucket or intercept our botocore calls.
Credentials are dummies passed as arguments; the environment is never touched.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette

from app.storage import FilesystemStore, S3Store, files_route
from tests.integration.storage.storage_support import (
    FS_BASE_URL,
    SIGNING_SECRET,
    Backend,
    FakeClock,
    make_s3_store,
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_until_serving(proc: subprocess.Popen[bytes], endpoint: str, timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False  # exited: most likely lost the race for the port
        try:
            if httpx.get(endpoint + "/", timeout=1.0).status_code == 200:
                return True
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    return False


@pytest.fixture(autouse=True)
def clean_state() -> None:
    """Overrides tests/integration's autouse fixture: the storage tests touch neither
    Postgres nor Redis, so they neither need those servers nor pay for a reset per test."""


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    # A few attempts: the free port we picked can be taken before moto binds it.
    for _ in range(3):
        port = _free_port()
        endpoint = f"http://127.0.0.1:{port}"
        proc = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        if _wait_until_serving(proc, endpoint, timeout_s=30):
            break
        proc.kill()
        proc.wait()
    else:
        raise RuntimeError("moto server did not start")
    try:
        yield endpoint
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="session")
async def s3_bucket(moto_endpoint: str) -> str:
    bucket = f"tailor-test-{uuid.uuid4().hex[:12]}"
    await make_s3_store(moto_endpoint, bucket).ensure_bucket()
    return bucket


@pytest.fixture
def s3_store(moto_endpoint: str, s3_bucket: str) -> S3Store:
    return make_s3_store(moto_endpoint, s3_bucket)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def fs_store(tmp_path: Path, clock: FakeClock) -> FilesystemStore:
    return FilesystemStore(tmp_path / "files", SIGNING_SECRET, FS_BASE_URL, clock=clock)


@pytest.fixture
async def fs_client(fs_store: FilesystemStore) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client wired in-process to a Starlette app that mounts files_route."""
    app = Starlette(routes=[files_route(fs_store)])
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=FS_BASE_URL) as client:
        yield client


@pytest.fixture(params=["filesystem", "s3"])
async def backend(
    request: pytest.FixtureRequest,
    fs_store: FilesystemStore,
    fs_client: httpx.AsyncClient,
    s3_store: S3Store,
) -> AsyncIterator[Backend]:
    """The same contract tests run against both stores; `fetch` downloads a signed URL."""
    if request.param == "filesystem":
        yield Backend("filesystem", fs_store, fs_client.get)
        return
    async with httpx.AsyncClient() as client:
        yield Backend("s3", s3_store, client.get)


@pytest.fixture
def user_id() -> uuid.UUID:
    return uuid.uuid4()
