"""docker compose's first use: the API creates its S3 bucket (with a CORS rule for the
browser origins) at start, /ready checks it, and presigned URLs use the public endpoint."""

from __future__ import annotations

import uuid
from pathlib import Path

import httpx

from app.main import create_app
from app.storage.s3 import S3Store
from tests.conftest import Servers
from tests.integration.conftest import make_settings
from tests.integration.edge_support import app_client

ORIGIN = "http://app.localhost:5173"


async def test_bucket_created_at_start_and_urls_use_the_public_endpoint(
    servers: Servers, tmp_path: Path, moto_endpoint: str
) -> None:
    bucket = f"tailor-start-{uuid.uuid4().hex[:10]}"
    public = moto_endpoint.replace("127.0.0.1", "localhost")
    settings = make_settings(
        servers,
        tmp_path,
        storage_backend="s3",
        s3_bucket=bucket,
        s3_endpoint_url=moto_endpoint,
        s3_public_endpoint_url=public,
        s3_access_key="test",
        s3_secret_key="test",
        s3_create_bucket=True,
        cors_origins=[ORIGIN],
    )
    application = create_app(settings)
    async with app_client(application) as http:
        ready = await http.get("/ready")
        assert ready.status_code == 200, ready.text
        assert ready.json()["checks"]["storage"] == "ok"
        store: S3Store = application.state.runtime.store
        key = f"users/{uuid.uuid4()}/exports/cv.pdf"
        await store.put(key, b"%PDF-1.7 s3", "application/pdf")
        url = await store.signed_url(key, 60, filename="cv.pdf")
        assert url.startswith(public + "/"), url
        async with httpx.AsyncClient() as outside:
            download = await outside.get(url, headers={"Origin": ORIGIN})
        assert download.status_code == 200 and download.content == b"%PDF-1.7 s3"
        assert download.headers.get("access-control-allow-origin") == ORIGIN


async def test_ready_is_503_when_the_bucket_is_missing(
    servers: Servers, tmp_path: Path, moto_endpoint: str
) -> None:
    settings = make_settings(
        servers,
        tmp_path,
        storage_backend="s3",
        s3_bucket=f"tailor-missing-{uuid.uuid4().hex[:10]}",
        s3_endpoint_url=moto_endpoint,
        s3_access_key="test",
        s3_secret_key="test",
    )
    async with app_client(create_app(settings)) as http:
        ready = await http.get("/ready")
        assert ready.status_code == 503
        assert ready.json()["checks"]["storage"] == "unavailable"
