"""Tell a dependency outage (database or Redis unreachable) from a real failure.

An outage is transient: the API answers SERVICE_UNAVAILABLE with a retry hint instead of
INTERNAL_ERROR, and authentication never mistakes it for a bad credential.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import asyncpg
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from sqlalchemy.exc import DataError, DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

from app.errors import AppError, InvalidInput, ServiceUnavailable

RETRY_AFTER_S = 5

_OUTAGE_TYPES: tuple[type[BaseException], ...] = (
    OperationalError,
    InterfaceError,
    PoolTimeoutError,
    asyncpg.PostgresConnectionError,
    # 57P*: the server is shutting down, crashed or still starting (a restart).
    asyncpg.exceptions.OperatorInterventionError,
    RedisConnectionError,
    RedisTimeoutError,
    ConnectionError,
    TimeoutError,
    OSError,
)


def is_outage(exc: BaseException) -> bool:
    """True for connection-level failures, following the `raise ... from` chain."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, _OUTAGE_TYPES):
            return True
        if isinstance(current, DBAPIError) and current.connection_invalidated:
            return True
        current = current.__cause__ or current.__context__
    return False


def outage_error() -> ServiceUnavailable:
    return ServiceUnavailable(retry_after_s=RETRY_AFTER_S)


@contextmanager
def outage_as_unavailable() -> Iterator[None]:
    """Re-raise a dependency outage inside the block as SERVICE_UNAVAILABLE."""
    try:
        yield
    except AppError:
        raise
    except Exception as exc:
        if is_outage(exc):
            raise outage_error() from exc
        raise


def unstorable_input(exc: BaseException) -> InvalidInput | None:
    """The database refused a value (too long for its column, a NUL, a bad encoding):
    the client's input, not our failure. The input checks catch these first; this is
    the safety net for a column whose limit they do not know."""
    if isinstance(exc, DataError):
        return InvalidInput("a value is too long or contains characters that cannot be stored")
    return None
