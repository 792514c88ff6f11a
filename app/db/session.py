"""Async engine and session factory (one engine per process)."""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import event, exc
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

# A pooled connection idle longer than this is pinged before use (a database restart or a
# dropped idle connection shows up there, not in the caller's first statement). SQLAlchemy's
# own pre-ping checks EVERY checkout, and with asyncpg its ping is BEGIN; SELECT; ROLLBACK:
# three round trips, which was a sixth of the API's CPU and a tenth of a worker's per job.
# Connections in steady use come back within milliseconds and skip it.
PING_IF_IDLE_S = 2.0
_CHECKED_IN_AT = "tailor.checked_in_at"


def make_engine(database_url: str, *, pool_size: int = 20) -> AsyncEngine:
    engine = create_async_engine(
        database_url,
        # All of them kept, none as overflow: the pool closes an overflow connection as
        # soon as it is checked in, so every burst opened dozens of new connections (TLS
        # negotiation, authentication, codec set-up: ~70 in a 230-job burst, over a ms of
        # API CPU per job). The cap on concurrent connections is the same 20 as 10 + 10.
        pool_size=pool_size,
        max_overflow=0,
        # Most recently used first: a few warm connections (their prepared statements
        # cached) serve a steady load; the rest stay idle and are pinged when next used.
        pool_use_lifo=True,
        # Statement parameters hold resumes, password hashes and e-mail addresses: never
        # put them in exception messages (which end up in logs).
        hide_parameters=True,
    )
    event.listen(engine.sync_engine, "connect", _mark_checked_in)
    event.listen(engine.sync_engine, "checkin", _mark_checked_in)
    event.listen(engine.sync_engine, "checkout", _ping_if_idle)
    return engine


def _mark_checked_in(dbapi_connection: Any, record: Any) -> None:
    record.info[_CHECKED_IN_AT] = time.monotonic()


def _ping_if_idle(dbapi_connection: Any, record: Any, proxy: Any) -> None:
    """Pool `checkout` hook: ping a connection that sat idle. A dead one means the server
    restarted or dropped us, so every pooled connection is suspect: the pool discards
    them all and checks out a fresh one."""
    idle_s = time.monotonic() - record.info.get(_CHECKED_IN_AT, 0.0)
    if idle_s < PING_IF_IDLE_S:
        return
    try:
        dbapi_connection.ping()  # runs in the checkout's greenlet, as pre-ping does
    except Exception as error:
        raise exc.InvalidatePoolError(f"idle connection is gone: {type(error).__name__}") from error


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    # expire_on_commit=False: services return ORM rows after commit and resolvers read them.
    return async_sessionmaker(engine, expire_on_commit=False)
