"""One use case, one session: where transactions begin and end.

Services take an `AsyncSession` as their first argument and never open, commit or roll
back one themselves; the caller (a resolver, a worker task, a CLI command) wraps the use
case in `transaction()` or, for reads, `reading()`. A service that must do something only
once its writes are durable (queue a job, publish an event) registers it with
`after_commit()`: it runs after the commit and never for a transaction that rolled back, so
nothing is queued or announced for rows that do not exist.
"""

from __future__ import annotations

import weakref
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.orm import ORMExecuteState, Session

AfterCommit = Callable[[], Awaitable[Any]]

_HOOKS = "tailor.after_commit"
_READ_ONLY = "tailor.reading"
_AUTOCOMMIT_ENGINES: weakref.WeakKeyDictionary[async_sessionmaker[AsyncSession], AsyncEngine] = (
    weakref.WeakKeyDictionary()
)


def after_commit(session: AsyncSession, action: AfterCommit) -> None:
    """Run `action()` once the transaction `session` is in has committed (in order of
    registration); dropped if it rolls back."""
    session.info.setdefault(_HOOKS, []).append(action)


@asynccontextmanager
async def transaction(db: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    """A session inside one transaction: committed when the block ends normally, rolled
    back when it raises; then the after-commit actions run."""
    async with db() as session:
        async with session.begin():
            yield session
        hooks: list[AfterCommit] = session.info.pop(_HOOKS, [])
    for action in hooks:
        await action()


@asynccontextmanager
async def reading(db: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    """A session for reads only, each statement on its own with no transaction around it.

    Postgres runs at READ COMMITTED, where every statement takes its own snapshot even
    inside a transaction: a read-only block sees exactly the same rows either way, and
    without BEGIN and ROLLBACK it costs one round trip per statement instead of three for
    the usual single read. Outside a transaction a write would commit at once, so writes
    are refused (`ReadOnlySession`): use `transaction()`."""
    async with db(bind=_autocommit(db)) as session:  # a connection on its first statement
        session.info[_READ_ONLY] = True
        yield session
        if session.info.get(_HOOKS):
            raise RuntimeError("after_commit() registered inside reading(): use transaction()")


def _autocommit(db: async_sessionmaker[AsyncSession]) -> AsyncEngine:
    """The sessionmaker's engine with AUTOCOMMIT connections (same pool; with asyncpg
    switching a connection's mode is a flag, no round trip). Made once per sessionmaker."""
    engine = _AUTOCOMMIT_ENGINES.get(db)
    if engine is None:
        bind: AsyncEngine = db.kw["bind"]
        engine = _AUTOCOMMIT_ENGINES[db] = bind.execution_options(isolation_level="AUTOCOMMIT")
    return engine


class ReadOnlySession(RuntimeError):
    """A write was attempted in a `reading()` session."""


def _refuse_flush(session: Session, flush_context: Any, instances: Any) -> None:
    if session.info.get(_READ_ONLY):
        raise ReadOnlySession("reading() sessions do not write: use transaction()")


def _refuse_writes(state: ORMExecuteState) -> None:
    if state.session.info.get(_READ_ONLY) and (
        state.is_insert or state.is_update or state.is_delete
    ):
        raise ReadOnlySession("reading() sessions do not write: use transaction()")


# Once per process, for every session: the check is a dict lookup when nothing is flushed.
event.listen(Session, "before_flush", _refuse_flush)
event.listen(Session, "do_orm_execute", _refuse_writes)
