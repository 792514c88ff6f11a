"""One use case, one session: where transactions begin and end.

Services take an `AsyncSession` as their first argument and never open, commit or roll
back one themselves; the caller (a resolver, a worker task, a CLI command) wraps the use
case in `transaction()` or, for reads, `reading()`. A service that must do something only
once its writes are durable (queue a job, publish an event) registers it with
`after_commit()`: it runs after the commit and never for a transaction that rolled back, so
nothing is queued or announced for rows that do not exist. The opposite, `on_rollback()`,
undoes what a use case did outside the database before its rows were written (an object it
stored for them) when those rows do not commit: see app.services.stored_objects.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import structlog
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.orm import ORMExecuteState, Session

AfterCommit = Callable[[], Awaitable[Any]]
OnRollback = Callable[[], Awaitable[Any]]

log = structlog.get_logger("unit_of_work")

_HOOKS = "tailor.after_commit"
_UNDO = "tailor.on_rollback"
# Compensations still running after their caller was cancelled (a task the loop only
# references weakly would otherwise be collected half-way).
_UNDOING: set[asyncio.Task[None]] = set()
_READ_ONLY = "tailor.reading"
_AUTOCOMMIT_ENGINES: weakref.WeakKeyDictionary[async_sessionmaker[AsyncSession], AsyncEngine] = (
    weakref.WeakKeyDictionary()
)


def after_commit(session: AsyncSession, action: AfterCommit) -> None:
    """Run `action()` once the transaction `session` is in has committed (in order of
    registration); dropped if it rolls back."""
    session.info.setdefault(_HOOKS, []).append(action)


def on_rollback(session: AsyncSession, action: OnRollback) -> None:
    """Run `action()` if the transaction `session` is in does not commit: its block raised
    (rolled back) or its COMMIT failed. Never after a successful commit.

    A COMMIT whose connection was lost may have committed all the same (the database
    cannot say), so an action must not undo anything a committed row could still need
    without checking (as app.services.stored_objects does). Actions run in order of
    registration, after the session has given back its connection; one that fails is
    logged and the others still run, and the block's own error is what the caller sees.
    Refused in a `reading()` session (nothing there is written, nor ever rolled back)."""
    if session.info.get(_READ_ONLY):
        raise RuntimeError("on_rollback() inside reading(): use transaction()")
    session.info.setdefault(_UNDO, []).append(action)


@asynccontextmanager
async def transaction(db: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    """A session inside one transaction: committed when the block ends normally, rolled
    back when it raises; then the after-commit actions run, or if it did not commit (the
    block raised, or the COMMIT failed) the on-rollback ones, before the error goes on."""
    info: dict[Any, Any] = {}
    committed = False
    try:
        async with db() as session:
            info = session.info
            async with session.begin():
                yield session
            committed = True  # what may still fail (giving the connection back) undoes nothing
    except GeneratorExit:
        raise  # the block was abandoned, not ended: nothing may be awaited here
    except BaseException:
        info.pop(_HOOKS, None)
        undo: list[OnRollback] = info.pop(_UNDO, [])
        if not committed:
            await _compensate(undo)
        raise
    info.pop(_UNDO, None)
    hooks: list[AfterCommit] = info.pop(_HOOKS, [])
    for action in hooks:
        await action()


async def _compensate(actions: list[OnRollback]) -> None:
    """Run the on-rollback actions in a task of their own: when the use case was cancelled
    (a client gone, a job timed out) they still run to the end, even if this await is
    cancelled again."""
    if not actions:
        return
    task = asyncio.create_task(_run_all(actions))
    _UNDOING.add(task)
    task.add_done_callback(_UNDOING.discard)
    try:
        await asyncio.shield(task)
    except asyncio.CancelledError:
        return  # the task goes on by itself; the caller re-raises its original error


async def _run_all(actions: list[OnRollback]) -> None:
    for action in actions:
        try:
            await action()
        except Exception as exc:  # never hides the error that rolled the transaction back
            log.warning("rollback_action_failed", error_type=type(exc).__name__)


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
