"""OpenAIProvider through the real openai SDK; HTTP answered by respx."""

from __future__ import annotations

import asyncio
import json
from decimal import Decimal

import httpx
import httpx2
import pytest
import respx
from structlog.testing import capture_logs

from app.ai import ErrorCode, OpenAIProvider, ProviderError, RetryPolicy, ThinkingTime
from tests.unit.ai.conftest import (
    GOOD,
    OPENAI_URL,
    PLAN_SCHEMA,
    RESUME,
    SYSTEM,
    FakeSleep,
    body,
    make_request,
    openai_completion,
)

API_KEY = "sk-test-abcdefghijklmnop"


@pytest.fixture
def provider(http_client: httpx2.AsyncClient, retry_policy: RetryPolicy) -> OpenAIProvider:
    return OpenAIProvider(API_KEY, retry_policy=retry_policy, http_client=http_client)


async def test_success_sends_strict_json_schema_and_parses_usage(
    provider: OpenAIProvider, router: respx.MockRouter
) -> None:
    route = router.post(OPENAI_URL).respond(
        200, json=openai_completion(json.dumps(GOOD)), headers={"x-request-id": "req_abc"}
    )

    response = await provider.complete(make_request())

    assert response.data == GOOD
    sent = body(route.calls[0])
    assert sent["model"] == "gpt-4.1-mini"
    assert sent["response_format"] == {
        "type": "json_schema",
        "json_schema": {"name": "tailoring_plan", "schema": PLAN_SCHEMA, "strict": True},
    }
    assert sent["max_completion_tokens"] == 1000
    assert "reasoning_effort" not in sent  # gpt-4.1 is not a reasoning model
    system, user = sent["messages"]
    assert system == {"role": "system", "content": SYSTEM}
    assert user["role"] == "user" and RESUME in user["content"]
    assert RESUME not in system["content"]
    assert route.calls[0].request.headers["authorization"] == f"Bearer {API_KEY}"
    assert route.calls[0].request.headers.get("x-stainless-retry-count") in (None, "0")

    usage = response.usage
    assert (usage.provider, usage.model) == ("openai", "gpt-4.1-mini-2025-04-14")
    assert (usage.input_tokens, usage.output_tokens) == (120, 30)
    assert usage.request_id == "req_abc"
    assert usage.outcome == "ok" and usage.error_code is None
    assert usage.latency_ms >= 0
    assert response.attempts == [usage]
    # 120 * 0.40/1M + 30 * 1.60/1M
    assert response.cost_usd == Decimal("0.000096")


async def test_request_model_and_thinking_time_map_to_reasoning_effort(
    provider: OpenAIProvider, router: respx.MockRouter
) -> None:
    route = router.post(OPENAI_URL).respond(200, json=openai_completion(json.dumps(GOOD)))

    await provider.complete(make_request(model="o4-mini", thinking_time=ThinkingTime.HIGH))
    await provider.complete(make_request(model="gpt-5-mini", thinking_time=ThinkingTime.MEDIUM))

    first, second = body(route.calls[0]), body(route.calls[1])
    assert (first["model"], first["reasoning_effort"]) == ("o4-mini", "high")
    # Reasoning tokens share the completion budget: room is added for them.
    assert first["max_completion_tokens"] == 1000 + 16384
    assert (second["model"], second["reasoning_effort"]) == ("gpt-5-mini", "medium")


async def test_foreign_model_preference_falls_back_to_default(
    provider: OpenAIProvider, router: respx.MockRouter
) -> None:
    route = router.post(OPENAI_URL).respond(200, json=openai_completion(json.dumps(GOOD)))

    await provider.complete(make_request(model="claude-opus-4-5"))

    assert body(route.calls[0])["model"] == "gpt-4.1-mini"


async def test_schema_not_strict_compatible_is_sent_non_strict(
    provider: OpenAIProvider, router: respx.MockRouter
) -> None:
    loose = {"type": "object", "properties": {"summary": {"type": "string"}}}
    route = router.post(OPENAI_URL).respond(200, json=openai_completion('{"summary": "x"}'))

    response = await provider.complete(make_request(json_schema=loose))

    assert body(route.calls[0])["response_format"]["json_schema"]["strict"] is False
    assert response.data == {"summary": "x"}


