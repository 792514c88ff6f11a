"""S3Store: ObjectStore on S3 or an S3-compatible server (MinIO, moto) via aioboto3.

Client lifecycle: one `aioboto3.Session` per store (it caches credentials and the service
model), and a fresh client per operation (`async with session.client("s3")`). A long-lived
client would own an aiohttp session bound to the event loop it was created on, and this store
is shared by the API process, arq workers and tests, each with its own loop; a per-operation
client has no lifecycle to get wrong and needs no `aclose()`. The cost is one connection setup
per call, which is noise next to document parsing or LLM calls.

Retries: botocore's "standard" retry mode already retries throttling, 5xx and connection
errors with backoff, so no extra tenacity layer is stacked on top (it would multiply attempts).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import aioboto3
from aiobotocore.config import AioConfig
from botocore.exceptions import BotoCoreError, ClientError

from app.storage.headers import attachment_disposition, default_filename, validate_content_type
from app.storage.keys import validate_key
from app.storage.protocol import ObjectNotFound, StorageError
from app.storage.signing import check_ttl

# Codes S3 (and MinIO/moto) use for a missing object. "404" is what HEAD returns, because a
# HEAD response has no body to carry an error code. NoSuchBucket is deliberately absent: a
# missing bucket is a configuration error, not a missing object.
_NOT_FOUND_CODES = frozenset({"NoSuchKey", "404", "NotFound"})
_NO_BUCKET_CODES = frozenset({"NoSuchBucket", "404", "NotFound"})


def _error_code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


class S3Store:
    """ObjectStore on an S3 bucket; downloads are S3 presigned GET URLs.

    `max_attempts` counts the first try (botocore semantics): 1 disables retries.
    """

    def __init__(
        self,
        bucket: str,
        region: str,
        endpoint_url: str | None = None,
        access_key: str | None = None,
        secret_key: str | None = None,
        presign_ttl_default: int = 300,
        *,
        max_attempts: int = 4,
        public_endpoint_url: str | None = None,
    ) -> None:
        self._bucket = bucket
        self._region = region
        self._presign_ttl_default = check_ttl(presign_ttl_default)
        # Without explicit keys boto's default chain applies (env vars, profile, IAM role).
        self._session: Any = aioboto3.Session(
            aws_access_key_id=access_key,
            aws_secret_access_key=secret_key,
            region_name=region,
        )
        s3_options: dict[str, Any] = {}
        if endpoint_url is not None:
            # MinIO/moto on localhost: bucket-subdomain URLs would not resolve.
            s3_options["addressing_style"] = "path"
        self._client_kwargs: dict[str, Any] = {
            "region_name": region,
            "endpoint_url": endpoint_url,
            "config": AioConfig(
                signature_version="s3v4",
                s3=s3_options,
                retries={"mode": "standard", "max_attempts": max_attempts},
                connect_timeout=5,
                read_timeout=30,
            ),
        }
        # Presigning is local: sign against the address browsers use (compose: the API talks
        # to http://minio:9000, users download from http://localhost:9000).
        self._presign_kwargs = {**self._client_kwargs}
        if public_endpoint_url is not None:
            self._presign_kwargs["endpoint_url"] = public_endpoint_url

    @property
    def bucket(self) -> str:
        return self._bucket

    @asynccontextmanager
    async def _client(self, key: str | None = None) -> AsyncIterator[Any]:
        """A client for one operation; translates boto errors into storage errors."""
        try:
            async with self._session.client("s3", **self._client_kwargs) as client:
                yield client
        except ClientError as exc:
            if key is not None and _error_code(exc) in _NOT_FOUND_CODES:
                raise ObjectNotFound(key) from exc
            raise StorageError(f"S3 error ({_error_code(exc) or 'unknown'}): {exc}") from exc
        except BotoCoreError as exc:
            raise StorageError(f"S3 unavailable: {exc}") from exc

    async def put(self, key: str, data: bytes, content_type: str) -> None:
        validate_key(key)
        validate_content_type(content_type)
        async with self._client() as client:
            await client.put_object(
                Bucket=self._bucket, Key=key, Body=bytes(data), ContentType=content_type
            )

    async def get(self, key: str) -> bytes:
        validate_key(key)
        async with self._client(key) as client:
            response = await client.get_object(Bucket=self._bucket, Key=key)
            async with response["Body"] as stream:
                data: bytes = await stream.read()
        return data

    async def delete(self, key: str) -> None:
        validate_key(key)
        # DeleteObject already succeeds for a missing key, which gives us idempotency.
        async with self._client() as client:
            await client.delete_object(Bucket=self._bucket, Key=key)

    async def exists(self, key: str) -> bool:
        validate_key(key)
        # HEAD errors carry no body, so a missing *bucket* also comes back as "404" and reads
        # as False here; get/put do tell the two apart (NoSuchBucket -> StorageError).
        try:
            async with self._client(key) as client:
                await client.head_object(Bucket=self._bucket, Key=key)
        except ObjectNotFound:
            return False
        return True

    async def list_keys(self, prefix: str) -> list[str]:
        """Every key under `prefix` (itself inside one user's namespace)."""
        validate_key(prefix.rstrip("/") + "/_")
        keys: list[str] = []
        async with self._client() as client:
            paginator = client.get_paginator("list_objects_v2")
            async for page in paginator.paginate(Bucket=self._bucket, Prefix=prefix):
                keys.extend(str(item["Key"]) for item in page.get("Contents", []))
        return keys

    async def signed_url(
        self, key: str, ttl_s: int | None = None, *, filename: str | None = None
    ) -> str:
        """Presigned GET; `ttl_s=None` uses `presign_ttl_default`.

        Presigning is local (no request is made), so the URL is produced even for a key that
        does not exist; S3 answers 404 when it is fetched, like the filesystem route.
        """
        validate_key(key)
        ttl = check_ttl(self._presign_ttl_default if ttl_s is None else ttl_s)
        params = {
            "Bucket": self._bucket,
            "Key": key,
            # Signed into the URL, so the attachment disposition cannot be stripped.
            "ResponseContentDisposition": attachment_disposition(
                filename if filename is not None else default_filename(key)
            ),
        }
        async with self._session.client("s3", **self._presign_kwargs) as client:
            url: str = await client.generate_presigned_url(
                "get_object", Params=params, ExpiresIn=ttl
            )
        return url

    async def check(self) -> None:
        """Readiness: the bucket answers (StorageError otherwise)."""
        async with self._client() as client:
            await client.head_bucket(Bucket=self._bucket)

    async def allow_browser_downloads(self, origins: list[str]) -> None:
        """Bucket CORS so pages on these origins can fetch() presigned download URLs."""
        rules = [
            {
                "AllowedOrigins": origins,
                "AllowedMethods": ["GET", "HEAD"],
                "AllowedHeaders": ["*"],
                "ExposeHeaders": ["Content-Disposition"],
                "MaxAgeSeconds": 600,
            }
        ]
        async with self._client() as client:
            await client.put_bucket_cors(
                Bucket=self._bucket, CORSConfiguration={"CORSRules": rules}
            )

    async def ensure_bucket(self) -> None:
        """Create the bucket if it is missing (dev setups: MinIO, moto). Safe to call twice."""
        async with self._client() as client:
            try:
                await client.head_bucket(Bucket=self._bucket)
                return
            except ClientError as exc:
                if _error_code(exc) not in _NO_BUCKET_CODES:
                    raise
            create_kwargs: dict[str, Any] = {"Bucket": self._bucket}
            if self._region != "us-east-1":
                # us-east-1 is the one region that rejects an explicit LocationConstraint.
                create_kwargs["CreateBucketConfiguration"] = {"LocationConstraint": self._region}
            try:
                await client.create_bucket(**create_kwargs)
            except ClientError as exc:
                # Another process won the race: the bucket exists, which is all we wanted.
                if _error_code(exc) not in ("BucketAlreadyOwnedByYou", "BucketAlreadyExists"):
                    raise
