"""Helpers shared by the storage tests (a plain module, since test files should not import
conftest)."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import httpx

from app.storage import ObjectStore, S3Store

REGION = "eu-west-1"  # not us-east-1, so ensure_bucket's LocationConstraint path is exercised
ACCESS_KEY = "AKIATESTTESTTEST0000"
SECRET_KEY = "test-secret-key-not-real-0000000000000000"
SIGNING_SECRET = "storage-tests-signing-secret-0123456789"
FS_BASE_URL = "http://tailor.test"


def make_s3_store(
    endpoint: str, bucket: str, *, presign_ttl_default: int = 300, max_attempts: int = 4
) -> S3Store:
    return S3Store(
        bucket,
        REGION,
        endpoint_url=endpoint,
        access_key=ACCESS_KEY,
        secret_key=SECRET_KEY,
        presign_ttl_default=presign_ttl_default,
        max_attempts=max_attempts,
    )


class FakeClock:
    """Injected into FilesystemStore so expiry is tested by moving time, not by sleeping."""

    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@dataclass
class Backend:
    name: str
    store: ObjectStore
    fetch: Callable[[str], Awaitable[httpx.Response]]
