"""Hot one-statement reads run straight on the pooled driver connection.

A read through an ORM session costs BEGIN, the statement and ROLLBACK (three round trips)
plus the session's own bookkeeping: about 1 ms of API CPU for a one-row lookup that the
driver does in a fifth of that. `DriverRead` is for the few reads every request makes
(is this access token's session live? may this job be followed?): a Core SELECT,
compiled once by SQLAlchemy (so table and column names stay checked), run with asyncpg on
a connection from the engine's pool outside any transaction. Under READ COMMITTED each
statement sees its own snapshot anyway, so one statement outside a transaction reads
exactly what it would have read inside one.

Rows come back as asyncpg records: values as the driver decodes them (UUIDs, aware
datetimes, str for our VARCHAR enums, dicts for JSONB), no ORM objects.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import asyncpg
from sqlalchemy import Executable
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker

Record = Mapping[str, Any]
Source = AsyncEngine | AsyncSession | async_sessionmaker[AsyncSession]


@dataclass(frozen=True)
class _Compiled:
    sql: str
    names: tuple[str, ...]  # the parameters in positional order
    fixed: dict[str, Any]  # values the statement carries (`column == JobStatus.COMPLETED`)


class DriverRead:
    """A SELECT with named bind parameters (`bindparam("user_id")`), compiled on first use
    for the engine's dialect. Values written into the statement stay as given: the driver
    encodes them (str enums as their value, UUIDs, datetimes)."""

    def __init__(self, statement: Executable) -> None:
        self._statement = statement
        self._compiled: _Compiled | None = None

    def _compile(self, dialect: Dialect) -> _Compiled:
        if self._compiled is None:
            compiled = self._statement.compile(dialect=dialect)  # type: ignore[attr-defined]
            names = tuple(compiled.positiontup or ())
            fixed = {n: _plain(compiled.binds[n].effective_value) for n in names}
            for name in names:
                if compiled.binds[name].required:
                    del fixed[name]
            self._compiled = _Compiled(compiled.string, names, fixed)
        return self._compiled

    async def rows(self, source: Source, **params: Any) -> list[Record]:
        """All rows. With an engine (or a sessionmaker: its engine): on a pooled connection
        of its own, outside any transaction. With a session: on the session's connection,
        in its transaction once that has run a statement (before, outside it: the same
        rows for a read)."""
        if isinstance(source, AsyncSession):
            return await self._run(await source.connection(), params)
        engine: AsyncEngine = (
            source.kw["bind"] if isinstance(source, async_sessionmaker) else source
        )
        async with engine.connect() as connection:
            return await self._run(connection, params)

    async def first(self, source: Source, **params: Any) -> Record | None:
        found = await self.rows(source, **params)
        return found[0] if found else None

    async def _run(self, connection: AsyncConnection, params: Mapping[str, Any]) -> list[Record]:
        compiled = self._compile(connection.dialect)
        args = [params[n] if n not in compiled.fixed else compiled.fixed[n] for n in compiled.names]
        raw = await connection.get_raw_connection()
        driver: asyncpg.Connection = raw.driver_connection
        try:
            found: Sequence[Record] = await driver.fetch(compiled.sql, *args)
        except Exception as error:
            if not (driver.is_closed() or _connection_is_gone(error)):
                raise  # the statement failed; the connection is fine
            # Never hand a lost connection to the next caller; and say it as SQLAlchemy
            # would (an invalidated connection): callers tell an outage by that.
            await connection.invalidate(error)
            raise DBAPIError(
                compiled.sql, None, error, hide_parameters=True, connection_invalidated=True
            ) from error
        # A cancellation needs nothing: asyncpg cancels the statement on the server and the
        # connection is usable again (tests/integration/test_read_round_trips.py).
        return list(found)


def _connection_is_gone(error: Exception) -> bool:
    """Server-side errors leave the connection usable unless the server is going away."""
    return isinstance(
        error, asyncpg.PostgresConnectionError | asyncpg.exceptions.OperatorInterventionError
    )


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, enum.Enum) else value
