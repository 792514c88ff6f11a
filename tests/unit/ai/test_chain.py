"""ProviderChain: fallback across providers, ALL_PROVIDERS_FAILED, per-provider breakers."""

from __future__ import annotations

import json

import httpx
import httpx2
import pytest
import respx

from app.ai import (
    AnthropicProvider,
    CircuitState,
    ErrorCode,
    OpenAIProvider,
    ProviderChain,
    ProviderError,
    RetryPolicy,
)
from tests.unit.ai.conftest import (
    ANTHROPIC_URL,
    GOOD,
    OPENAI_URL,
    FakeClock,
    FakeSleep,
    anthropic_message,
    make_request,
    openai_completion,
)

pytestmark = pytest.mark.filterwarnings("ignore:The model 'claude-sonnet-4-5':DeprecationWarning")


def _chain(
    http_client: httpx2.AsyncClient,
    policy: RetryPolicy,
    clock: FakeClock,
    failure_threshold: int = 5,
) -> ProviderChain:
    return ProviderChain(
        [
            OpenAIProvider("sk-test-openai-key", retry_policy=policy, http_client=http_client),
            AnthropicProvider("sk-ant-test-key", retry_policy=policy, http_client=http_client),
        ],
        failure_threshold=failure_threshold,
        cooldown_s=30.0,
        clock=clock,
    )


async def test_openai_timeouts_fall_back_to_anthropic(
    http_client: httpx2.AsyncClient,
    router: respx.MockRouter,
    retry_policy: RetryPolicy,
    clock: FakeClock,
    sleep: FakeSleep,
) -> None:
    openai_route = router.post(OPENAI_URL).mock(side_effect=httpx.ReadTimeout("slow"))
    anthropic_route = router.post(ANTHROPIC_URL).respond(200, json=anthropic_message(GOOD))
    chain = _chain(http_client, retry_policy, clock)

    response = await chain.complete(make_request())

    assert response.data == GOOD
    assert (response.provider, response.usage.provider) == ("anthropic", "anthropic")
    assert openai_route.call_count == 3 and anthropic_route.call_count == 1
    assert [(a.provider, a.outcome, a.error_code) for a in response.attempts] == [
        ("openai", "retry", "PROVIDER_TIMEOUT"),
        ("openai", "retry", "PROVIDER_TIMEOUT"),
        ("openai", "error", "PROVIDER_TIMEOUT"),
        ("anthropic", "ok", None),
    ]
    assert len(sleep.delays) == 2
    assert response.input_tokens == 200  # failed calls carry no tokens


async def test_all_providers_down_reports_every_attempt(
    http_client: httpx2.AsyncClient,
    router: respx.MockRouter,
    retry_policy: RetryPolicy,
    clock: FakeClock,
) -> None:
    router.post(OPENAI_URL).respond(500, json={"error": {"message": "boom"}})
    router.post(ANTHROPIC_URL).mock(side_effect=httpx.ConnectError("refused"))
    chain = _chain(http_client, retry_policy, clock)

    with pytest.raises(ProviderError) as caught:
        await chain.complete(make_request())

    error = caught.value
    assert error.code == ErrorCode.ALL_PROVIDERS_FAILED
    assert error.retryable is False
    assert len(error.attempts) == 6
    assert [a.provider for a in error.attempts] == ["openai"] * 3 + ["anthropic"] * 3
    assert all(a.error_code == "PROVIDER_ERROR" for a in error.attempts)
    assert [a.outcome for a in error.attempts[:3]] == ["retry", "retry", "error"]
    assert [(c.provider, c.code) for c in error.causes] == [
        ("openai", "PROVIDER_ERROR"),
        ("anthropic", "PROVIDER_ERROR"),
    ]
    assert "openai=PROVIDER_ERROR" in error.message


async def test_invalid_output_from_first_provider_falls_through(
    http_client: httpx2.AsyncClient,
    router: respx.MockRouter,
    retry_policy: RetryPolicy,
    clock: FakeClock,
) -> None:
    router.post(OPENAI_URL).respond(200, json=openai_completion("not json"))
    router.post(ANTHROPIC_URL).respond(200, json=anthropic_message(GOOD))
    chain = _chain(http_client, retry_policy, clock, failure_threshold=1)

    response = await chain.complete(make_request())

    assert response.provider == "anthropic"
    assert [a.outcome for a in response.attempts] == ["invalid_output", "invalid_output", "ok"]
    # An endpoint that answers (badly) is up: its breaker stays closed.
    assert chain.breaker("openai").state is CircuitState.CLOSED


