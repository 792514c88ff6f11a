"""Process-wide resources (database, Redis, queue, object store), built once at start-up."""

from __future__ import annotations

from dataclasses import dataclass

from arq.connections import ArqRedis, RedisSettings, create_pool
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from app.auth.tokens import TokenConfig
from app.config import Settings
from app.db.session import make_engine, make_sessionmaker


@dataclass
class Runtime:
    settings: Settings
    engine: AsyncEngine
    db: async_sessionmaker[AsyncSession]
    redis: Redis
    queue: ArqRedis

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
        await self.queue.aclose()
        await self.redis.aclose()
        await self.engine.dispose()


def redis_settings(url: str) -> RedisSettings:
    # Short retries: a Redis restart should be ridden out, not wedge a request for minutes.
    settings = RedisSettings.from_dsn(url)
    settings.conn_retries = 10
    settings.conn_retry_delay = 1
    return settings


async def build_runtime(settings: Settings) -> Runtime:
    engine = make_engine(settings.database_url)
    redis = Redis.from_url(settings.redis_url, decode_responses=False)
    queue = await create_pool(redis_settings(settings.redis_url))
    return Runtime(
        settings=settings,
        engine=engine,
        db=make_sessionmaker(engine),
        redis=redis,
        queue=queue,
    )
