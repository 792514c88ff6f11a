"""signIn holds no database connection while argon2 checks the password: the API runs here
on a pool of ONE connection, and while a sign-in is held inside its password check other
requests (and other sign-ins) still get that connection. What the password was checked
against is checked again when the session is written: an account locked, or deleted,
meanwhile refuses even the right password. Concurrent wrong guesses are all counted."""

from __future__ import annotations

import asyncio
import threading
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import httpx
import pytest
import pytest_asyncio
from argon2 import PasswordHasher
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from app.auth import passwords
from app.db.models import AuthSession
from app.db.session import make_engine, make_sessionmaker
from app.db.unit_of_work import reading, transaction
from app.main import create_app
from app.runtime import Runtime
from app.services.users import WRONG_CREDENTIALS
from tests.conftest import Servers
from tests.integration.conftest import GraphQLClient, error_codes, make_settings, sign_up

SIGN_IN = """mutation($e: String!, $p: String!) { signIn(email: $e, password: $p)
  { accessToken user { id } } }"""
PASSWORD = "correct horse battery"
LOCK_AFTER = 3
WAIT_S = 30  # a guard against hanging on a bug, never a measured duration


@dataclass
class OneConnection:
    client: GraphQLClient
    runtime: Runtime
    engine: AsyncEngine  # the API's engine: pool_size=1, no overflow


@pytest_asyncio.fixture
async def one_connection(servers: Servers, tmp_path: Path) -> AsyncIterator[OneConnection]:
    settings = make_settings(
        servers, tmp_path, sign_in_limit_per_account=LOCK_AFTER, sign_in_limit_per_ip=1000
    )
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        runtime: Runtime = application.state.runtime
        usual_engine, usual_db = runtime.engine, runtime.db
        engine = make_engine(settings.database_url, pool_size=1)
        runtime.engine, runtime.db = engine, make_sessionmaker(engine)
        try:
            transport = httpx.ASGITransport(app=application)
            async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
                yield OneConnection(GraphQLClient(http), runtime, engine)
        finally:
            runtime.engine, runtime.db = usual_engine, usual_db
            await engine.dispose()


class GatedHasher(PasswordHasher):
    """Real argon2, except that the first verification waits inside the hashing thread
    until the test releases it (it tells the event loop when it got there)."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        super().__init__()
        self.entered = asyncio.Event()
        self.release = threading.Event()
        self._loop = loop
        self._gated = False
        self._lock = threading.Lock()

    def verify(self, hash: str | bytes, password: str | bytes) -> Literal[True]:
        with self._lock:
            first, self._gated = not self._gated, True
        if first:
            self._loop.call_soon_threadsafe(self.entered.set)
            if not self.release.wait(WAIT_S):
                raise RuntimeError("the test never released the password check")
        return super().verify(hash, password)


async def _sign_in_held_in_its_check(
    stack: OneConnection,
    monkeypatch: pytest.MonkeyPatch,
    variables: dict[str, str],
    meanwhile: Callable[[], Awaitable[None]],
) -> dict[str, Any]:
    """Run `meanwhile` while a signIn waits inside argon2; the signIn's response body."""
    hasher = GatedHasher(asyncio.get_running_loop())
    monkeypatch.setattr(passwords, "_hasher", hasher)
    signing_in = asyncio.create_task(stack.client.run(SIGN_IN, variables))
    try:
        async with asyncio.timeout(WAIT_S):
            await hasher.entered.wait()
        await meanwhile()
    finally:
        hasher.release.set()
    return await signing_in


async def _still_served_by_the_one_connection(stack: OneConnection, token: str) -> None:
    assert stack.engine.pool.checkedout() == 0  # type: ignore[attr-defined]
    # With the pool's only connection held, these would wait for it (and time out).
    me = await stack.client.ok("{ me { id } }", token=token)
    assert me["me"]["id"]
    async with transaction(stack.runtime.db) as session:
        assert (await session.execute(select(func.count(AuthSession.id)))).scalar_one() >= 1


async def _sessions(stack: OneConnection) -> int:
    async with reading(stack.runtime.db) as session:
        return int((await session.execute(select(func.count(AuthSession.id)))).scalar_one())


def _address() -> str:
    return f"acct-{uuid.uuid4().hex[:8]}@example.org"


