"""RetryPolicy and CircuitBreaker on their own, with injected time."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.ai import CircuitBreaker, CircuitState, ErrorCode, ProviderError, RetryPolicy
from app.ai.resilience import parse_retry_after
from tests.unit.ai.conftest import FakeClock, FakeSleep


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"retry-after": "12"}, 12.0),
        ({"retry-after": "1.5"}, 1.5),
        ({"retry-after-ms": "250"}, 0.25),
        ({"retry-after-ms": "250", "retry-after": "9"}, 0.25),
        ({"retry-after-ms": "soon", "retry-after": "9"}, 9.0),
        ({"retry-after": "Wed, 21 Oct 2015 07:28:30 GMT"}, 30.0),
        ({"retry-after": "-3"}, 0.0),
        ({"retry-after": "whenever"}, None),
        ({}, None),
    ],
)
def test_parse_retry_after(headers: dict[str, str], expected: float | None) -> None:
    now = 1445412480.0  # Wed, 21 Oct 2015 07:28:00 GMT
    assert parse_retry_after(headers, now=now) == expected


def _throttled(retry_after: float | None = None) -> ProviderError:
    return ProviderError(
        ErrorCode.PROVIDER_THROTTLED, "slow down", retryable=True, retry_after_s=retry_after
    )


@given(retry_number=st.integers(min_value=1, max_value=12), seed=st.integers(0, 2**32))
def test_backoff_is_full_jitter_within_the_exponential_ceiling(
    retry_number: int, seed: int
) -> None:
    policy = RetryPolicy(base_delay_s=0.5, max_delay_s=8.0, rng=random.Random(seed))
    delay = policy.delay(retry_number, _throttled())
    assert 0.0 <= delay <= min(8.0, 0.5 * 2 ** (retry_number - 1))


def test_retry_after_overrides_backoff_but_is_capped() -> None:
    policy = RetryPolicy(max_retry_after_s=20.0)
    assert policy.delay(1, _throttled(3.0)) == 3.0
    assert policy.delay(2, _throttled(600.0)) == 20.0


async def test_run_retries_retryable_errors_only() -> None:
    sleep = FakeSleep()
    policy = RetryPolicy(max_retries=2, sleep=sleep, rng=random.Random(1))
    calls: list[int] = []
    retried: list[str] = []

    async def flaky() -> str:
        calls.append(1)
        if len(calls) < 3:
            raise _throttled(2.0)
        return "done"

    result = await policy.run(flaky, lambda error, delay: retried.append(f"{error.code}:{delay}"))

    assert result == "done"
    assert sleep.delays == [2.0, 2.0]
    assert retried == ["PROVIDER_THROTTLED:2.0"] * 2

    async def broken() -> str:
        calls.append(1)
        raise ProviderError(ErrorCode.PROVIDER_ERROR, "bad request", retryable=False)

    calls.clear()
    with pytest.raises(ProviderError, match="bad request"):
        await policy.run(broken)
    assert len(calls) == 1


async def test_run_gives_up_after_max_retries_with_the_last_error() -> None:
    sleep = FakeSleep()
    policy = RetryPolicy(max_retries=2, sleep=sleep)
    calls = 0

    async def down() -> None:
        nonlocal calls
        calls += 1
        raise ProviderError(ErrorCode.PROVIDER_TIMEOUT, f"timeout {calls}", retryable=True)

    with pytest.raises(ProviderError, match="timeout 3"):
        await policy.run(down)
    assert calls == 3 and len(sleep.delays) == 2


def test_breaker_lets_exactly_one_trial_through_when_half_open() -> None:
    clock = FakeClock()
    breaker = CircuitBreaker(failure_threshold=2, cooldown_s=10.0, clock=clock)

    breaker.record_failure()
    assert breaker.state is CircuitState.CLOSED and breaker.allow()
    breaker.record_failure()
    assert breaker.state is CircuitState.OPEN
    assert not breaker.allow()
    assert breaker.retry_in_s() == 10.0

    clock.advance(10.0)
    assert breaker.state is CircuitState.HALF_OPEN
    assert breaker.allow()  # the trial
    assert not breaker.allow()  # concurrent callers keep failing fast
    breaker.release()  # trial cancelled: the slot is free again
    assert breaker.allow()
    breaker.record_success()
    assert breaker.state is CircuitState.CLOSED and breaker.consecutive_failures == 0


def test_breaker_success_resets_the_consecutive_count() -> None:
    breaker = CircuitBreaker(failure_threshold=3, clock=FakeClock())
    for _ in range(2):
        breaker.record_failure()
    breaker.record_success()
    for _ in range(2):
        breaker.record_failure()
    assert breaker.state is CircuitState.CLOSED


@pytest.mark.parametrize(
    ("code", "status", "counts"),
    [
        (ErrorCode.PROVIDER_TIMEOUT, None, True),
        (ErrorCode.PROVIDER_THROTTLED, 429, True),
        (ErrorCode.PROVIDER_ERROR, 503, True),
        (ErrorCode.PROVIDER_ERROR, None, True),  # connection refused
        (ErrorCode.PROVIDER_ERROR, 401, True),
        (ErrorCode.PROVIDER_ERROR, 400, False),
        (ErrorCode.PROVIDER_ERROR, 422, False),
        (ErrorCode.SCHEMA_VALIDATION_FAILED, None, False),
    ],
)
def test_which_errors_count_against_the_circuit(
    code: ErrorCode, status: int | None, counts: bool
) -> None:
    error = ProviderError(code, "x", status_code=status)
    assert error.counts_against_circuit is counts