async def test_invalid_json_then_valid_on_stricter_retry(
    provider: OpenAIProvider, router: respx.MockRouter
) -> None:
    route = router.post(OPENAI_URL)
    route.side_effect = [
        httpx.Response(200, json=openai_completion('{"summary": "unterminated')),
        httpx.Response(200, json=openai_completion(json.dumps(GOOD))),
    ]

    response = await provider.complete(make_request())

    assert response.data == GOOD
    assert route.call_count == 2
    first, retry = body(route.calls[0])["messages"], body(route.calls[1])["messages"]
    assert len(first) == 2
    assert retry[:2] == first
    assert retry[2]["role"] == "user"
    assert "previous answer was invalid" in retry[2]["content"]
    assert "ONLY a JSON object" in retry[2]["content"]
    assert [a.outcome for a in response.attempts] == ["invalid_output", "ok"]
    assert response.attempts[0].error_code == "SCHEMA_VALIDATION_FAILED"
    assert response.usage is response.attempts[-1]
    assert response.input_tokens == 240


async def test_schema_mismatch_reason_is_given_to_the_model(
    provider: OpenAIProvider, router: respx.MockRouter
) -> None:
    route = router.post(OPENAI_URL)
    route.side_effect = [
        httpx.Response(200, json=openai_completion('{"summary": "only this"}')),
        httpx.Response(200, json=openai_completion(json.dumps(GOOD))),
    ]

    await provider.complete(make_request())

    correction = body(route.calls[1])["messages"][2]["content"]
    assert "'keywords' is a required property" in correction


async def test_invalid_twice_raises_schema_validation_failed(
    provider: OpenAIProvider, router: respx.MockRouter
) -> None:
    route = router.post(OPENAI_URL).respond(200, json=openai_completion("I cannot do JSON today"))

    with pytest.raises(ProviderError) as caught:
        await provider.complete(make_request())

    error = caught.value
    assert error.code == ErrorCode.SCHEMA_VALIDATION_FAILED
    assert error.provider == "openai"
    assert route.call_count == 2  # one stricter retry, no more
    assert [a.outcome for a in error.attempts] == ["invalid_output", "invalid_output"]
    assert all(a.input_tokens == 120 for a in error.attempts)


async def test_refusal_counts_as_invalid_output(
    provider: OpenAIProvider, router: respx.MockRouter
) -> None:
    route = router.post(OPENAI_URL)
    route.side_effect = [
        httpx.Response(200, json=openai_completion(None, refusal="I can't help with that.")),
        httpx.Response(200, json=openai_completion(json.dumps(GOOD))),
    ]

    response = await provider.complete(make_request())

    assert response.data == GOOD
    assert "refused" in body(route.calls[1])["messages"][2]["content"]


async def test_429_with_retry_after_is_honoured(
    provider: OpenAIProvider, router: respx.MockRouter, sleep: FakeSleep
) -> None:
    route = router.post(OPENAI_URL)
    route.side_effect = [
        httpx.Response(
            429,
            json={"error": {"message": "Rate limit reached", "type": "requests", "code": None}},
            headers={"retry-after": "7", "x-request-id": "req_429"},
        ),
        httpx.Response(200, json=openai_completion(json.dumps(GOOD))),
    ]

    response = await provider.complete(make_request())

    assert response.data == GOOD
    assert sleep.delays == [7.0]
    throttled, ok = response.attempts
    assert (throttled.outcome, throttled.error_code) == ("retry", "PROVIDER_THROTTLED")
    assert throttled.request_id == "req_429"
    assert ok.outcome == "ok"


async def test_retry_after_ms_wins_and_long_waits_are_capped(
    http_client: httpx2.AsyncClient, router: respx.MockRouter, sleep: FakeSleep
) -> None:
    policy = RetryPolicy(sleep=sleep, max_retry_after_s=5.0)
    provider = OpenAIProvider(API_KEY, retry_policy=policy, http_client=http_client)
    route = router.post(OPENAI_URL)
    route.side_effect = [
        httpx.Response(429, json={}, headers={"retry-after-ms": "1500", "retry-after": "2"}),
        httpx.Response(429, json={}, headers={"retry-after": "3600"}),
        httpx.Response(200, json=openai_completion(json.dumps(GOOD))),
    ]

    await provider.complete(make_request())

    assert sleep.delays == [1.5, 5.0]


