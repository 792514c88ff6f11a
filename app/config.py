"""Settings, read from the environment with the prefix TAILOR_ (see README for the table)."""

from __future__ import annotations

import enum
from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Environment(str, enum.Enum):
    DEVELOPMENT = "development"
    TEST = "test"
    PRODUCTION = "production"


class StorageBackend(str, enum.Enum):
    FILESYSTEM = "filesystem"
    S3 = "s3"


_DEV_SECRET = "dev-insecure-secret-change-me-0123456789abcdef"


class Settings(BaseSettings):
    """Every knob of a deployment. Defaults suit `make run` on one machine."""

    model_config = SettingsConfigDict(env_prefix="TAILOR_", env_file=".env", extra="ignore")

    env: Environment = Environment.DEVELOPMENT
    database_url: str = "postgresql+asyncpg://tailor@127.0.0.1:55432/tailor"
    redis_url: str = "redis://127.0.0.1:56379/0"
    public_base_url: str = "http://127.0.0.1:8000"
    host: str = "127.0.0.1"
    port: int = 8000
    log_level: str = "INFO"

    jwt_secret: SecretStr = SecretStr(_DEV_SECRET)
    jwt_issuer: str = "tailor"
    jwt_audience: str = "tailor-api"
    jwt_ttl_s: int = 900  # access tokens; renewed with refreshToken
    # Refresh tokens rotate on every use; a reused one revokes its whole family.
    refresh_token_ttl_s: int = 30 * 24 * 3600
    allow_dev_no_auth: bool = False

    storage_backend: StorageBackend = StorageBackend.FILESYSTEM
    storage_root: Path = Path(".data/files")
    storage_signing_secret: SecretStr = SecretStr(_DEV_SECRET)
    s3_bucket: str = "tailor"
    s3_region: str = "us-east-1"
    s3_endpoint_url: str | None = None
    s3_access_key: SecretStr | None = None
    s3_secret_key: SecretStr | None = None
    download_url_ttl_s: int = 300
    # Browsers and other outside clients reach S3 here (presigned URLs); the API itself may
    # talk to the internal endpoint (e.g. http://minio:9000 inside compose).
    s3_public_endpoint_url: str | None = None
    s3_create_bucket: bool = False

    max_resume_bytes: int = 5 * 1024 * 1024
    max_job_description_bytes: int = 10 * 1024 * 1024
    parse_timeout_s: float = 15.0
    parse_memory_mb: int = 1024
    # Warm subprocesses per process that parse documents (0: one per core, at most 4) and
    # render PDFs (0: one per core, at most 2); a PDF render's budget and memory cap.
    parse_workers: int = Field(default=0, ge=0, le=64)
    export_workers: int = Field(default=0, ge=0, le=64)
    export_timeout_s: float = Field(default=30.0, gt=0, le=600)
    export_memory_mb: int = Field(default=1024, ge=128, le=16384)
    job_timeout_s: int = 300
    job_max_duration_s: int = 900
    job_max_tries: int = 3
    # Measured (idle worker, 2 cores): 0.05 s costs 3.3% of a core, 0.02 s 4.1%, 0.01 s 8%;
    # a job waits half the delay on average before a worker sees it.
    worker_poll_delay_s: float = 0.02
    # Jobs one worker runs at once: the local engine runs on one thread, so more jobs only
    # overlap their database/Redis waits with another job's engine time. Measured (40-job
    # bursts, one worker, a loaded 2-core machine): 1 -> 0.8, 4 -> 1.0, 10 -> 1.7 jobs/s.
    worker_max_jobs: int = Field(default=10, ge=1, le=100)
    # Warm child processes per worker running the local engine, one job's request at a time
    # (started with the worker); a request unanswered after local_engine_timeout_s is killed
    # and the job retried (then JOB_TIMEOUT). Keep the timeout below job_timeout_s.
    local_engine_processes: int = Field(default=1, ge=1, le=64)
    local_engine_timeout_s: float = Field(default=30.0, gt=0, le=600)
    sweep_interval_s: int = 10
    # Live doorbell subscriptions: how often ONE query per API process rechecks every
    # followed version (versionUpdates) / user (applicationChanges) for a lost ring.
    version_recheck_s: float = Field(default=2.0, gt=0, le=600)
    application_recheck_s: float = Field(default=15.0, gt=0, le=600)
    # A running job's worker renews its arq in-progress key this often (TTL: 3 beats), so
    # a killed worker's job is picked up by another within seconds, not after the
    # longest function timeout. 0 turns the heartbeat off.
    worker_heartbeat_s: float = 10.0
    # Worker processes serve Prometheus metrics on this port (0: off); `tailor dev`
    # gives its worker one. Each worker on a host needs its own port.
    worker_metrics_port: int = 0
    # Artificial pause after each pipeline phase: for demos (watch the progress bar) and
    # fault-injection tests (kill a worker mid-job). Keep 0 in production.
    pipeline_step_delay_s: float = 0.0
    tailor_rate_limit_per_minute: int = 30
    credits_per_job: int = 0
    # Who may grant credits through the API (the CLI needs no account).
    admin_emails: list[str] = Field(default_factory=list)
    # Rate limits per minute (0: off). Sign-in: attempts per client IP a minute, and
    # failed attempts per account in sign_in_account_window_s (a slow brute force too).
    sign_in_limit_per_ip: int = 20
    sign_in_limit_per_account: int = 10
    sign_in_account_window_s: int = 900
    upload_rate_limit_per_minute: int = 30
    share_link_rate_limit_per_minute: int = 10
    apply_email_rate_limit_per_minute: int = 3
    analytics_rate_limit_per_minute: int = 120
    share_link_max_ttl_s: int = 30 * 24 * 3600
    # Apply by e-mail: the worker sends through this SMTP server. From is the server's
    # address with the person's name; Reply-To is the person's own address.
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 25
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_security: str = "none"  # none, starttls or tls
    smtp_timeout_s: float = 30.0
    mail_from_address: str = "no-reply@tailor.localhost"
    max_email_attachment_bytes: int = 10 * 1024 * 1024
    query_max_depth: int = 12
    query_max_aliases: int = 30
    query_max_tokens: int = 4000
    # Bounds checked before anything is parsed or validated (see graphql_schema/limits.py).
    query_max_chars: int = 100_000
    query_max_fragment_spreads: int = 100
    query_max_fields: int = 2_000
    # A last line of defence: the structural checks above already refuse fan-out in
    # milliseconds, so this only has to stop pathological validation. Generous enough that a
    # busy 2-core host never refuses an ordinary query (250 ms did, under load).
    query_validation_budget_ms: int = 1000
    # None: room for the largest base64 resume or pasted job description (transport.py).
    max_json_body_bytes: int | None = None
    ws_max_message_bytes: int = 1024 * 1024
    # Browser origins allowed to call the API (CORS) and to open its WebSocket.
    cors_origins: list[str] = Field(default_factory=list)
    cors_allow_credentials: bool = False
    # GraphiQL assets: "local" (pinned copies installed by `make deps`) or "cdn".
    graphiql_assets: str = "local"
    web_assets_dir: Path | None = None  # default: web/node_modules in the source tree
    # /metrics: a bearer token, else only these client addresses may scrape.
    metrics_token: SecretStr | None = None
    metrics_allowed_ips: list[str] = Field(default_factory=lambda: ["127.0.0.1", "::1"])

    default_engine: str = "local"
    openai_api_key: SecretStr | None = None
    openai_base_url: str | None = None
    openai_model: str = "gpt-4.1-mini"
    anthropic_api_key: SecretStr | None = None
    anthropic_base_url: str | None = None
    anthropic_model: str = "claude-sonnet-4-6"
    # Any OpenAI-compatible server (Ollama, vLLM, llama.cpp, LM Studio).
    compatible_base_url: str | None = None
    compatible_api_key: SecretStr | None = None
    compatible_model: str = "llama3.1"
    # Models each provider serves besides its default one: `tailor(model:)` is routed to
    # the first provider in the chain that lists the model, and refused if none does.
    openai_models: list[str] = Field(default_factory=list)
    anthropic_models: list[str] = Field(default_factory=list)
    compatible_models: list[str] = Field(default_factory=list)
    ai_timeout_s: float = 60.0
    ai_provider_chain: list[str] = Field(
        default_factory=lambda: ["openai", "anthropic", "compatible"]
    )

    @model_validator(mode="after")
    def _refuse_unsafe_production(self) -> Settings:
        # A production deployment with the dev secret or the auth bypass is a breach waiting
        # to happen: refuse to start rather than warn.
        if self.env is Environment.PRODUCTION:
            if self.allow_dev_no_auth:
                raise ValueError("TAILOR_ALLOW_DEV_NO_AUTH cannot be used in production")
            if self.jwt_secret.get_secret_value() == _DEV_SECRET:
                raise ValueError("set TAILOR_JWT_SECRET in production")
            if self.storage_signing_secret.get_secret_value() == _DEV_SECRET:
                raise ValueError("set TAILOR_STORAGE_SIGNING_SECRET in production")
        return self

    @property
    def llm_configured(self) -> bool:
        return bool(self.openai_api_key or self.anthropic_api_key or self.compatible_base_url)

    @property
    def dev_no_auth(self) -> bool:
        return self.allow_dev_no_auth and self.env is not Environment.PRODUCTION


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
