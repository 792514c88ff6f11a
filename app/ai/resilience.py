"""Retries with backoff for one provider call, and a circuit breaker per provider.

Both take their notion of time from the outside (`sleep`, `clock`) so tests never wait.
"""

from __future__ import annotations

import asyncio
import email.utils
import enum
import random
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from tenacity import AsyncRetrying, RetryCallState, retry_if_exception, stop_after_attempt

from app.ai.errors import ProviderError

T = TypeVar("T")
Sleep = Callable[[float], Awaitable[None]]
Clock = Callable[[], float]


def parse_retry_after(headers: Mapping[str, str], now: float | None = None) -> float | None:
    """Seconds to wait per `retry-after-ms` (OpenAI, Anthropic) or `Retry-After` (seconds or an
    HTTP date). None when absent or unparseable."""
    raw_ms = headers.get("retry-after-ms")
    if raw_ms is not None:
        try:
            return max(float(raw_ms) / 1000.0, 0.0)
        except ValueError:
            pass
    raw = headers.get("retry-after")
    if raw is None:
        return None
    try:
        return max(float(raw), 0.0)
    except ValueError:
        pass
    parsed = email.utils.parsedate_tz(raw)
    if parsed is None:
        return None
    current = time.time() if now is None else now
    return max(float(email.utils.mktime_tz(parsed)) - current, 0.0)


def _is_retryable(error: BaseException) -> bool:
    return isinstance(error, ProviderError) and error.retryable


@dataclass
class RetryPolicy:
    """Up to `max_retries` more tries of a retryable failure (timeout, 429, 5xx, connection).

    The wait is the server's Retry-After when it sent one (capped: a provider asking for
    minutes is better skipped for the next one in the chain), else exponential backoff with
    full jitter, so that many workers retrying at once do not stampede.
    """

    max_retries: int = 2
    base_delay_s: float = 0.5
    max_delay_s: float = 8.0
    max_retry_after_s: float = 20.0
    sleep: Sleep = asyncio.sleep
    rng: random.Random = field(default_factory=random.Random)

    def delay(self, retry_number: int, error: BaseException | None) -> float:
        """Seconds before retry number `retry_number` (1-based) after `error`."""
        if isinstance(error, ProviderError) and error.retry_after_s is not None:
            return min(error.retry_after_s, self.max_retry_after_s)
        ceiling = min(self.max_delay_s, self.base_delay_s * (2 ** (retry_number - 1)))
        return self.rng.uniform(0.0, ceiling)

    async def run(
        self,
        call: Callable[[], Awaitable[T]],
        on_retry: Callable[[ProviderError, float], None] | None = None,
    ) -> T:
        """`await call()`, retried on retryable ProviderErrors; the last error is re-raised.
        `on_retry(error, delay)` runs before each sleep (the caller marks the failed attempt)."""

        def wait(state: RetryCallState) -> float:
            error = state.outcome.exception() if state.outcome is not None else None
            return self.delay(state.attempt_number, error)

        def before_sleep(state: RetryCallState) -> None:
            error = state.outcome.exception() if state.outcome is not None else None
            if on_retry is not None and isinstance(error, ProviderError):
                sleep_s = state.next_action.sleep if state.next_action is not None else 0.0
                on_retry(error, sleep_s)

        retrying = AsyncRetrying(
            sleep=self.sleep,
            stop=stop_after_attempt(self.max_retries + 1),
            wait=wait,
            retry=retry_if_exception(_is_retryable),
            before_sleep=before_sleep,
            reraise=True,
        )
        async for attempt in retrying:
            with attempt:
                return await call()
        raise AssertionError("unreachable: tenacity either returns or re-raises")


class CircuitState(enum.StrEnum):
    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


class CircuitBreaker:
    """Stops calling a provider that keeps failing, so jobs fall through to the next one fast.

    CLOSED: calls go through; `failure_threshold` consecutive failures open the circuit.
    OPEN: calls are refused until `cooldown_s` has passed, then the circuit is HALF_OPEN.
    HALF_OPEN: exactly one trial call goes through; success closes, failure re-opens.
    Single event loop, no awaits inside: no lock needed.
    """

    def __init__(
        self,
        failure_threshold: int = 5,
        cooldown_s: float = 30.0,
        clock: Clock = time.monotonic,
    ) -> None:
        if failure_threshold < 1:
            raise ValueError("failure_threshold must be at least 1")
        self.failure_threshold = failure_threshold
        self.cooldown_s = cooldown_s
        self._clock = clock
        self._state = CircuitState.CLOSED
        self._failures = 0
        self._opened_at = 0.0
        self._trial_in_flight = False

    @property
    def state(self) -> CircuitState:
        if self._state is CircuitState.OPEN and self._clock() - self._opened_at >= self.cooldown_s:
            self._state = CircuitState.HALF_OPEN
            self._trial_in_flight = False
        return self._state

    @property
    def consecutive_failures(self) -> int:
        return self._failures

    def allow(self) -> bool:
        """Whether a call may go out now; in HALF_OPEN this claims the single trial slot."""
        state = self.state
        if state is CircuitState.CLOSED:
            return True
        if state is CircuitState.HALF_OPEN and not self._trial_in_flight:
            self._trial_in_flight = True
            return True
        return False

    def retry_in_s(self) -> float:
        """Seconds until an open circuit lets a trial call through (0 if it would now)."""
        if self._state is not CircuitState.OPEN:
            return 0.0
        return max(self.cooldown_s - (self._clock() - self._opened_at), 0.0)

    def record_success(self) -> None:
        self._state = CircuitState.CLOSED
        self._failures = 0
        self._trial_in_flight = False

    def record_failure(self) -> None:
        self._failures += 1
        if self._state is CircuitState.HALF_OPEN or self._failures >= self.failure_threshold:
            self._state = CircuitState.OPEN
            self._opened_at = self._clock()
        self._trial_in_flight = False

    def release(self) -> None:
        """A call ended without a verdict (cancelled): free the half-open trial slot."""
        self._trial_in_flight = False