async def test_server_errors_retry_twice_with_jittered_backoff(
    provider: OpenAIProvider, router: respx.MockRouter, sleep: FakeSleep
) -> None:
    route = router.post(OPENAI_URL).respond(503, json={"error": {"message": "overloaded"}})

    with pytest.raises(ProviderError) as caught:
        await provider.complete(make_request())

    assert route.call_count == 3
    assert caught.value.code == ErrorCode.PROVIDER_ERROR
    assert caught.value.status_code == 503
    assert [a.outcome for a in caught.value.attempts] == ["retry", "retry", "error"]
    # Full jitter: uniform in [0, base * 2**n], base 0.5 s.
    assert len(sleep.delays) == 2
    assert 0 <= sleep.delays[0] <= 0.5 and 0 <= sleep.delays[1] <= 1.0


async def test_timeouts_are_retried_then_reported(
    provider: OpenAIProvider, router: respx.MockRouter, sleep: FakeSleep
) -> None:
    route = router.post(OPENAI_URL).mock(side_effect=httpx.ReadTimeout("slow"))

    with pytest.raises(ProviderError) as caught:
        await provider.complete(make_request())

    assert route.call_count == 3
    assert caught.value.code == ErrorCode.PROVIDER_TIMEOUT
    assert [a.error_code for a in caught.value.attempts] == ["PROVIDER_TIMEOUT"] * 3
    assert len(sleep.delays) == 2


@pytest.mark.parametrize(
    ("status", "payload"),
    [
        (400, {"error": {"message": "Invalid schema for response_format", "code": None}}),
        (401, {"error": {"message": "Incorrect API key provided", "code": "invalid_api_key"}}),
        (429, {"error": {"message": "You exceeded your quota", "code": "insufficient_quota"}}),
    ],
)
async def test_non_retryable_errors_are_not_retried(
    provider: OpenAIProvider,
    router: respx.MockRouter,
    sleep: FakeSleep,
    status: int,
    payload: dict[str, object],
) -> None:
    route = router.post(OPENAI_URL).respond(status, json=payload)

    with pytest.raises(ProviderError) as caught:
        await provider.complete(make_request())

    assert route.call_count == 1
    assert sleep.delays == []
    assert caught.value.retryable is False
    assert caught.value.status_code == status
    assert caught.value.attempts[0].outcome == "error"


async def test_logs_carry_metadata_but_no_prompt_resume_or_key(
    provider: OpenAIProvider, router: respx.MockRouter
) -> None:
    route = router.post(OPENAI_URL)
    route.side_effect = [
        httpx.Response(200, json=openai_completion('{"summary": "Alex Rivera"}')),
        httpx.Response(200, json=openai_completion(json.dumps(GOOD))),
    ]

    with capture_logs() as logs:
        await provider.complete(make_request())

    events = [entry["event"] for entry in logs]
    assert events.count("ai.call") == 2 and "ai.invalid_output" in events
    dumped = json.dumps(logs, default=str)
    for secret in (API_KEY, RESUME, "Alex Rivera", SYSTEM, "Lumen Freight"):
        assert secret not in dumped


async def test_whole_call_deadline_applies_even_if_the_server_trickles(
    http_client: httpx2.AsyncClient, router: respx.MockRouter, sleep: FakeSleep
) -> None:
    # The mock transport enforces no socket timeouts, so only our own deadline can fire.
    async def hang(_request: httpx.Request) -> httpx.Response:
        await asyncio.Event().wait()
        raise AssertionError("unreachable")

    provider = OpenAIProvider(
        API_KEY, retry_policy=RetryPolicy(max_retries=0, sleep=sleep), http_client=http_client
    )
    router.post(OPENAI_URL).mock(side_effect=hang)

    with pytest.raises(ProviderError) as caught:
        await provider.complete(make_request(timeout_s=0.02))

    assert caught.value.code == ErrorCode.PROVIDER_TIMEOUT
    assert caught.value.attempts[0].error_code == "PROVIDER_TIMEOUT"
