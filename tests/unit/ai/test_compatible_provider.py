"""OpenAICompatibleProvider: JSON-mode negotiation against a fake Ollama/vLLM server."""

from __future__ import annotations

import json

import httpx
import httpx2
import pytest
import respx

from app.ai import ErrorCode, OpenAICompatibleProvider, ProviderError, RetryPolicy, ThinkingTime
from tests.unit.ai.conftest import (
    COMPATIBLE_BASE,
    COMPATIBLE_URL,
    GOOD,
    RESUME,
    body,
    make_request,
    openai_completion,
)

LOCAL_MODEL = "llama3.1:8b"


@pytest.fixture
def provider(
    http_client: httpx2.AsyncClient, retry_policy: RetryPolicy
) -> OpenAICompatibleProvider:
    return OpenAICompatibleProvider(
        COMPATIBLE_BASE,
        default_model=LOCAL_MODEL,
        retry_policy=retry_policy,
        http_client=http_client,
    )


def _reject(message: str, status: int = 400) -> httpx.Response:
    return httpx.Response(status, json={"error": {"message": message, "type": "invalid_request"}})


def _ok(content: str) -> httpx.Response:
    return httpx.Response(200, json=openai_completion(content, model=LOCAL_MODEL))


async def test_json_schema_rejected_falls_back_to_json_object_and_remembers(
    provider: OpenAICompatibleProvider, router: respx.MockRouter
) -> None:
    route = router.post(COMPATIBLE_URL)
    route.side_effect = [
        _reject("response_format type 'json_schema' is not supported by this server"),
        _ok(json.dumps(GOOD)),
        _ok(json.dumps(GOOD)),
    ]

    response = await provider.complete(make_request(thinking_time=ThinkingTime.HIGH))

    assert response.data == GOOD
    first, second = body(route.calls[0]), body(route.calls[1])
    assert first["response_format"]["type"] == "json_schema"
    assert second["response_format"] == {"type": "json_object"}
    # JSON object mode cannot carry the schema: it travels in the system prompt instead.
    system = second["messages"][0]["content"]
    assert '"keywords"' in system and "JSON schema" in system
    assert RESUME not in system
    # Local servers get max_tokens and no OpenAI-only reasoning knob.
    assert second["max_tokens"] == 1000 and "max_completion_tokens" not in second
    assert "reasoning_effort" not in second
    assert second["model"] == LOCAL_MODEL
    assert route.calls[0].request.headers["authorization"] == "Bearer not-needed"
    assert [(a.outcome, a.error_code) for a in response.attempts] == [
        ("retry", "PROVIDER_ERROR"),
        ("ok", None),
    ]
    assert provider.mode == "json_object"

    await provider.complete(make_request())

    assert route.call_count == 3  # the known-bad mode is not tried again
    assert body(route.calls[2])["response_format"] == {"type": "json_object"}


async def test_plain_text_fallback_extracts_fenced_json(
    provider: OpenAICompatibleProvider, router: respx.MockRouter
) -> None:
    route = router.post(COMPATIBLE_URL)
    answer = (
        "<think>The user wants {json}. Let me think.</think>\n"
        "Sure! Here is the plan you asked for:\n"
        f"```json\n{json.dumps(GOOD, indent=2)}\n```\nLet me know if you need more."
    )
    route.side_effect = [
        _reject("Unknown field json_schema in response_format"),
        _reject("json_object response format unsupported", status=422),
        _ok(answer),
    ]

    response = await provider.complete(make_request())

    assert response.data == GOOD
    third = body(route.calls[2])
    assert "response_format" not in third
    assert "JSON schema" in third["messages"][0]["content"]
    assert provider.mode == "text"
    assert [a.outcome for a in response.attempts] == ["retry", "retry", "ok"]


async def test_unrelated_bad_request_is_not_a_mode_problem(
    provider: OpenAICompatibleProvider, router: respx.MockRouter
) -> None:
    route = router.post(COMPATIBLE_URL).mock(return_value=_reject("model 'llama9' not found"))

    with pytest.raises(ProviderError) as caught:
        await provider.complete(make_request())

    assert route.call_count == 1
    assert caught.value.code == ErrorCode.PROVIDER_ERROR
    assert provider.mode == "json_schema"


async def test_all_modes_rejected_raises_provider_error(
    provider: OpenAICompatibleProvider, router: respx.MockRouter
) -> None:
    route = router.post(COMPATIBLE_URL)
    route.side_effect = [
        _reject("json_schema unsupported"),
        _reject("json_object unsupported"),
        _reject("something unsupported"),
    ]

    with pytest.raises(ProviderError) as caught:
        await provider.complete(make_request())

    assert route.call_count == 3
    assert caught.value.code == ErrorCode.PROVIDER_ERROR
    assert [a.outcome for a in caught.value.attempts] == ["retry", "retry", "error"]


async def test_hosted_vendor_model_names_are_not_sent_to_a_local_server(
    provider: OpenAICompatibleProvider, router: respx.MockRouter
) -> None:
    route = router.post(COMPATIBLE_URL).mock(return_value=_ok(json.dumps(GOOD)))

    await provider.complete(make_request(model="gpt-4.1"))
    await provider.complete(make_request(model="qwen2.5:14b"))

    assert body(route.calls[0])["model"] == LOCAL_MODEL
    assert body(route.calls[1])["model"] == "qwen2.5:14b"


async def test_missing_usage_counts_zero_tokens(
    provider: OpenAICompatibleProvider, router: respx.MockRouter
) -> None:
    payload = openai_completion(json.dumps(GOOD), model=LOCAL_MODEL)
    del payload["usage"]
    router.post(COMPATIBLE_URL).respond(200, json=payload)

    response = await provider.complete(make_request())

    assert (response.usage.input_tokens, response.usage.output_tokens) == (0, 0)
    assert response.cost_usd == 0
