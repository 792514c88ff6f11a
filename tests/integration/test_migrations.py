"""The migrations and the models never drift apart."""

from __future__ import annotations

import asyncio
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from app.db.base import Base
from app.migrate import upgrade_head
from tests.conftest import Servers


def test_upgrade_head_on_empty_database_matches_models(servers: Servers) -> None:
    servers.postgres.create_database("migration_check")
    url = servers.postgres.database_url("migration_check")
    upgrade_head(url)
    upgrade_head(url)  # running it twice is a no-op, as `make run` twice must be

    def diff(connection: Connection) -> list[Any]:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))

    async def compare() -> list[Any]:
        engine = create_async_engine(url)
        async with engine.connect() as conn:
            differences = await conn.run_sync(diff)
        await engine.dispose()
        return differences

    assert asyncio.run(compare()) == []
