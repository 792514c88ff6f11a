"""Production refuses unsafe settings; the dev auth bypass never works in production."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from app.config import Environment, Settings

STRONG = "s" * 48


def test_production_refuses_dev_bypass() -> None:
    with pytest.raises(ValidationError, match="ALLOW_DEV_NO_AUTH"):
        Settings(
            env=Environment.PRODUCTION,
            allow_dev_no_auth=True,
            jwt_secret=STRONG,
            storage_signing_secret=STRONG,
        )


def test_production_refuses_default_secrets() -> None:
    with pytest.raises(ValidationError, match="JWT_SECRET"):
        Settings(env=Environment.PRODUCTION)
    with pytest.raises(ValidationError, match="STORAGE_SIGNING_SECRET"):
        Settings(env=Environment.PRODUCTION, jwt_secret=STRONG)


def test_dev_bypass_only_outside_production() -> None:
    assert Settings(allow_dev_no_auth=True).dev_no_auth is True
    assert Settings(allow_dev_no_auth=False).dev_no_auth is False
    production = Settings(
        env=Environment.PRODUCTION, jwt_secret=STRONG, storage_signing_secret=STRONG
    )
    assert production.dev_no_auth is False


def test_environment_variables_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TAILOR_JOB_TIMEOUT_S", "42")
    monkeypatch.setenv("TAILOR_STORAGE_BACKEND", "s3")
    settings = Settings()
    assert settings.job_timeout_s == 42
    assert settings.storage_backend.value == "s3"
