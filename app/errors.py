"""Domain errors. Each carries a stable, upper-snake-case code that clients switch on.

The GraphQL layer turns them into errors with `extensions.code`; anything that is not an
`AppError` is masked as INTERNAL_ERROR.
"""

from __future__ import annotations

from typing import Any


class AppError(Exception):
    code = "INTERNAL_ERROR"

    def __init__(self, message: str, *, code: str | None = None, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.details = details


class Unauthenticated(AppError):
    code = "UNAUTHENTICATED"


class Forbidden(AppError):
    code = "FORBIDDEN"


class NotFound(AppError):
    code = "NOT_FOUND"

    def __init__(self, what: str = "resource") -> None:
        # Same message whether the row is missing or someone else's: no existence oracle.
        super().__init__(f"{what} not found")


class InvalidInput(AppError):
    code = "INVALID_INPUT"

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None) -> None:
        super().__init__(message, code=code, field=field)
        self.field = field


class Conflict(AppError):
    code = "CONFLICT"


class RateLimited(AppError):
    code = "RATE_LIMITED"


class InsufficientCredits(AppError):
    code = "INSUFFICIENT_CREDITS"


class ServiceUnavailable(AppError):
    """A dependency (database, Redis) is down: transient, so clients retry rather than
    treat it as a verdict (never UNAUTHENTICATED: that would log people out)."""

    code = "SERVICE_UNAVAILABLE"

    def __init__(
        self,
        message: str = "the service is briefly unavailable; try again soon",
        *,
        retry_after_s: int = 5,
    ) -> None:
        super().__init__(message, retryAfter=retry_after_s)
