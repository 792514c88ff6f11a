"""Process-wide resources (database, Redis, queue, object store), built once at start-up."""

from __future__ import annotations

from dataclasses import dataclass

from arq.connections import ArqRedis, RedisSettings, create_pool
from pydantic import SecretStr
from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from app.ai.chain import ProviderChain
from app.auth.tokens import TokenConfig
from app.config import Settings
from app.db.session import make_engine, make_sessionmaker
from app.documents.sandbox import size_default_pool as size_parse_pool
from app.events.hub import EventHub
from app.exports.pdf import configure as configure_pdf
from app.storage.factory import build_store
from app.storage.protocol import ObjectStore


@dataclass
class Runtime:
    settings: Settings
    engine: AsyncEngine
    db: async_sessionmaker[AsyncSession]
    redis: Redis
    queue: ArqRedis
    store: ObjectStore
    hub: EventHub
    # The LLM provider chain, built on first use (app.services.engines.provider_chain): one
    # per process, so circuit breakers remember failures across jobs.
    ai_chain: ProviderChain | None = None

    @property
    def tokens(self) -> TokenConfig:
        s = self.settings
        return TokenConfig(
            secret=s.jwt_secret.get_secret_value(),
            issuer=s.jwt_issuer,
            audience=s.jwt_audience,
            ttl_s=s.jwt_ttl_s,
        )

    async def close(self) -> None:
        await self.hub.stop()
        await self.queue.aclose()
        await self.redis.aclose()
        await self.engine.dispose()


def redis_retry() -> Retry:
    """Ride out a Redis restart (a few seconds) instead of failing every command at once."""
    return Retry(ExponentialBackoff(cap=1.0, base=0.05), retries=30)


REDIS_RETRY_ON = [RedisConnectionError, RedisTimeoutError, ConnectionResetError]


def redis_settings(url: str) -> RedisSettings:
    settings = RedisSettings.from_dsn(url)
    settings.conn_retries = 10
    settings.conn_retry_delay = 1
    settings.retry = redis_retry()
    settings.retry_on_error = list(REDIS_RETRY_ON)
    return settings


def size_process_pools(settings: Settings) -> None:
    """Size this process's subprocess pools from settings (their workers start lazily)."""
    size_parse_pool(settings.parse_workers)
    configure_pdf(
        workers=settings.export_workers,
        timeout_s=settings.export_timeout_s,
        memory_mb=settings.export_memory_mb,
    )


async def build_runtime(settings: Settings, store: ObjectStore | None = None) -> Runtime:
    size_process_pools(settings)
    engine = make_engine(settings.database_url)
    redis = Redis.from_url(
        settings.redis_url,
        decode_responses=False,
        retry=redis_retry(),
        retry_on_error=list(REDIS_RETRY_ON),
    )
    queue = await create_pool(redis_settings(settings.redis_url))
    return Runtime(
        settings=settings,
        engine=engine,
        db=make_sessionmaker(engine),
        redis=redis,
        queue=queue,
        store=store or store_from_settings(settings),
        hub=EventHub(redis),
    )


def store_from_settings(settings: Settings) -> ObjectStore:
    def secret(value: SecretStr | None) -> str | None:
        return value.get_secret_value() if value is not None else None

    return build_store(
        settings.storage_backend,
        root=settings.storage_root,
        signing_secret=settings.storage_signing_secret.get_secret_value(),
        base_url=settings.public_base_url,
        s3_bucket=settings.s3_bucket,
        s3_region=settings.s3_region,
        s3_endpoint_url=settings.s3_endpoint_url,
        s3_access_key=secret(settings.s3_access_key),
        s3_secret_key=secret(settings.s3_secret_key),
        presign_ttl_default=settings.download_url_ttl_s,
        s3_public_endpoint_url=settings.s3_public_endpoint_url,
    )
