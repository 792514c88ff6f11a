"""AnthropicProvider through the real anthropic SDK; HTTP answered by respx."""

from __future__ import annotations

import json

import httpx
import httpx2
import pytest
import respx

from app.ai import AnthropicProvider, ErrorCode, ProviderError, RetryPolicy, ThinkingTime
from tests.unit.ai.conftest import (
    ANTHROPIC_URL,
    GOOD,
    PLAN_SCHEMA,
    RESUME,
    SYSTEM,
    FakeSleep,
    anthropic_message,
    body,
    make_request,
)

# The SDK flags claude-sonnet-4-5 (the brief's default) as nearing end of life.
pytestmark = pytest.mark.filterwarnings("ignore:The model 'claude-sonnet-4-5':DeprecationWarning")

API_KEY = "sk-ant-test-abcdefghijklmnop"


@pytest.fixture
def provider(http_client: httpx2.AsyncClient, retry_policy: RetryPolicy) -> AnthropicProvider:
    return AnthropicProvider(API_KEY, retry_policy=retry_policy, http_client=http_client)


async def test_success_forces_the_schema_tool(
    provider: AnthropicProvider, router: respx.MockRouter
) -> None:
    route = router.post(ANTHROPIC_URL).respond(
        200, json=anthropic_message(GOOD, cache_read=100), headers={"request-id": "req_ant"}
    )

    response = await provider.complete(make_request())

    assert response.data == GOOD
    sent = body(route.calls[0])
    assert sent["model"] == "claude-sonnet-4-5"
    assert sent["tools"] == [
        {
            "name": "tailoring_plan",
            "description": "Record the plan result. The input is the answer.",
            "input_schema": PLAN_SCHEMA,
        }
    ]
    assert sent["tool_choice"] == {
        "type": "tool",
        "name": "tailoring_plan",
        "disable_parallel_tool_use": True,
    }
    assert "thinking" not in sent
    assert sent["max_tokens"] == 1000
    assert sent["system"] == SYSTEM
    (message,) = sent["messages"]
    assert message["role"] == "user" and RESUME in message["content"][0]["text"]
    headers = route.calls[0].request.headers
    # anthropic 2.x sends the API key as a bearer token, not as x-api-key.
    assert headers["authorization"] == f"Bearer {API_KEY}"
    assert "anthropic-version" in headers

    usage = response.usage
    assert (usage.provider, usage.model) == ("anthropic", "claude-sonnet-4-5-20250929")
    assert (usage.input_tokens, usage.output_tokens) == (300, 50)  # cache reads are input too
    assert usage.request_id == "req_ant"
    assert response.attempts == [usage]


async def test_thinking_time_enables_thinking_with_auto_tool_choice(
    provider: AnthropicProvider, router: respx.MockRouter
) -> None:
    route = router.post(ANTHROPIC_URL).respond(200, json=anthropic_message(GOOD, thinking=True))

    response = await provider.complete(
        make_request(model="claude-opus-4-5", thinking_time=ThinkingTime.MEDIUM)
    )

    assert response.data == GOOD
    sent = body(route.calls[0])
    assert sent["model"] == "claude-opus-4-5"
    assert sent["thinking"] == {"type": "enabled", "budget_tokens": 4096}
    # A forced tool choice is rejected with thinking on: auto, steered by the system prompt.
    assert sent["tool_choice"]["type"] == "auto"
    assert sent["max_tokens"] == 1000 + 4096
    assert sent["system"].startswith(SYSTEM)
    assert "`tailoring_plan` tool" in sent["system"]
    assert RESUME not in sent["system"]


async def test_thinking_answer_in_text_is_parsed(
    provider: AnthropicProvider, router: respx.MockRouter
) -> None:
    text = f"Here is the plan:\n```json\n{json.dumps(GOOD)}\n```"
    router.post(ANTHROPIC_URL).respond(
        200, json=anthropic_message(text=text, thinking=True, stop_reason="end_turn")
    )

    response = await provider.complete(make_request(thinking_time=ThinkingTime.HIGH))

    assert response.data == GOOD


async def test_models_without_thinking_support_get_none(
    provider: AnthropicProvider, router: respx.MockRouter
) -> None:
    route = router.post(ANTHROPIC_URL).respond(200, json=anthropic_message(GOOD))

    await provider.complete(
        make_request(model="claude-3-haiku-20240307", thinking_time=ThinkingTime.HIGH)
    )

    sent = body(route.calls[0])
    assert "thinking" not in sent and sent["tool_choice"]["type"] == "tool"


async def test_invalid_tool_input_gets_a_stricter_forced_retry(
    provider: AnthropicProvider, router: respx.MockRouter
) -> None:
    route = router.post(ANTHROPIC_URL)
    route.side_effect = [
        httpx.Response(200, json=anthropic_message({"summary": 42, "keywords": []}, thinking=True)),
        httpx.Response(200, json=anthropic_message(GOOD)),
    ]

    response = await provider.complete(make_request(thinking_time=ThinkingTime.MEDIUM))

    assert response.data == GOOD
    first, retry = body(route.calls[0]), body(route.calls[1])
    assert "thinking" in first
    # The retry trades depth for reliability: no thinking, the tool is forced.
    assert "thinking" not in retry
    assert retry["tool_choice"]["type"] == "tool"
    blocks = retry["messages"][0]["content"]
    assert len(blocks) == 2
    assert "previous answer was invalid" in blocks[1]["text"]
    assert "42 is not of type 'string'" in blocks[1]["text"]
    assert [a.outcome for a in response.attempts] == ["invalid_output", "ok"]


async def test_invalid_twice_raises(provider: AnthropicProvider, router: respx.MockRouter) -> None:
    route = router.post(ANTHROPIC_URL).respond(200, json=anthropic_message({"summary": "x"}))

    with pytest.raises(ProviderError) as caught:
        await provider.complete(make_request())

    assert caught.value.code == ErrorCode.SCHEMA_VALIDATION_FAILED
    assert route.call_count == 2


async def test_overloaded_529_is_retried_as_throttling(
    provider: AnthropicProvider, router: respx.MockRouter, sleep: FakeSleep
) -> None:
    route = router.post(ANTHROPIC_URL)
    route.side_effect = [
        httpx.Response(
            529,
            json={"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}},
            headers={"request-id": "req_529"},
        ),
        httpx.Response(200, json=anthropic_message(GOOD)),
    ]

    response = await provider.complete(make_request())

    assert response.data == GOOD
    assert len(sleep.delays) == 1
    failed = response.attempts[0]
    assert (failed.outcome, failed.error_code, failed.request_id) == (
        "retry",
        "PROVIDER_THROTTLED",
        "req_529",
    )


async def test_connection_errors_are_retried(
    provider: AnthropicProvider, router: respx.MockRouter, sleep: FakeSleep
) -> None:
    route = router.post(ANTHROPIC_URL)
    route.side_effect = [
        httpx.ConnectError("refused"),
        httpx.Response(200, json=anthropic_message(GOOD)),
    ]

    response = await provider.complete(make_request())

    assert response.data == GOOD
    assert response.attempts[0].error_code == "PROVIDER_ERROR"
    assert len(sleep.delays) == 1
