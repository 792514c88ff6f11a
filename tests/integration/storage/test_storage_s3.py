"""S3Store specifics against moto over HTTP.

moto (5.2) does not verify presigned URLs at all: neither the signature nor X-Amz-Expires is
checked (a URL with ttl=1 still downloads after it expired, and a corrupted X-Amz-Signature
still downloads). Expiry and tampering are therefore tested end-to-end on the filesystem
store only; here we assert what S3 itself enforces: the presigned URL's parameters.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pytest

from app.storage import InvalidKey, ObjectNotFound, S3Store, StorageError, user_key
from tests.integration.storage.storage_support import make_s3_store


def _query(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


async def test_presigned_url_carries_ttl_and_sigv4(s3_store: S3Store, user_id: uuid.UUID) -> None:
    key = user_key(user_id, "exports", "cv.pdf")
    before = datetime.now(UTC).replace(microsecond=0)
    url = await s3_store.signed_url(key, 123, filename="cv.pdf")
    query = _query(url)
    assert query["X-Amz-Expires"] == "123"
    assert query["X-Amz-Algorithm"] == "AWS4-HMAC-SHA256"
    signed_at = datetime.strptime(query["X-Amz-Date"], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    assert abs((signed_at - before).total_seconds()) <= 5
    assert len(query["X-Amz-Signature"]) == 64
    # Query auth signs every query parameter, so the disposition cannot be stripped or changed.
    assert query["response-content-disposition"] == 'attachment; filename="cv.pdf"'
    # Path-style addressing against a custom endpoint; the key is the object path.
    path = urlsplit(url).path
    assert path == f"/{s3_store.bucket}/users/{user_id}/exports/cv.pdf"


async def test_presign_default_ttl(moto_endpoint: str, s3_bucket: str, user_id: uuid.UUID) -> None:
    store = make_s3_store(moto_endpoint, s3_bucket, presign_ttl_default=900)
    url = await store.signed_url(user_key(user_id, "a.txt"))
    assert _query(url)["X-Amz-Expires"] == "900"


def test_invalid_default_ttl_rejected(moto_endpoint: str, s3_bucket: str) -> None:
    with pytest.raises(ValueError):
        make_s3_store(moto_endpoint, s3_bucket, presign_ttl_default=0)


async def test_missing_bucket_is_a_storage_error_not_not_found(
    moto_endpoint: str, user_id: uuid.UUID
) -> None:
    store = make_s3_store(moto_endpoint, f"missing-{uuid.uuid4().hex[:12]}")
    key = user_key(user_id, "a.txt")
    with pytest.raises(StorageError) as info:
        await store.get(key)
    assert not isinstance(info.value, ObjectNotFound)
    with pytest.raises(StorageError):
        await store.put(key, b"x", "text/plain")


async def test_ensure_bucket_creates_and_is_idempotent(
    moto_endpoint: str, user_id: uuid.UUID
) -> None:
    store = make_s3_store(moto_endpoint, f"fresh-{uuid.uuid4().hex[:12]}")
    key = user_key(user_id, "a.txt")
    with pytest.raises(StorageError):
        await store.put(key, b"x", "text/plain")
    await store.ensure_bucket()
    await store.ensure_bucket()
    await store.put(key, b"x", "text/plain")
    assert await store.get(key) == b"x"


async def test_ensure_bucket_us_east_1(moto_endpoint: str) -> None:
    # us-east-1 rejects an explicit LocationConstraint; ensure_bucket must omit it there.
    bucket = f"east-{uuid.uuid4().hex[:12]}"
    store = S3Store(bucket, "us-east-1", moto_endpoint, "AKIATEST", "secret-for-tests")
    await store.ensure_bucket()
    assert not await store.exists(user_key(uuid.uuid4(), "nothing"))


async def test_unreachable_endpoint_is_a_storage_error(user_id: uuid.UUID) -> None:
    # Port 9 (discard) on localhost: connection refused, then wrapped. Retries are turned off
    # only to keep the test fast (with the default 4 attempts the backoff takes seconds).
    store = make_s3_store("http://127.0.0.1:9", "any-bucket", max_attempts=1)
    with pytest.raises(StorageError) as info:
        await store.get(user_key(user_id, "a.txt"))
    assert not isinstance(info.value, ObjectNotFound)


async def test_invalid_key_never_reaches_s3(user_id: uuid.UUID) -> None:
    # Validation happens before any client is created: this store's endpoint does not exist.
    store = make_s3_store("http://127.0.0.1:9", "any-bucket")
    with pytest.raises(InvalidKey):
        await store.get(f"users/{user_id}/../x")