@pytest.mark.parametrize(
    ("account", "password"),
    [("signed-up", PASSWORD), ("signed-up", "wrong guess!"), ("unknown", PASSWORD)],
)
async def test_no_connection_is_held_while_a_password_is_checked(
    one_connection: OneConnection, monkeypatch: pytest.MonkeyPatch, account: str, password: str
) -> None:
    stack = one_connection
    email = _address()
    token, user_id = await sign_up(stack.client, email)
    target = email if account == "signed-up" else _address()
    before = await _sessions(stack)

    body = await _sign_in_held_in_its_check(
        stack,
        monkeypatch,
        {"e": target, "p": password},
        lambda: _still_served_by_the_one_connection(stack, token),
    )

    if account == "signed-up" and password == PASSWORD:
        assert not body.get("errors"), body
        assert body["data"]["signIn"]["user"]["id"] == user_id
        assert await _sessions(stack) == before + 1
    else:
        assert error_codes(body) == ["UNAUTHENTICATED"]
        assert body["errors"][0]["message"] == WRONG_CREDENTIALS
        assert await _sessions(stack) == before


async def test_an_account_locked_during_the_check_refuses_the_right_password(
    one_connection: OneConnection, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Wrong guesses that finish while the right password is being checked (on the other
    hashing thread, and through the one connection) lock the account before it signs in."""
    stack = one_connection
    email = _address()
    await sign_up(stack.client, email)
    before = await _sessions(stack)

    async def guesses_lock_the_account() -> None:
        for _ in range(LOCK_AFTER):
            guess = await stack.client.run(SIGN_IN, {"e": email, "p": "wrong guess!"})
            assert error_codes(guess) == ["UNAUTHENTICATED"]

    body = await _sign_in_held_in_its_check(
        stack, monkeypatch, {"e": email, "p": PASSWORD}, guesses_lock_the_account
    )
    assert error_codes(body) == ["RATE_LIMITED"], body
    assert body["errors"][0]["extensions"]["retryAfter"] >= 1
    assert await _sessions(stack) == before


async def test_an_account_deleted_during_the_check_gets_no_session(
    one_connection: OneConnection, monkeypatch: pytest.MonkeyPatch
) -> None:
    stack = one_connection
    email = _address()
    _, user_id = await sign_up(stack.client, email)
    before = await _sessions(stack)

    async def soft_delete() -> None:
        async with transaction(stack.runtime.db) as session:
            await session.execute(
                text("UPDATE users SET deleted_at = now() WHERE id = :id"),
                {"id": uuid.UUID(user_id)},
            )

    body = await _sign_in_held_in_its_check(
        stack, monkeypatch, {"e": email, "p": PASSWORD}, soft_delete
    )
    assert error_codes(body) == ["UNAUTHENTICATED"]
    assert body["errors"][0]["message"] == WRONG_CREDENTIALS
    assert await _sessions(stack) == before


class BarrierHasher(PasswordHasher):
    """Real argon2 once `parties` verifications are all in progress at the same moment:
    every one of those sign-ins has read its account and none has counted a failure."""

    def __init__(self, parties: int) -> None:
        super().__init__()
        self.barrier = threading.Barrier(parties, timeout=WAIT_S)

    def verify(self, hash: str | bytes, password: str | bytes) -> Literal[True]:
        self.barrier.wait()
        return super().verify(hash, password)


async def test_concurrent_wrong_guesses_are_all_counted(
    one_connection: OneConnection, monkeypatch: pytest.MonkeyPatch
) -> None:
    """LOCK_AFTER guesses checked at once, all through one connection: all are counted, so
    the account locks exactly as with one guess after another; another account does not."""
    stack = one_connection
    victim, bystander = _address(), _address()
    await sign_up(stack.client, victim)
    await sign_up(stack.client, bystander)
    threads = ThreadPoolExecutor(max_workers=LOCK_AFTER, thread_name_prefix="test-argon2")
    monkeypatch.setattr(passwords, "_pool", threads)
    monkeypatch.setattr(passwords, "_hasher", BarrierHasher(LOCK_AFTER))
    try:
        guesses = [
            stack.client.run(SIGN_IN, {"e": victim, "p": f"wrong guess {i}"})
            for i in range(LOCK_AFTER)
        ]
        bodies = await asyncio.gather(*guesses)
    finally:
        monkeypatch.undo()
        threads.shutdown()
    assert [error_codes(b) for b in bodies] == [["UNAUTHENTICATED"]] * LOCK_AFTER

    locked = await stack.client.run(SIGN_IN, {"e": victim, "p": PASSWORD})
    assert error_codes(locked) == ["RATE_LIMITED"], locked
    assert (await stack.client.ok(SIGN_IN, {"e": bystander, "p": PASSWORD}))["signIn"]
