"""Provider failures, reduced to a handful of stable codes the chain and the engine act on."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from typing import TYPE_CHECKING

from app.errors import AppError

if TYPE_CHECKING:
    from app.ai.types import Usage


class ErrorCode(enum.StrEnum):
    PROVIDER_TIMEOUT = "PROVIDER_TIMEOUT"
    PROVIDER_THROTTLED = "PROVIDER_THROTTLED"
    PROVIDER_ERROR = "PROVIDER_ERROR"
    SCHEMA_VALIDATION_FAILED = "SCHEMA_VALIDATION_FAILED"
    # The provider's circuit breaker is open: we did not even try.
    PROVIDER_UNAVAILABLE = "PROVIDER_UNAVAILABLE"
    ALL_PROVIDERS_FAILED = "ALL_PROVIDERS_FAILED"


class ProviderError(AppError):
    """A failed completion. `attempts` holds the Usage of every HTTP call made on the way, so
    the caller can bill and log failed work too; messages never carry prompt or resume text."""

    def __init__(
        self,
        code: ErrorCode | str,
        message: str,
        *,
        retryable: bool = False,
        retry_after_s: float | None = None,
        provider: str | None = None,
        request_id: str | None = None,
        status_code: int | None = None,
        attempts: Sequence[Usage] = (),
        causes: Sequence[ProviderError] = (),
    ) -> None:
        code = ErrorCode(code)
        super().__init__(message, code=code.value)
        self.error_code = code
        self.retryable = retryable
        self.retry_after_s = retry_after_s
        self.provider = provider
        self.request_id = request_id
        self.status_code = status_code
        self.attempts: list[Usage] = list(attempts)
        # ALL_PROVIDERS_FAILED: the last error of each provider, in chain order.
        self.causes: list[ProviderError] = list(causes)

    @property
    def counts_against_circuit(self) -> bool:
        """Only availability problems open a breaker. An endpoint that answers with invalid
        output, or rejects one request's payload (400/413/422: too long, bad schema), is up;
        tripping on those would fail fast every other job too. Auth and unknown-model errors
        do count: every later call would fail the same way."""
        if self.error_code in (ErrorCode.PROVIDER_TIMEOUT, ErrorCode.PROVIDER_THROTTLED):
            return True
        if self.error_code is not ErrorCode.PROVIDER_ERROR:
            return False
        status = self.status_code
        return status is None or status >= 500 or status in (401, 403, 404)

    def __repr__(self) -> str:
        return (
            f"ProviderError(code={self.code!r}, provider={self.provider!r}, "
            f"retryable={self.retryable}, message={self.message!r})"
        )