async def test_circuit_opens_fails_fast_half_opens_and_closes(
    http_client: httpx2.AsyncClient,
    router: respx.MockRouter,
    sleep: FakeSleep,
    clock: FakeClock,
) -> None:
    no_retries = RetryPolicy(max_retries=0, sleep=sleep)
    openai_route = router.post(OPENAI_URL).respond(503, json={"error": {"message": "down"}})
    anthropic_route = router.post(ANTHROPIC_URL).respond(200, json=anthropic_message(GOOD))
    chain = _chain(http_client, no_retries, clock, failure_threshold=3)
    breaker = chain.breaker("openai")

    for _ in range(3):
        await chain.complete(make_request())
    assert openai_route.call_count == 3
    assert breaker.state is CircuitState.OPEN

    # Open: OpenAI is skipped without an HTTP call, Anthropic answers.
    response = await chain.complete(make_request())
    assert openai_route.call_count == 3
    assert anthropic_route.call_count == 4
    assert [a.provider for a in response.attempts] == ["anthropic"]

    # Still open just before the cool-down ends.
    clock.advance(29.9)
    await chain.complete(make_request())
    assert openai_route.call_count == 3

    # Cool-down over: one trial call goes through; it fails, so the circuit re-opens.
    clock.advance(0.2)
    assert breaker.state is CircuitState.HALF_OPEN
    await chain.complete(make_request())
    assert openai_route.call_count == 4
    assert breaker.state is CircuitState.OPEN

    # Next cool-down: the trial succeeds and the circuit closes.
    clock.advance(30.0)
    openai_route.respond(200, json=openai_completion(json.dumps(GOOD)))
    response = await chain.complete(make_request())
    assert response.provider == "openai"
    assert openai_route.call_count == 5
    assert breaker.state is CircuitState.CLOSED
    assert breaker.consecutive_failures == 0
    assert sleep.delays == []


async def test_open_circuits_everywhere_fail_fast_without_http(
    http_client: httpx2.AsyncClient,
    router: respx.MockRouter,
    sleep: FakeSleep,
    clock: FakeClock,
) -> None:
    no_retries = RetryPolicy(max_retries=0, sleep=sleep)
    openai_route = router.post(OPENAI_URL).respond(500, json={})
    anthropic_route = router.post(ANTHROPIC_URL).respond(500, json={})
    chain = _chain(http_client, no_retries, clock, failure_threshold=1)

    with pytest.raises(ProviderError):
        await chain.complete(make_request())
    with pytest.raises(ProviderError) as caught:
        await chain.complete(make_request())

    assert (openai_route.call_count, anthropic_route.call_count) == (1, 1)
    assert caught.value.code == ErrorCode.ALL_PROVIDERS_FAILED
    assert caught.value.attempts == []
    assert [c.code for c in caught.value.causes] == ["PROVIDER_UNAVAILABLE"] * 2


async def test_request_payload_errors_do_not_trip_the_breaker(
    http_client: httpx2.AsyncClient,
    router: respx.MockRouter,
    sleep: FakeSleep,
    clock: FakeClock,
) -> None:
    router.post(OPENAI_URL).respond(400, json={"error": {"message": "context length exceeded"}})
    router.post(ANTHROPIC_URL).respond(200, json=anthropic_message(GOOD))
    chain = _chain(http_client, RetryPolicy(sleep=sleep), clock, failure_threshold=1)

    await chain.complete(make_request())

    assert chain.breaker("openai").state is CircuitState.CLOSED


async def test_empty_chain_fails_immediately() -> None:
    with pytest.raises(ProviderError) as caught:
        await ProviderChain([]).complete(make_request())

    assert caught.value.code == ErrorCode.ALL_PROVIDERS_FAILED
    assert caught.value.attempts == []


def test_duplicate_provider_names_are_rejected(http_client: httpx2.AsyncClient) -> None:
    with pytest.raises(ValueError, match="unique"):
        ProviderChain(
            [
                OpenAIProvider("k1", http_client=http_client),
                OpenAIProvider("k2", http_client=http_client),
            ]
        )
