"""What a read costs on the wire, counted by a proxy in front of the test Postgres
(tests/integration/pg_wire.py), and that the cheap reads still see every change at once.

- An access token's liveness check (every HTTP request, every WebSocket connection_init)
  is ONE round trip: no BEGIN/ROLLBACK around it; a sign-out or account deletion made
  through another API process (another engine, another pool) is refused on the next one.
- A `reading()` block costs one round trip per statement; a transaction adds BEGIN and
  COMMIT.
- A driver-level read cancelled mid-statement leaves a usable connection; one whose
  connection was lost says so as an outage and the connection is not used again.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest
import pytest_asyncio
from sqlalchemy import func, select, text, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from starlette.applications import Starlette

from app.auth.tokens import AccessClaims
from app.config import Settings
from app.db.driver_read import DriverRead
from app.db.models import User
from app.db.outage import is_outage
from app.db.session import make_engine, make_sessionmaker
from app.db.unit_of_work import reading, transaction
from app.main import create_app
from app.runtime import Runtime
from app.services import sessions, users
from tests.conftest import Servers
from tests.integration.conftest import GraphQLClient, error_codes, sign_up
from tests.integration.pg_wire import WireCounter, counting_proxy

ME = "{ me { id } }"
SIGN_OUT = "mutation { signOut { revokedSessions } }"


@dataclass
class Counted:
    engine: AsyncEngine
    db: async_sessionmaker[AsyncSession]
    wire: WireCounter


@pytest_asyncio.fixture
async def counted(servers: Servers) -> AsyncIterator[Counted]:
    """An engine (like another API process's) whose every round trip is counted."""
    url = make_url(servers.database_url)
    assert url.host and url.port
    async with counting_proxy(url.host, url.port) as (port, wire):
        proxied = url.set(host="127.0.0.1", port=port).render_as_string(hide_password=False)
        engine = make_engine(proxied)
        try:
            yield Counted(engine, make_sessionmaker(engine), wire)
        finally:
            await engine.dispose()


@dataclass(frozen=True)
class SignedIn:
    user_id: uuid.UUID
    session_id: uuid.UUID

    @property
    def claims(self) -> AccessClaims:
        return AccessClaims(user_id=self.user_id, session_id=self.session_id)


async def _signed_in_user(runtime: Runtime) -> SignedIn:
    async with transaction(runtime.db) as session:
        user = await users.sign_up(
            session, f"rt-{uuid.uuid4().hex[:10]}@example.com", "correct horse battery", None
        )
        issued = await sessions.start_session(session, runtime.tokens, 3600, user.id)
    return SignedIn(user.id, issued.session_id)


async def test_an_access_check_is_one_round_trip_and_sees_a_revocation_at_once(
    runtime: Runtime, counted: Counted
) -> None:
    user = await _signed_in_user(runtime)
    claims = user.claims
    assert await sessions.access_is_live(counted.engine, claims)  # connects, prepares
    counted.wire.reset()
    assert await sessions.access_is_live(counted.engine, claims)
    assert counted.wire.round_trips == 1
    assert counted.wire.messages[b"Q"] == 0  # no BEGIN, no ROLLBACK

    async with transaction(runtime.db) as session:  # signOut, through another pool
        assert await sessions.revoke_session(session, user.user_id, user.session_id) == 1
    counted.wire.reset()
    assert not await sessions.access_is_live(counted.engine, claims)
    assert counted.wire.round_trips == 1

    unscoped = AccessClaims(user_id=claims.user_id, session_id=None)
    assert await sessions.access_is_live(counted.engine, unscoped)
    async with transaction(runtime.db) as session:  # the account is deleted
        await session.execute(
            update(User).where(User.id == claims.user_id).values(deleted_at=dt.datetime.now(dt.UTC))
        )
    assert not await sessions.access_is_live(counted.engine, unscoped)


async def test_a_read_costs_one_round_trip_per_statement(counted: Counted) -> None:
    statement = select(func.count()).select_from(User)
    async with reading(counted.db) as session:
        await session.execute(statement)  # connects, prepares
    counted.wire.reset()
    async with reading(counted.db) as session:
        await session.execute(statement)
    assert counted.wire.round_trips == 1
    counted.wire.reset()
    async with reading(counted.db) as session:
        await session.execute(statement)
        await session.execute(statement)
    assert counted.wire.round_trips == 2
    counted.wire.reset()
    async with transaction(counted.db) as session:
        await session.execute(statement)
    assert counted.wire.round_trips == 3  # BEGIN, the statement, COMMIT


async def test_reads_in_one_block_each_see_what_has_committed(
    runtime: Runtime, counted: Counted
) -> None:
    """READ COMMITTED either way: a row committed between two reads shows in the second."""
    user = await _signed_in_user(runtime)
    statement = select(User.deleted_at).where(User.id == user.user_id)
    async with reading(counted.db) as session:
        assert (await session.execute(statement)).scalar_one() is None
        async with transaction(runtime.db) as other:
            await other.execute(
                update(User)
                .where(User.id == user.user_id)
                .values(deleted_at=dt.datetime.now(dt.UTC))
            )
        assert (await session.execute(statement)).scalar_one() is not None


SLEEP = DriverRead(select(func.pg_sleep(30)))
ONE = DriverRead(select(func.count().label("n")).select_from(User))


async def test_a_cancelled_driver_read_leaves_no_busy_connection_behind(counted: Counted) -> None:
    """asyncpg cancels the statement on the server; the pooled connection answers the
    next read (a client that hangs up mid-request cancels its read)."""
    counted.engine.pool.dispose()
    task = asyncio.create_task(SLEEP.rows(counted.engine))
    async with asyncio.timeout(30):
        while True:  # the statement is running on the server
            async with reading(make_sessionmaker(counted.engine)) as session:
                running = await session.execute(
                    text(
                        "SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%pg_sleep%'"
                        " AND state = 'active' AND pid <> pg_backend_pid()"
                    )
                )
                if running.scalar_one():
                    break
            await asyncio.sleep(0.01)
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    for _ in range(3):  # whichever pooled connection comes next answers at once
        async with asyncio.timeout(10):
            assert (await ONE.rows(counted.engine))[0]["n"] >= 0
    assert counted.engine.pool.checkedout() == 0  # type: ignore[attr-defined]


@pytest_asyncio.fixture
async def second_app(settings: Settings) -> AsyncIterator[Starlette]:
    """Another API process on the same database (its own engine and pool)."""
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        yield application


async def test_a_sign_out_through_one_api_is_refused_by_another_on_the_next_request(
    client: GraphQLClient, second_app: Starlette
) -> None:
    token, _ = await sign_up(client)
    transport = httpx.ASGITransport(app=second_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        other = GraphQLClient(http, token)
        assert error_codes(await other.run(ME)) == []
        await client.ok(SIGN_OUT, token=token)
        assert error_codes(await other.run(ME)) == ["UNAUTHENTICATED"]


PID = DriverRead(select(func.pg_backend_pid().label("pid")))


async def test_a_lost_connection_is_an_outage_and_is_not_handed_on(
    runtime: Runtime, counted: Counted
) -> None:
    pid = (await PID.rows(counted.engine))[0]["pid"]  # the pooled connection's backend
    async with reading(runtime.db) as session:
        await session.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        gone = text("SELECT count(*) FROM pg_stat_activity WHERE pid = :pid")
        async with asyncio.timeout(30):
            while True:  # until the backend has exited
                if not (await session.execute(gone, {"pid": pid})).scalar_one():
                    break
                await asyncio.sleep(0.01)
    with pytest.raises(DBAPIError) as lost:
        await ONE.rows(counted.engine)  # the same pooled connection (most recent first)
    assert lost.value.connection_invalidated and is_outage(lost.value)
    assert (await PID.rows(counted.engine))[0]["pid"] != pid  # a fresh connection
