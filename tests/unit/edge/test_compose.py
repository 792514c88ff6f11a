"""docker compose: MinIO not on all interfaces and without fixed credentials; the API
creates its bucket, presigns for the public address and has a readiness healthcheck."""

from __future__ import annotations

from typing import Any

import yaml

from tests.conftest import REPO_ROOT


def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((REPO_ROOT / "docker-compose.yml").read_text())
    return loaded["services"]


def test_minio_is_loopback_only_with_credentials_from_the_environment() -> None:
    minio = compose()["minio"]
    assert all(str(port).startswith("127.0.0.1:") for port in minio["ports"])
    for name in ("MINIO_ROOT_USER", "MINIO_ROOT_PASSWORD"):
        value = minio["environment"][name]
        assert value.startswith("${") and ":?" in value, f"{name} must be required, not fixed"


def test_api_creates_the_bucket_presigns_publicly_and_reports_readiness() -> None:
    api = compose()["api"]
    env = api["environment"]
    assert env["TAILOR_S3_CREATE_BUCKET"] == "true"
    assert env["TAILOR_S3_PUBLIC_ENDPOINT_URL"]
    assert env["TAILOR_S3_ENDPOINT_URL"] != env["TAILOR_S3_PUBLIC_ENDPOINT_URL"]
    assert "/ready" in " ".join(api["healthcheck"]["test"])
    assert compose()["worker"]["depends_on"]["api"]["condition"] == "service_healthy"
