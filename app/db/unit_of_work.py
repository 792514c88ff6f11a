"""One use case, one session: where transactions begin and end.

Services take an `AsyncSession` as their first argument and never open, commit or roll
back one themselves; the caller (a resolver, a worker task, a CLI command) wraps the use
case in `transaction()` or, for reads, `reading()`. A service that must do something only
once its writes are durable (queue a job, publish an event) registers it with
`after_commit()`: it runs after the commit and never for a transaction that rolled back, so
nothing is queued or announced for rows that do not exist.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

AfterCommit = Callable[[], Awaitable[Any]]

_HOOKS = "tailor.after_commit"


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
    """A session for reads only: whatever it began is rolled back when the block ends."""
    async with db() as session:
        yield session
        if session.info.get(_HOOKS):
            raise RuntimeError("after_commit() registered inside reading(): use transaction()")
