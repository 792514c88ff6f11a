"""app.db.unit_of_work against real Postgres: commit, rollback, after-commit actions that
run only for a transaction that committed and on-rollback actions that run only for one
that did not."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError
from structlog.testing import capture_logs

from app.db.models import User
from app.db.unit_of_work import (
    ReadOnlySession,
    after_commit,
    on_rollback,
    reading,
    transaction,
)
from app.runtime import Runtime


class Boom(Exception):
    pass


def _user() -> User:
    return User(email=f"{uuid.uuid4().hex}@example.com", password_hash="x")


async def _stored(runtime: Runtime, user_id: uuid.UUID) -> bool:
    async with reading(runtime.db) as session:
        return await session.get(User, user_id) is not None


async def test_a_transaction_commits_when_its_block_ends(runtime: Runtime) -> None:
    user = _user()
    async with transaction(runtime.db) as session:
        session.add(user)
    assert await _stored(runtime, user.id)


async def test_a_transaction_that_raises_rolls_back_and_the_error_propagates(
    runtime: Runtime,
) -> None:
    user = _user()
    with pytest.raises(Boom):
        async with transaction(runtime.db) as session:
            session.add(user)
            await session.flush()  # the row was written inside the transaction ...
            raise Boom
    assert not await _stored(runtime, user.id)  # ... and is gone


async def test_after_commit_actions_run_in_order_once_the_rows_are_visible(
    runtime: Runtime,
) -> None:
    first, second = _user(), _user()
    seen: list[tuple[str, bool]] = []

    async def saw(name: str, user_id: uuid.UUID) -> None:
        # Read from another session: only committed rows are visible there.
        seen.append((name, await _stored(runtime, user_id)))

    async with transaction(runtime.db) as session:
        session.add_all([first, second])
        after_commit(session, lambda: saw("first", first.id))
        after_commit(session, lambda: saw("second", second.id))
        assert seen == []  # nothing runs before the commit
    assert seen == [("first", True), ("second", True)]


async def test_after_commit_actions_are_dropped_when_the_transaction_rolls_back(
    runtime: Runtime,
) -> None:
    ran: list[str] = []

    async def record() -> None:
        ran.append("ran")

    with pytest.raises(Boom):
        async with transaction(runtime.db) as session:
            session.add(_user())
            after_commit(session, record)
            raise Boom
    assert ran == []


async def test_a_failed_commit_runs_no_after_commit_action(runtime: Runtime) -> None:
    """The rollback can come from the database itself (here a unique violation at the
    commit's flush), not only from the block: still nothing runs."""
    taken = _user()
    async with transaction(runtime.db) as session:
        session.add(taken)
    ran: list[str] = []

    async def record() -> None:
        ran.append("ran")

    with pytest.raises(Exception, match="uq_users_email_live"):
        async with transaction(runtime.db) as session:
            session.add(User(email=taken.email.upper(), password_hash="x"))
            after_commit(session, record)
    assert ran == []


async def test_each_transaction_has_its_own_actions(runtime: Runtime) -> None:
    ran: list[str] = []

    async def record(name: str) -> None:
        ran.append(name)

    with pytest.raises(Boom):
        async with transaction(runtime.db) as session:
            after_commit(session, lambda: record("rolled back"))
            raise Boom
    async with transaction(runtime.db) as session:
        after_commit(session, lambda: record("committed"))
    async with transaction(runtime.db):
        pass
    assert ran == ["committed"]


async def test_reading_refuses_writes_and_leaves_nothing_behind(runtime: Runtime) -> None:
    """reading() runs each statement on its own (no transaction to roll back), so a write
    there would commit: it is refused before it reaches the database."""
    user = _user()
    with pytest.raises(ReadOnlySession):
        async with reading(runtime.db) as session:
            session.add(user)
            await session.flush()
    with pytest.raises(ReadOnlySession):
        async with reading(runtime.db) as session:
            await session.execute(insert(User).values(id=user.id, email="x@example.com"))
    with pytest.raises(ReadOnlySession):
        async with reading(runtime.db) as session:
            await session.execute(update(User).values(password_hash="y"))
    assert not await _stored(runtime, user.id)


async def test_after_commit_inside_reading_is_refused(runtime: Runtime) -> None:
    ran: list[str] = []

    async def record() -> None:
        ran.append("ran")

    with pytest.raises(RuntimeError, match="use transaction"):
        async with reading(runtime.db) as session:
            after_commit(session, record)
    assert ran == []


async def test_a_transaction_takes_a_connection_only_for_its_first_statement(
    runtime: Runtime,
) -> None:
    """Slow work before the first statement (parsing an upload) holds no pooled
    connection, so it cannot starve other requests of the pool."""
    pool = runtime.engine.pool
    before = pool.checkedout()  # type: ignore[attr-defined]
    async with transaction(runtime.db) as session:
        assert pool.checkedout() == before  # type: ignore[attr-defined]
        await session.execute(select(1))
        assert pool.checkedout() == before + 1  # type: ignore[attr-defined]
    assert pool.checkedout() == before  # type: ignore[attr-defined]


# --- on_rollback: undo what was done outside the database when the rows do not commit ---


async def test_on_rollback_actions_run_in_order_when_the_block_raises(runtime: Runtime) -> None:
    """They run once the rows are gone, and the block's own error reaches the caller."""
    user = _user()
    seen: list[tuple[str, bool]] = []

    async def saw(name: str) -> None:
        seen.append((name, await _stored(runtime, user.id)))

    error = Boom("the original error")
    with pytest.raises(Boom) as raised:
        async with transaction(runtime.db) as session:
            session.add(user)
            await session.flush()
            on_rollback(session, lambda: saw("first"))
            on_rollback(session, lambda: saw("second"))
            raise error
    assert raised.value is error
    assert seen == [("first", False), ("second", False)]


async def test_on_rollback_actions_run_when_the_commit_fails(runtime: Runtime) -> None:
    """The database refuses the rows only at the COMMIT (a unique violation at its flush):
    the block ended normally, nothing was written, the actions run."""
    taken = _user()
    async with transaction(runtime.db) as session:
        session.add(taken)
    ran: list[str] = []

    async def record() -> None:
        ran.append("undone")

    with pytest.raises(IntegrityError, match="uq_users_email_live"):
        async with transaction(runtime.db) as session:
            session.add(User(email=taken.email.upper(), password_hash="x"))
            on_rollback(session, record)
    assert ran == ["undone"]


async def test_on_rollback_actions_never_run_after_a_commit(runtime: Runtime) -> None:
    user = _user()
    ran: list[str] = []

    async def record(name: str) -> None:
        ran.append(name)

    async with transaction(runtime.db) as session:
        session.add(user)
        on_rollback(session, lambda: record("undone"))
        after_commit(session, lambda: record("committed"))
    assert ran == ["committed"] and await _stored(runtime, user.id)


async def test_a_failing_on_rollback_action_is_logged_and_hides_nothing(
    runtime: Runtime,
) -> None:
    """The next action still runs, and the caller sees the error that rolled back."""
    ran: list[str] = []

    async def broken() -> None:
        raise OSError("storage unreachable")

    async def record() -> None:
        ran.append("second")

    with capture_logs() as logs, pytest.raises(Boom):
        async with transaction(runtime.db) as session:
            on_rollback(session, broken)
            on_rollback(session, record)
            raise Boom
    assert ran == ["second"]
    failed = [e for e in logs if e["event"] == "rollback_action_failed"]
    assert failed == [
        {"event": "rollback_action_failed", "error_type": "OSError", "log_level": "warning"}
    ]


async def test_on_rollback_actions_finish_when_the_use_case_is_cancelled(
    runtime: Runtime,
) -> None:
    """A client that goes away (or a job that times out) cancels the use case: the undo
    still runs to its end, and the cancellation is what the use case ends with."""
    user = _user()
    inside, undo_started, undo_may_finish = asyncio.Event(), asyncio.Event(), asyncio.Event()
    undone: list[bool] = []
    finished = asyncio.Event()

    async def undo() -> None:
        undo_started.set()
        await undo_may_finish.wait()  # cancelled again meanwhile: must not stop this
        undone.append(await _stored(runtime, user.id))
        finished.set()

    async def use_case() -> None:
        async with transaction(runtime.db) as session:
            session.add(user)
            await session.flush()
            on_rollback(session, undo)
            inside.set()
            await asyncio.Event().wait()  # until cancelled

    task = asyncio.create_task(use_case())
    await inside.wait()
    task.cancel()
    await undo_started.wait()
    task.cancel()  # a second cancellation, while the undo runs
    with pytest.raises(asyncio.CancelledError):
        await task
    undo_may_finish.set()
    # The undo's own task finishes after the use case has ended (the bound only keeps a
    # regression from hanging the run: it is never reached when the undo goes on).
    await asyncio.wait_for(finished.wait(), timeout=60)
    assert undone == [False]


async def test_on_rollback_inside_reading_is_refused(runtime: Runtime) -> None:
    async def record() -> None:
        raise AssertionError("never registered")

    with pytest.raises(RuntimeError, match="use transaction"):
        async with reading(runtime.db) as session:
            on_rollback(session, record)
