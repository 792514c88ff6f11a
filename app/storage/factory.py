"""build_store: pick a backend from plain configuration values.

Takes plain arguments (not the Settings class) so config wiring stays in one place, e.g.:

    build_store(
        settings.storage_backend,
        root=settings.storage_root,
        signing_secret=settings.storage_signing_secret.get_secret_value(),
        base_url=settings.public_base_url,
        s3_bucket=settings.s3_bucket, s3_region=settings.s3_region,
        s3_endpoint_url=settings.s3_endpoint_url,
        s3_access_key=..., s3_secret_key=...,   # .get_secret_value() or None
        presign_ttl_default=settings.download_url_ttl_s,
    )
"""

from __future__ import annotations

import enum
from pathlib import Path

from app.storage.filesystem import FilesystemStore
from app.storage.protocol import ObjectStore
from app.storage.s3 import S3Store


def build_store(
    backend: str | enum.Enum,
    *,
    root: Path | str | None = None,
    signing_secret: str | None = None,
    base_url: str | None = None,
    s3_bucket: str | None = None,
    s3_region: str | None = None,
    s3_endpoint_url: str | None = None,
    s3_access_key: str | None = None,
    s3_secret_key: str | None = None,
    presign_ttl_default: int = 300,
    s3_public_endpoint_url: str | None = None,
) -> ObjectStore:
    """ "filesystem" needs root, signing_secret and base_url; "s3" needs s3_bucket, s3_region."""
    # Accept a str-valued Enum (e.g. config.StorageBackend) without importing it.
    name = str(backend.value) if isinstance(backend, enum.Enum) else backend
    if name == "filesystem":
        if root is None or signing_secret is None or base_url is None:
            raise ValueError("filesystem storage needs root, signing_secret and base_url")
        return FilesystemStore(Path(root), signing_secret, base_url)
    if name == "s3":
        if not s3_bucket or not s3_region:
            raise ValueError("s3 storage needs s3_bucket and s3_region")
        return S3Store(
            s3_bucket,
            s3_region,
            endpoint_url=s3_endpoint_url,
            access_key=s3_access_key,
            secret_key=s3_secret_key,
            presign_ttl_default=presign_ttl_default,
            public_endpoint_url=s3_public_endpoint_url,
        )
    raise ValueError(f"unknown storage backend: {name!r} (expected 'filesystem' or 's3')")
